// Turns zod issues into messages a person editing a pack can act on: which file, which JSON path,
// what was expected there and what is actually there.
import type { z } from 'zod';
import { quote } from './pack.fields.js';

export interface PackError {
  file: string;
  /** JSON path such as `$.roles[2].grants[0]`. */
  path: string;
  message: string;
}

type Segment = PropertyKey;

export function jsonPath(segments: readonly Segment[]): string {
  return segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    const key = String(segment);
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
  }, '$');
}

const MISSING = Symbol('missing');

function valueAt(root: unknown, segments: readonly Segment[]): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return MISSING;
    const record = current as Record<PropertyKey, unknown>;
    if (!Object.prototype.hasOwnProperty.call(record, segment)) return MISSING;
    current = record[segment];
  }
  return current;
}

export function describeValue(value: unknown): string {
  if (value === MISSING || value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item(s)`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return `${typeof value} ${String(value)}`;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function expectedFor(issue: z.core.$ZodIssue): string | null {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => quote(value)).join(' or ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${issue.minimum} item(s)`
        : issue.origin === 'string'
          ? `expected at least ${issue.minimum} character(s)`
          : `expected a value of at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `expected at most ${issue.maximum} item(s)`
        : `expected a value of at most ${issue.maximum}`;
    default:
      return null;
  }
}

/** One zod issue can name several unexpected keys; each becomes its own error at its own path. */
export function issueToErrors(issue: z.core.$ZodIssue, input: unknown, file: string): PackError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      file,
      path: jsonPath([...issue.path, key]),
      message: `unexpected field ${quote(key)}; expected only the fields of schema version 1 (check the spelling)`,
    }));
  }
  const found = describeValue(valueAt(input, issue.path));
  const expected = expectedFor(issue);
  // Custom and format messages are written by pack.fields / pack.crossref and already name what
  // was found; the others get the value appended here.
  const message =
    expected !== null
      ? `${expected}, found ${found}`
      : issue.code === 'custom' || issue.code === 'invalid_format'
        ? issue.message
        : `${issue.message}, found ${found}`;
  return [{ file, path: jsonPath(issue.path), message }];
}

export function formatPackErrors(errors: readonly PackError[]): string {
  return errors.map((error) => `${error.file}: ${error.path}: ${error.message}`).join('\n');
}
