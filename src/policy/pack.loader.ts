// Reading policy packs: from text a city administrator wrote, from the packs/ folder shipped with
// CivicDesk, and the checks a pack must pass before it may govern a city. Packs from users are
// reported on as data (PackError[]), never thrown, so the caller decides what to show; the throwing
// variants are for places where a bad pack is a defect or must stop the operation outright.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { locateJsonError } from './json-locate.js';
import { findBlanks, fillBlanks, walkStrings, blanksIn, type PathSegment } from './pack.blanks.js';
import { formatPackErrors, issueToErrors, jsonPath, type PackError } from './pack.errors.js';
import { PolicyPackSchema, type PolicyPack } from './pack.schema.js';

export { fillBlanks, findBlanks, formatPackErrors, type PackError };

export type PackResult = { ok: true; pack: PolicyPack } | { ok: false; errors: PackError[] };

export interface BundledPackInfo {
  id: string;
  title: string;
  version: string;
  document: string;
  /** Blank keys still to fill; empty for a pack that can be used as shipped. */
  blanks: string[];
}

// Two levels up from src/policy/ (tsx, vitest) and from dist/policy/ (compiled) is the repo root.
const PACKS_DIR = new URL('../../packs/', import.meta.url);
const PACK_ID = /^[a-z0-9][a-z0-9-]*$/;

function failure(file: string, path: string, message: string): PackResult {
  return { ok: false, errors: [{ file, path, message }] };
}

/** Thrown by the strict variants; `errors` carries the same file/path/message list. */
export class PackValidationError extends Error {
  constructor(readonly errors: PackError[]) {
    super(`policy pack is not valid:\n${formatPackErrors(errors)}`);
    this.name = 'PackValidationError';
  }
}

function orThrow(result: PackResult): PolicyPack {
  if (!result.ok) throw new PackValidationError(result.errors);
  return result.pack;
}

/** Checks an already-parsed value (for example a pack body stored in the database). */
export function validatePack(value: unknown, file: string): PackResult {
  try {
    const result = PolicyPackSchema.safeParse(value);
    if (result.success) return { ok: true, pack: result.data };
    return { ok: false, errors: result.error.issues.flatMap((issue) => issueToErrors(issue, value, file)) };
  } catch (error) {
    // A bug in a check must not take the server down while reading someone's pack.
    return failure(file, '$', `the pack could not be checked: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function parsePack(text: string, file: string): PackResult {
  if (typeof text !== 'string') return failure(file, '$', `expected JSON text, found ${typeof text}`);
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const where = locateJsonError(body);
    const message = where
      ? `invalid JSON at line ${where.line}, column ${where.column}: expected ${where.expected}, found ${where.found}`
      : `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
    return failure(file, '$', message);
  }
  return validatePack(value, file);
}

function firstPathOf(pack: PolicyPack, key: string): PathSegment[] {
  let found: PathSegment[] = [];
  walkStrings(pack, (path, text) => {
    if (found.length === 0 && blanksIn(text).includes(key)) found = path;
  });
  return found;
}

/**
 * A pack may govern a city only when every blank is filled and the filled values are valid
 * (a `{{city_website}}` filled with "n/a" is not a URL). Reports, never throws.
 */
export function checkPackForUse(pack: PolicyPack, file = `${pack.id}.json`): PackResult {
  const blanks = findBlanks(pack);
  if (blanks.length > 0) {
    const described = new Map(pack.template?.blanks.map((blank) => [blank.key, blank]) ?? []);
    return {
      ok: false,
      errors: blanks.map((key) => {
        const blank = described.get(key);
        const hint = blank ? ` (${blank.description}, e.g. ${JSON.stringify(blank.example)})` : '';
        return {
          file,
          path: jsonPath(firstPathOf(pack, key)),
          message: `blank {{${key}}} is not filled; expected a value for "${key}"${hint}`,
        };
      }),
    };
  }
  return validatePack(pack, file);
}

/** As checkPackForUse, but refuses by throwing PackValidationError; returns the checked pack. */
export function validatePackForUse(pack: PolicyPack, file = `${pack.id}.json`): PolicyPack {
  return orThrow(checkPackForUse(pack, file));
}

/** SHA-256 (hex) of the pack's canonical JSON: recorded with each decision made under it. */
export function packDigest(pack: PolicyPack): string {
  return sha256Hex(canonicalJson(pack));
}

function bundledFiles(): string[] {
  const dir = fileURLToPath(PACKS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** Reads packs/<id>.json and reports what is wrong with it, without throwing. */
export function readBundledPack(id: string): PackResult {
  const file = `packs/${id}.json`;
  if (!PACK_ID.test(id)) {
    return failure(file, '$', `expected a pack id of lower-case letters, digits and dashes, found ${JSON.stringify(id)}`);
  }
  const available = bundledFiles().map((name) => name.replace(/\.json$/, ''));
  if (!available.includes(id)) {
    return failure(file, '$', `no bundled pack "${id}"; expected one of: ${available.join(', ')}`);
  }
  const result = parsePack(readFileSync(new URL(`${id}.json`, PACKS_DIR), 'utf8'), file);
  if (result.ok && result.pack.id !== id) {
    return failure(file, '$.id', `expected "${id}" (the file name), found ${JSON.stringify(result.pack.id)}`);
  }
  return result;
}

/**
 * A pack shipped with CivicDesk. Throws PackValidationError for an unknown id or a shipped pack
 * that does not validate: the id comes from code or an operator, and a broken shipped pack is a
 * defect, so neither should be papered over.
 */
export function loadBundledPack(id: string): PolicyPack {
  return orThrow(readBundledPack(id));
}

/**
 * Lists the packs shipped in packs/. A shipped pack that does not validate is a defect in
 * CivicDesk itself, so this throws rather than quietly hiding the pack from the list.
 */
export function listBundledPacks(): BundledPackInfo[] {
  return bundledFiles().map((name) => {
    const pack = loadBundledPack(name.replace(/\.json$/, ''));
    return { id: pack.id, title: pack.title, version: pack.version, document: pack.source.document, blanks: findBlanks(pack) };
  });
}
