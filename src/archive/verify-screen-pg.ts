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

// The same markers as record.ts payloadHashOf / evidenceHashOf and verify-content.ts.
const PAYLOAD_MARKER = '"payload":{"sha256":"';
const EVIDENCE_MARKER = '"evidence":{"sha256":"';
const THREAD_MARKER = ',"threadId":';

const json = (expr: string) => `coalesce(to_json(${expr})::text, 'null')`;

// Content rows in a range, checked on their own. Positions are found with split_part (a negative
// field counts from the end, so -1 is what follows the last marker), never with character offsets
// into the canonical text, which cost a walk from its start in UTF-8. The inner subquery is fenced
// with OFFSET 0 so PostgreSQL decompresses the canonical text (stored compressed, TOAST) once per
// row instead of once per reference.
const CONTENTS_SQL = `
  select record_id, leaf_index, account_id, kind,
    encode(sha256('\\x00'::bytea || convert_to(canon, 'UTF8')), 'hex') as leaf_hash,
    (encode(sha256(payload), 'hex') is not distinct from
       (case when strpos(canon, '${PAYLOAD_MARKER}') = 0 then null else left(split_part(canon, '${PAYLOAD_MARKER}', -1), 64) end)
     and encode(sha256(evidence), 'hex') is not distinct from
       (case when strpos(canon, '${EVIDENCE_MARKER}') = 0 then null else left(split_part(canon, '${EVIDENCE_MARKER}', 2), 64) end)
     and right(split_part(canon, '${THREAD_MARKER}', -2), length(text_json)) = text_json
     and starts_with(canon, head)
     and (case when author_json is null
           then starts_with(substr(canon, length(head) + 1, 18), 'null,"capturedAt":') or starts_with(substr(canon, length(head) + 1, 16), '{},"capturedAt":')
           else starts_with(substr(canon, length(head) + 1, length(author_json) + 14), author_json || ',"capturedAt":') end)
    ) as content_ok
  from (
    select record_id, leaf_index, account_id, kind, payload, evidence, canonical || '' as canon,
      ',"text":' || ${json('text')} as text_json,
      '{"accountId":' || ${json('account_id')} || ',"author":' as head,
      case when author_handle is null and author_id is null and author_name is null then null else
        '{' || concat_ws(',', '"handle":' || to_json(author_handle)::text, '"id":' || to_json(author_id)::text, '"name":' || to_json(author_name)::text) || '}' end as author_json
    from archive_contents where org_id = $1 and leaf_index >= $2 and leaf_index < $3 offset 0
  ) detoasted`;

export const SCREEN_SQL = `
  with j as (
    select r.leaf_index as leaf, r.leaf_hash, r.id as rid, c.record_id as cid,
      (r.id is not null and c.record_id is not null and not coalesce(
        c.content_ok and c.leaf_hash = r.leaf_hash and c.account_id is not distinct from r.account_id
          and c.kind is not distinct from r.kind and c.leaf_index = r.leaf_index, false)) as suspect
    from (select leaf_index, id, leaf_hash, account_id, kind from archive_records where org_id = $1 and leaf_index >= $2 and leaf_index < $3) r
    full join (${CONTENTS_SQL}) c on c.record_id = r.id
  )
  select count(leaf)::int as records,
    string_agg(leaf_hash, '' order by leaf) filter (where leaf is not null) as leaves,
    array_agg(leaf order by leaf) filter (where rid is not null and cid is null) as unpaired,
    array_agg(leaf order by leaf) filter (where suspect) as suspects,
    array_agg(cid) filter (where rid is null) as strays
  from j`;

const MAC_INPUT_PG = `convert_to(concat(${MAC_COLUMNS.map((c) => `r.${c}`).join(`, E'\\n', `)}), 'UTF8')`;
export const SEALS_SQL = `
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
  /** The stored leaf hashes (hex) concatenated in leaf order; checked and decoded here. */
  leaves: string | null;
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
  if (row.records === width && row.leaves && row.leaves.length === width * HASH_SIZE * 2 && /^[0-9a-f]*$/.test(row.leaves)) {
    // Every index present (leaf_index is unique per city) and well formed: the hashes are in index order.
    result.leaves.set(Buffer.from(row.leaves, 'hex'));
    result.present.fill(1);
    return result;
  }
  // Gaps or a malformed leaf hash: place each leaf by its index; a malformed one is a suspect.
  const present = await sql<{ leaf_index: number; leaf_hash: string }>`select leaf_index, leaf_hash from archive_records
    where org_id = ${orgId} and leaf_index >= ${range.from} and leaf_index < ${range.to} order by leaf_index`.execute(db);
  for (const p of present.rows) {
    result.present[p.leaf_index - range.from] = 1;
    if (!packLeaf(result, p.leaf_index, p.leaf_hash) && !result.suspects.includes(p.leaf_index)) result.suspects.push(p.leaf_index);
  }
  return result;
}

/** Seal digests for the seals starting in `range`, computed in the database. */
export async function sealDigestsPostgres(db: Kysely<DB>, orgId: string, range: ScreenRange): Promise<SealDigest[]> {
  const { rows } = await db.executeQuery(CompiledQuery.raw(SEALS_SQL, [orgId, range.from, range.to]) as CompiledQuery<SealRow>);
  return rows.map((r) => ({ firstLeaf: r.first_leaf, count: r.count, mac: r.mac, digest: r.n === r.count ? r.digest : null }));
}
