// Verify's screen on PostgreSQL (see verify-screen.ts for what a screen is). The hashing and the
// comparisons run inside the database, with its built-in sha256(), next to the data, and several
// ranges at once on separate connections; only packed leaf hashes, the few leaf indexes that
// disagree, and one digest per batch seal come back. Pulling a million rows of canonical bytes,
// payloads and metadata through the client to hash them here would take ten times as long.
//
// The SQL reproduces, byte for byte, what verify-content.ts checks in JavaScript (payload and
// evidence hashes inside the canonical bytes; the plain copies of text, author, account and kind)
// and what mac-input.ts hashes; verify.test.ts checks that both give the same answers on the same
// tampering. What the database computes is only ever compared: the record MAC key never leaves
// CivicDesk (seal MACs are computed here from the returned digests).
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { MAC_COLUMNS } from './mac-input.js';
import { emptyScreen, packLeaf, type ScreenRange, type ScreenResult } from './verify-screen.js';
import { HASH_SIZE } from './merkle.js';

export interface SealDigest {
  firstLeaf: number;
  count: number;
  mac: string;
  /** SHA-256 over the records' digests, or null when the seal's range is not all there. */
  digest: Buffer | null;
}

const PAYLOAD_MARKER = '"payload":{"sha256":"';
const EVIDENCE_MARKER = '"evidence":{"sha256":"';
const THREAD_MARKER = ',"threadId":';

/** 1-based position of the last occurrence of `marker` in `column`, 0 when absent. */
function lastPosition(column: string, marker: string): string {
  const m = `'${marker}'`;
  return `(case when strpos(${column}, ${m}) = 0 then 0 else length(${column}) - strpos(reverse(${column}), reverse(${m})) - length(${m}) + 2 end)`;
}

const json = (expr: string) => `coalesce(to_json(${expr})::text, 'null')`;
const AUTHOR_JSON = `'{' || concat_ws(',', '"handle":' || to_json(c.author_handle)::text, '"id":' || to_json(c.author_id)::text, '"name":' || to_json(c.author_name)::text) || '}'`;
const HEAD = `'{"accountId":' || ${json('c.account_id')} || ',"author":'`;
const TEXT_JSON = `',"text":' || ${json('c.text')}`;
const PAYLOAD_AT = lastPosition('c.canonical', PAYLOAD_MARKER);
const THREAD_AT = lastPosition('c.canonical', THREAD_MARKER);

// Every check of summarizeContent + pairProblems, true when the record and its content agree.
const CONTENT_OK = `(
  encode(sha256('\\x00'::bytea || convert_to(c.canonical, 'UTF8')), 'hex') = r.leaf_hash
  and encode(sha256(c.payload), 'hex') is not distinct from
    (case when ${PAYLOAD_AT} = 0 then null else substr(c.canonical, ${PAYLOAD_AT} + ${PAYLOAD_MARKER.length}, 64) end)
  and encode(sha256(c.evidence), 'hex') is not distinct from
    (case when strpos(c.canonical, '${EVIDENCE_MARKER}') = 0 then null else substr(c.canonical, strpos(c.canonical, '${EVIDENCE_MARKER}') + ${EVIDENCE_MARKER.length}, 64) end)
  and ${THREAD_AT} - 1 >= length(${TEXT_JSON})
  and substr(c.canonical, ${THREAD_AT} - length(${TEXT_JSON}), length(${TEXT_JSON})) = ${TEXT_JSON}
  and left(c.canonical, length(${HEAD})) = ${HEAD}
  and (case when c.author_handle is null and c.author_id is null and c.author_name is null
        then substr(c.canonical, length(${HEAD}) + 1, 18) = 'null,"capturedAt":'
          or substr(c.canonical, length(${HEAD}) + 1, 16) = '{},"capturedAt":'
        else substr(c.canonical, length(${HEAD}) + 1, length(${AUTHOR_JSON}) + 14) = ${AUTHOR_JSON} || ',"capturedAt":' end)
  and c.account_id is not distinct from r.account_id
  and c.kind is not distinct from r.kind
  and c.leaf_index = r.leaf_index
)`;

const SCREEN_SQL = `
  with r as (
    select leaf_index, id, leaf_hash, account_id, kind from archive_records
    where org_id = $1 and leaf_index >= $2 and leaf_index < $3
  ), c as (
    select record_id, leaf_index, canonical, payload, evidence, text, author_id, author_handle, author_name, account_id, kind
    from archive_contents where org_id = $1 and leaf_index >= $2 and leaf_index < $3
  ), j as (
    select r.leaf_index as leaf, r.leaf_hash, r.id as rid, c.record_id as cid,
      (r.id is not null and c.record_id is not null and not coalesce(${CONTENT_OK}, false)) as suspect
    from r full join c on c.record_id = r.id
  )
  select count(leaf)::int as records,
    string_agg(case when leaf_hash ~ '^[0-9a-f]{64}$' then decode(leaf_hash, 'hex') else decode(repeat('00', 32), 'hex') end, ''::bytea order by leaf)
      filter (where leaf is not null) as leaves,
    array_agg(leaf order by leaf) filter (where rid is not null and cid is null) as unpaired,
    array_agg(leaf order by leaf) filter (where suspect or (rid is not null and leaf_hash !~ '^[0-9a-f]{64}$')) as suspects,
    array_agg(cid) filter (where rid is null) as strays
  from j`;

const MAC_INPUT_PG = `convert_to(concat(${MAC_COLUMNS.map((c) => `r.${c}`).join(`, E'\\n', `)}), 'UTF8')`;
const SEALS_SQL = `
  select s.first_leaf, s.count, s.mac, count(r.leaf_index)::int as n,
    sha256(string_agg(sha256(${MAC_INPUT_PG}), ''::bytea order by r.leaf_index)) as digest
  from archive_seals s
  left join archive_records r on r.org_id = s.org_id and r.leaf_index >= s.first_leaf and r.leaf_index < s.first_leaf + s.count
  where s.org_id = $1 and s.first_leaf >= $2 and s.first_leaf < $3
  group by s.first_leaf, s.count, s.mac
  order by s.first_leaf`;

interface SealRow {
  first_leaf: number;
  count: number;
  mac: string;
  n: number;
  digest: Buffer | null;
}

interface ScreenRow {
  records: number;
  leaves: Buffer | null;
  unpaired: number[] | null;
  suspects: number[] | null;
  strays: string[] | null;
}

/** Screens one range in the database. */
export async function screenPostgresRange(db: Kysely<DB>, orgId: string, range: ScreenRange): Promise<ScreenResult> {
  const result = emptyScreen(range, false);
  const { rows } = await db.executeQuery(CompiledQuery.raw(SCREEN_SQL, [orgId, range.from, range.to]) as CompiledQuery<ScreenRow>);
  const row = rows[0];
  if (!row) return result;
  result.records = row.records;
  result.unpaired = row.unpaired ?? [];
  result.suspects = row.suspects ?? [];
  result.strays = row.strays ?? [];
  const width = range.to - range.from;
  if (row.records === width && row.leaves && row.leaves.length === width * HASH_SIZE) {
    // Every index present (leaf_index is unique per city): the packed hashes are in index order.
    result.leaves.set(row.leaves);
    result.present.fill(1);
    return result;
  }
  // Gaps: place each leaf by its index.
  const present = await sql<{ leaf_index: number; leaf_hash: string }>`select leaf_index, leaf_hash from archive_records
    where org_id = ${orgId} and leaf_index >= ${range.from} and leaf_index < ${range.to} order by leaf_index`.execute(db);
  for (const p of present.rows) {
    result.present[p.leaf_index - range.from] = 1;
    packLeaf(result, p.leaf_index, p.leaf_hash);
  }
  return result;
}

/** Seal digests for the seals starting in `range`, computed in the database. */
export async function sealDigestsPostgres(db: Kysely<DB>, orgId: string, range: ScreenRange): Promise<SealDigest[]> {
  const { rows } = await db.executeQuery(CompiledQuery.raw(SEALS_SQL, [orgId, range.from, range.to]) as CompiledQuery<SealRow>);
  return rows.map((r) => ({ firstLeaf: r.first_leaf, count: r.count, mac: r.mac, digest: r.n === r.count ? r.digest : null }));
}
