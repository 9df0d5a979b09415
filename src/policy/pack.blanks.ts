// Template blanks (MN-1): the LMC model is shipped with `{{city_name}}` and friends unfilled. A city
// fills them once at setup; until then the pack validates as a document but may not govern anything.
import { BLANK_PATTERN } from './pack.fields.js';
import type { PolicyPack } from './pack.schema.js';

export type PathSegment = string | number;

/**
 * Calls `visit` for every string value in `value`, with its path. `template` is skipped: its
 * descriptions talk about blanks and are not blanks to fill.
 */
export function walkStrings(
  value: unknown,
  visit: (path: PathSegment[], text: string) => void,
  path: PathSegment[] = [],
): void {
  if (typeof value === 'string') {
    visit(path, value);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walkStrings(item, visit, [...path, index]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (path.length === 0 && key === 'template') continue;
      walkStrings(child, visit, [...path, key]);
    }
  }
}

export function blanksIn(text: string): string[] {
  return [...text.matchAll(new RegExp(BLANK_PATTERN.source, 'g'))].map((match) => match[1]);
}

/** Every blank key still present anywhere in the pack, sorted and unique. */
export function findBlanks(pack: PolicyPack): string[] {
  const keys = new Set<string>();
  walkStrings(pack, (_path, text) => blanksIn(text).forEach((key) => keys.add(key)));
  return [...keys].sort();
}

function mapStrings(value: unknown, map: (text: string) => string, atRoot: boolean): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map, false));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [
        key,
        atRoot && key === 'template' ? child : mapStrings(child, map, false),
      ]),
    );
  }
  return value;
}

/**
 * Replaces each `{{key}}` that has a value. Empty or whitespace-only values are ignored on purpose,
 * so the blank stays and validatePackForUse still reports it instead of "City of " going live.
 * The result is not re-validated here: validatePackForUse does that, with paths and messages.
 */
export function fillBlanks(pack: PolicyPack, values: Record<string, string>): PolicyPack {
  const usable = new Map(
    Object.entries(values).filter(([, value]) => value.trim() !== ''),
  );
  const filled = mapStrings(pack, (text) =>
    text.replace(new RegExp(BLANK_PATTERN.source, 'g'), (whole, key: string) => usable.get(key) ?? whole),
  true);
  // mapStrings keeps every key and only rewrites strings, so the shape is still a PolicyPack.
  return filled as PolicyPack;
}
