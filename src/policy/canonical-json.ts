// One byte sequence per pack value, whatever order its keys were written or stored in, so that
// the SHA-256 recorded with a decision identifies the policy content and nothing else.
//
// Also the archive's canonical record bytes (src/archive/record.ts), built once per captured
// record: hence plain loops and string appends rather than entries/filter/sort/map/join, which
// allocate several arrays per object. The output is byte-for-byte what that form produced
// (src/archive/capture.test.ts compares the two): keys in UTF-16 code-unit order (the default
// sort, as `a < b` compared them), undefined members left out, a hole in a sparse array empty.
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      if (i in value) out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object).sort();
  let out = '{';
  for (const key of keys) {
    const child = object[key];
    if (child === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${canonicalJson(child)}`;
  }
  return `${out}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
