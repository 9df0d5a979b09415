// A redaction protects words, not a record: the same words can sit in another record the Clerk
// includes — an earlier version of the comment, a reply quoting it, the raw payload of a record
// captured twice. Before anything is produced, every included record that is not itself being
// redacted is searched (its text and its raw payload) for each redacted passage; a hit stops the
// production and names the records, so the Clerk redacts or excludes them too.
import type { Kysely } from 'kysely';
import type { DB, RecordsRequestRedactionsTable } from '../db/schema.js';

const CHUNK = 200;
/** Shorter passages (initials, a digit) would match everywhere and say nothing. */
const MIN_PASSAGE = 4;

export interface Leak {
  recordId: string;
  /** The record whose redaction the passage comes from. */
  redactedRecordId: string;
}

export async function findLeaks(
  db: Kysely<DB>, orgId: string, included: readonly string[], redactions: readonly RecordsRequestRedactionsTable[],
): Promise<Leak[]> {
  const redactedIds = new Set(redactions.map((r) => r.record_id));
  if (redactedIds.size === 0) return [];
  const texts = new Map<string, string>();
  for (const row of await readTexts(db, orgId, [...redactedIds])) texts.set(row.record_id, row.text ?? '');
  const passages: Array<{ text: string; from: string }> = [];
  for (const r of redactions) {
    const passage = (texts.get(r.record_id) ?? '').slice(r.start_offset, r.end_offset).trim();
    if (passage.length >= MIN_PASSAGE) passages.push({ text: passage, from: r.record_id });
  }
  if (passages.length === 0) return [];
  // Raw payloads are JSON or other text: a passage may appear with JSON escapes, so both forms are sought.
  const forms = passages.map((p) => ({ ...p, escaped: JSON.stringify(p.text).slice(1, -1) }));
  const others = included.filter((id) => !redactedIds.has(id));
  const leaks: Leak[] = [];
  for (let i = 0; i < others.length; i += CHUNK) {
    const rows = await db.selectFrom('archive_contents').select(['record_id', 'text', 'payload'])
      .where('org_id', '=', orgId).where('record_id', 'in', others.slice(i, i + CHUNK)).execute();
    for (const row of rows) {
      const payload = row.payload ? Buffer.from(row.payload).toString('utf8') : '';
      const hit = forms.find((f) => (row.text ?? '').includes(f.text) || payload.includes(f.text) || payload.includes(f.escaped));
      if (hit) leaks.push({ recordId: row.record_id, redactedRecordId: hit.from });
    }
  }
  return leaks;
}

async function readTexts(db: Kysely<DB>, orgId: string, ids: string[]): Promise<Array<{ record_id: string; text: string | null }>> {
  const out: Array<{ record_id: string; text: string | null }> = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    out.push(...await db.selectFrom('archive_contents').select(['record_id', 'text']).where('org_id', '=', orgId).where('record_id', 'in', ids.slice(i, i + CHUNK)).execute());
  }
  return out;
}
