// The City Clerk's retention decisions: the period of a series (with the schedule item it comes
// from), and approving the disposition of records past their retention date. Only those who hold
// `archive.disposition.approve` in the city's pack may do either (LX-10: set up with the Clerk).
import { randomUUID } from 'node:crypto';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, type FieldError } from '../http/errors.js';
import type { ArchiveDeps } from './archive.service.js';
import { holdsCovering, sameOrg } from './holds.js';
import { archiveSources, retentionDate, retentionSchedule } from './retention.js';

export interface RetentionPeriodInput {
  series: string;
  /** Whole years after capture; null keeps the series permanently. */
  retainYears: number | null;
  /** The item of the records retention schedule this applies, e.g. "MT LG-SM-01". */
  scheduleItem: string;
}

const PeriodSchema = z.strictObject({
  series: z.string().regex(/^[a-z][a-z0-9_]*$/, 'a series id: lower case letters, digits and _').max(64),
  retainYears: z.number().int().min(1).max(200).nullable(),
  scheduleItem: z.string().trim().min(1).max(500),
});

const DispositionSchema = z.strictObject({
  recordIds: z.array(z.string().min(1).max(200)).min(1).max(1000)
    .refine((ids) => new Set(ids).size === ids.length, 'a record is listed twice'),
  reason: z.string().trim().min(1).max(5000),
});

function invalid(error: z.ZodError, what: string): never {
  throw badRequest(what, error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })));
}

/** Records the Clerk's period for a series; it replaces the pack's from now on. */
export async function setRetentionPeriod(ctx: CommandContext, input: RetentionPeriodInput): Promise<void> {
  const parsed = PeriodSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The retention period is not valid');
  const { series, retainYears, scheduleItem } = parsed.data;
  const orgId = ctx.actor.orgId;
  await runCommand(ctx, {
    event: 'archive.retention_set',
    authorize: { action: 'archive.disposition.approve', resource: { orgId } },
  }, async (trx, now) => {
    const before = (await retentionSchedule({ db: trx }, orgId, ctx.actor.pack)).find((s) => s.series === series);
    const row = { org_id: orgId, series, retain_years: retainYears, schedule_item: scheduleItem, set_by: ctx.actor.label, set_at: now.toISOString() };
    await trx.insertInto('retention_schedule').values(row)
      .onConflict((oc) => oc.columns(['org_id', 'series']).doUpdateSet({ retain_years: retainYears, schedule_item: scheduleItem, set_by: row.set_by, set_at: row.set_at }))
      .execute();
    return {
      result: undefined, targetType: 'retention_series', targetId: series,
      before: before ? { retainYears: before.retainYears, source: before.source, scheduleItem: before.scheduleItem } : null,
      after: { retainYears, source: 'clerk', scheduleItem },
      sources: archiveSources(ctx.actor.pack, [series]),
    };
  });
}

export interface DispositionInput {
  recordIds: string[];
  reason: string;
}

/**
 * Destroys the content of records past their retention date, all or nothing: every record must
 * be due, not yet destroyed and not under an active hold, or the whole batch is refused naming
 * the records at fault. The disposition rows come first (the database refuses to delete content
 * without one); the records' leaves stay, so the log still verifies. Media blobs are shared by
 * content address and are left in place.
 */
export async function approveDisposition(ctx: CommandContext, deps: ArchiveDeps, input: DispositionInput): Promise<{ destroyed: number; dispositionIds: string[] }> {
  const parsed = DispositionSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The disposition is not valid');
  const { recordIds, reason } = parsed.data;
  const orgId = ctx.actor.orgId;
  const batchId = randomUUID();
  return runCommand(ctx, {
    event: 'archive.disposition_approved',
    authorize: { action: 'archive.disposition.approve', resource: { orgId } },
  }, async (trx, now) => {
    // PostgreSQL: no hold can be placed or released until this commits (SQLite writes one at a time).
    if (deps.dialect === 'postgres') await sql`LOCK TABLE legal_holds IN SHARE MODE`.execute(trx);
    const a = { db: trx, dialect: deps.dialect };
    const schedule = new Map((await retentionSchedule(a, orgId, ctx.actor.pack)).map((s) => [s.series, s]));
    const found = new Map<string, { id: string; leaf_index: number; kind: string; series: string; captured_at: string; content_id: string | null; destroyed_at: string | null }>();
    for (let i = 0; i < recordIds.length; i += 400) {
      const rows = await trx.selectFrom('archive_records as r')
        .leftJoin('archive_contents as c', 'c.record_id', 'r.id').leftJoin('archive_dispositions as d', 'd.record_id', 'r.id')
        .select(['r.id', 'r.leaf_index', 'r.kind', 'r.series', 'r.captured_at', 'c.record_id as content_id', 'd.destroyed_at'])
        .where(sameOrg(orgId)).where('r.id', 'in', recordIds.slice(i, i + 400)).execute();
      for (const r of rows) found.set(r.id, r);
    }
    const holds = await holdsCovering(a, orgId, recordIds);
    const problems: FieldError[] = [];
    const rows: DB['archive_dispositions'][] = [];
    recordIds.forEach((id, i) => {
      const fail = (message: string) => problems.push({ path: `body.recordIds[${i}]`, message: `${id}: ${message}` });
      const r = found.get(id);
      if (!r) return fail('no such record in this city\'s archive');
      if (r.destroyed_at !== null) return fail(`already destroyed on ${r.destroyed_at}`);
      if (r.content_id === null) return fail('its content is missing without a disposition: run archive verify');
      const s = schedule.get(r.series);
      const until = retentionDate(r.captured_at, s?.retainYears ?? null);
      if (until === null) return fail(`series "${r.series}" is kept permanently`);
      if (until > now.toISOString()) return fail(`not due until ${until}`);
      const held = holds.get(id);
      if (held?.length) return fail(`under legal hold: ${held.map((h) => h.name).join(', ')}`);
      rows.push({
        id: randomUUID(), org_id: orgId, record_id: id, leaf_index: r.leaf_index, kind: r.kind, series: r.series,
        captured_at: r.captured_at, retain_until: until,
        schedule_item: s?.source === 'clerk' ? s.scheduleItem : s?.authority ? `policy pack: ${s.authority}` : null,
        approved_by: ctx.actor.label, reason, destroyed_at: now.toISOString(),
      });
    });
    if (problems.length) {
      throw conflict(`Nothing was destroyed: ${problems.length} of the ${recordIds.length} records cannot be disposed of`, problems);
    }
    for (let i = 0; i < rows.length; i += 400) {
      const chunk = rows.slice(i, i + 400);
      await trx.insertInto('archive_dispositions').values(chunk).execute();
      // SQLite's trigger removes the full-text rows too; PostgreSQL's tsvector goes with the row.
      // (org_id || '') keeps SQLite on the record_id index rather than scanning the city's rows.
      await trx.deleteFrom('archive_contents').where(sql<SqlBool>`(org_id || '') = ${orgId}`)
        .where('record_id', 'in', chunk.map((r) => r.record_id)).execute();
    }
    const series = [...new Set(rows.map((r) => r.series))].sort();
    return {
      result: { destroyed: rows.length, dispositionIds: rows.map((r) => r.id) },
      targetType: 'archive_disposition', targetId: batchId,
      after: { recordIds, count: rows.length, series, reason },
      sources: archiveSources(ctx.actor.pack, series),
    };
  });
}
