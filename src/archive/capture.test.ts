// capture() prepares records while PostgreSQL executes the previous statement and looks duplicates
// up in one query. These tests hold it to what a city relies on: batches larger than one INSERT
// chunk are all-or-nothing even when a record fails half-way through, concurrent captures get
// dense, distinct leaf indexes, duplicates come back without being written, and the rows (leaf
// hashes, MACs, seals) are exactly what the record's canonical bytes and position determine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { comment, testArchiveDeps } from '../testing/archive.js';
import { canonicalJson } from '../policy/canonical-json.js';
import { AppError } from '../http/errors.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture, CHUNK, ensureLog } from './capture.js';
import { macInput } from './mac-input.js';
import { leafHash } from './merkle.js';
import { recordMac } from './keys.js';
import { prepareRecord, RecordInputSchema } from './record.js';
import { verifyArchive } from './verify.js';

/** canonicalJson as it was first written: its bytes are in signed logs, so the fast one must match. */
function referenceCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(referenceCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${referenceCanonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

describe('canonical JSON', () => {
  it('writes the same bytes as the reference form, edge cases included', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 'x';
    const values: unknown[] = [
      null, undefined, true, 0, -0, 1.5e300, Number.NaN, Infinity, 'plain', 'quote " backslash \\ \u2028 \ud800 é',
      [], {}, [undefined, null, () => 1], sparse, { b: 1, a: undefined, c: [{ z: 1, y: { x: null } }] },
      { '10': 1, '2': 2, '1': 3, b: 4, B: 5, é: 6, 'a b': 7, '': 8, '\ud83d\ude00': 9, '\uffff': 10 },
      { when: new Date(0), bytes: Uint8Array.of(3, 1, 2), fn: () => 1, sym: Symbol('s') },
    ];
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const keys = ['a', 'b', 'Z', '0', '11', '3', 'ü', 'key "q"', 'x\ny'];
    const randomValue = (depth: number): unknown => {
      switch (rand(depth > 3 ? 5 : 8)) {
        case 0: return null;
        case 1: return rand(2) === 0;
        case 2: return rand(1000) / 7 - 50;
        case 3: return keys[rand(keys.length)];
        case 4: return undefined;
        case 5: return Array.from({ length: rand(4) }, () => randomValue(depth + 1));
        default: return Object.fromEntries(Array.from({ length: rand(6) }, () => [keys[rand(keys.length)], randomValue(depth + 1)]));
      }
    };
    for (let i = 0; i < 2000; i++) values.push(randomValue(0));
    for (const v of values) expect(canonicalJson(v)).toBe(referenceCanonicalJson(v));
  });
});

describe.each(await availableBackends())('capture on %s', (backend) => {
  let database: TestDatabase;
  let deps: ArchiveDeps;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    deps = testArchiveDeps(database.db, database.dialect);
  });
  afterAll(async () => database?.dispose());

  let cities = 0;
  async function newCity(): Promise<TestCity> {
    cities += 1;
    return createTestCity(database.db, 'kalispell-mt', { slug: `capture-${cities}` });
  }

  async function written(orgId: string) {
    const log = await database.db.selectFrom('archive_logs').select('size').where('org_id', '=', orgId).executeTakeFirst();
    const count = async (table: 'archive_records' | 'archive_contents' | 'archive_seals') =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow()).n);
    return { size: log?.size ?? 0, records: await count('archive_records'), contents: await count('archive_contents'), seals: await count('archive_seals') };
  }

  it('rejects a whole batch for one invalid record in the middle, with its field errors, and writes nothing', async () => {
    const city = await newCity();
    await ensureLog(deps, city.orgId);
    const before = await written(city.orgId);
    const batch = Array.from({ length: CHUNK * 2 + 50 }, (_, i) => comment(10_000 + i));
    batch[CHUNK + 7] = comment(1, { kind: 'not-a-kind' as 'comment', capturedAt: 'yesterday' });
    const error = await capture(deps, city.orgId, batch).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details.fields?.map((f) => f.path)).toEqual(expect.arrayContaining([`records[${CHUNK + 7}].kind`, `records[${CHUNK + 7}].capturedAt`]));
    expect(await written(city.orgId)).toEqual(before);
  });

  it('writes nothing when a record fails after earlier chunks were inserted in the transaction', async () => {
    const city = await newCity();
    await capture(deps, city.orgId, [comment(1)]);
    const before = await written(city.orgId);
    const batch = Array.from({ length: CHUNK * 2 + 50 }, (_, i) => comment(20_000 + i));
    // Valid input (meta is open-ended) that has no canonical JSON: found only while preparing,
    // which happens inside the transaction, in the last chunk typically after earlier ones went out.
    batch[CHUNK * 2 + 20] = comment(20_000 + CHUNK * 2 + 20, { meta: { count: 10n } });
    await expect(capture(deps, city.orgId, batch)).rejects.toThrow(/BigInt/);
    expect(await written(city.orgId)).toEqual(before);
    // The log is not left locked or half-advanced: the next capture continues densely.
    const next = await capture(deps, city.orgId, [comment(2)]);
    expect(next[0]).toMatchObject({ duplicate: false, leafIndex: before.size });
  });

  it('gives concurrent captures of one city dense, distinct leaf indexes', async () => {
    const city = await newCity();
    const batches = Array.from({ length: 6 }, (_, b) => Array.from({ length: b % 2 === 0 ? CHUNK + 30 : 17 }, (_, i) => comment(b * 1000 + i)));
    // Every batch also repeats one record of the first batch: whoever writes it first, the others get it back.
    for (const batch of batches.slice(1)) batch.push(comment(0));
    const results = await Promise.all(batches.map((batch) => capture(deps, city.orgId, batch)));
    const fresh = results.flat().filter((r) => !r.duplicate);
    const indexes = fresh.map((r) => r.leafIndex).sort((a, b) => a - b);
    const { size } = await written(city.orgId);
    const start = size - fresh.length;
    expect(indexes).toEqual(Array.from({ length: fresh.length }, (_, i) => start + i));
    expect(new Set(fresh.map((r) => r.id)).size).toBe(fresh.length);
    const zero = results.flatMap((r, b) => (b === 0 ? [r[0]] : [r[r.length - 1]]));
    expect(zero.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(zero.map((r) => r.id)).size).toBe(1);
    expect((await verifyArchive(deps, city.orgId)).problems).toEqual([]);
  });

  it('returns duplicates across chunks without rewriting them, and writes exactly the rows the records determine', async () => {
    const city = await newCity();
    const now = new Date('2026-03-04T05:06:07.089Z');
    const timed: ArchiveDeps = { ...deps, now: () => now };
    const first = await capture(timed, city.orgId, Array.from({ length: 10 }, (_, i) => comment(i)));
    const { size: start } = await written(city.orgId);
    // Old records at both ends of the batch and a repeat inside it, around more than two chunks of new ones.
    const inputs = [comment(3), ...Array.from({ length: CHUNK * 2 + 10 }, (_, i) => comment(100 + i, i === 5 ? { evidence: Buffer.from('ev'), evidenceType: 'text/plain' } : {})), comment(100), comment(9)];
    const result = await capture(timed, city.orgId, inputs);
    expect(result[0]).toEqual({ id: first[3]!.id, leafIndex: first[3]!.leafIndex, duplicate: true });
    expect(result.at(-1)).toEqual({ id: first[9]!.id, leafIndex: first[9]!.leafIndex, duplicate: true });
    expect(result.at(-2)).toEqual({ ...result[1]!, duplicate: true });
    const fresh = result.slice(1, -2);
    expect(fresh.map((r) => r.leafIndex)).toEqual(fresh.map((_, i) => start + i));
    expect(fresh.every((r) => !r.duplicate)).toBe(true);
    expect(await written(city.orgId)).toMatchObject({ size: start + fresh.length, records: start + fresh.length });

    const key = deps.keys.load(city.orgId)!;
    const rows = await database.db.selectFrom('archive_records').selectAll().where('org_id', '=', city.orgId).where('leaf_index', '>=', start).orderBy('leaf_index').execute();
    const contents = await database.db.selectFrom('archive_contents').select(['record_id', 'canonical', 'payload', 'evidence', 'text', 'leaf_index'])
      .where('org_id', '=', city.orgId).where('leaf_index', '>=', start).orderBy('leaf_index').execute();
    expect(rows).toHaveLength(fresh.length);
    for (const [i, row] of rows.entries()) {
      const input = inputs[i + 1]!;
      const p = prepareRecord(RecordInputSchema.parse(input), now);
      const { mac, ...rest } = row;
      expect(rest.id).toBe(fresh[i]!.id);
      expect(rest.leaf_hash).toBe(leafHash(Buffer.from(p.canonical, 'utf8')).toString('hex'));
      expect(mac).toBe(recordMac(key.macKey, macInput(rest)));
      expect(contents[i]).toMatchObject({ record_id: row.id, canonical: p.canonical, text: p.text, leaf_index: row.leaf_index });
      expect(Buffer.from(contents[i]!.payload!).equals(Buffer.from(input.payload))).toBe(true);
      expect(contents[i]!.evidence === null ? null : Buffer.from(contents[i]!.evidence!).toString()).toBe(input.evidence ? 'ev' : null);
    }
    expect((await verifyArchive(deps, city.orgId)).problems).toEqual([]);
  });
});
