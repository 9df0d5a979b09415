// What every records-request command and query shares: the pack's records rules, loading a request
// of the actor's city, the permission on that request, and how a request is described in events.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB, RecordsRequestStatus, RecordsRequestsTable } from '../db/schema.js';
import type { CommandContext, CommandSpec } from '../events/command.js';
import { AppError, badRequest, forbidden, notFound, type FieldError } from '../http/errors.js';
import { decide } from '../policy/can.js';
import type { PolicyPack, RecordsRules } from '../policy/pack.schema.js';

export const STATUSES = ['received', 'acknowledged', 'searching', 'in_review', 'produced', 'closed', 'denied', 'partially_denied', 'withdrawn'] as const satisfies readonly RecordsRequestStatus[];

/** The clock runs while a request is in one of these: it has not been answered yet. */
export const OPEN_STATUSES: readonly RecordsRequestStatus[] = ['received', 'acknowledged', 'searching', 'in_review'];
/** The city has answered: records produced, or withheld with the exemptions cited. */
export const ANSWERED_STATUSES: readonly RecordsRequestStatus[] = ['produced', 'denied', 'partially_denied'];

export function isOpen(status: RecordsRequestStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** The pack's records section; a city whose own pack has none cannot take requests in CivicDesk yet. */
export function recordsRules(pack: PolicyPack): RecordsRules {
  if (!pack.records) {
    throw new AppError(409, 'no_records_rules', 'This city\'s policy pack has no "records" section (custodian, clock, exemptions): add it before taking records requests');
  }
  return pack.records;
}

export async function loadRequest(db: Kysely<DB>, orgId: string, id: string): Promise<RecordsRequestsTable> {
  const row = await db.selectFrom('records_requests').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Records request');
  return row;
}

/** runCommand's permission for acting on one request: records.request.manage for its department. */
export function manageSpec(event: string, request: Pick<RecordsRequestsTable, 'org_id' | 'department_id'>): CommandSpec {
  return { event, authorize: { action: 'records.request.manage', resource: { orgId: request.org_id, departmentId: request.department_id } } };
}

/**
 * Checked before any work outside a transaction (an archive search, capturing redacted copies,
 * writing a package): runCommand checks again, but only when it writes.
 */
export function assertManage(ctx: CommandContext, request: Pick<RecordsRequestsTable, 'org_id' | 'department_id'>): void {
  const d = decide(ctx.actor, 'records.request.manage', { orgId: request.org_id, departmentId: request.department_id });
  if (!d.allowed) throw forbidden(`Not allowed: ${d.reason}`, 'records.request.manage', d.sources);
}

export function assertStatus(request: RecordsRequestsTable, allowed: readonly RecordsRequestStatus[], what: string): void {
  if (!allowed.includes(request.status)) {
    throw new AppError(409, 'conflict', `Request ${request.number} is ${request.status.replace('_', ' ')}: it cannot ${what} now (only when ${allowed.map((s) => s.replace('_', ' ')).join(', ')})`);
  }
}

export function fieldErrors(error: z.ZodError, prefix = 'body'): FieldError[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].join('.'), message: i.message }));
}

export function invalid(error: z.ZodError, message: string): never {
  throw badRequest(message, fieldErrors(error));
}

/** The POLICY-MAP ids a records event cites: the pack's records section. */
export function recordsSources(pack: PolicyPack): string[] {
  return [...(pack.records?.sources ?? [])];
}

/** How a request appears in an event's before/after: what changed, never file contents. */
export function describeRequest(r: RecordsRequestsTable) {
  return {
    number: r.number, status: r.status, dueOn: r.due_on, feeEstimateCents: r.fee_estimate_cents,
    timeEstimateHours: r.time_estimate_hours, assignedTo: r.assigned_to, departmentId: r.department_id,
  };
}

/** Guards a status change against a concurrent one: the row must still be in the status read. */
export async function moveStatus(
  trx: Kysely<DB>, request: RecordsRequestsTable, set: Partial<RecordsRequestsTable> & { status: RecordsRequestStatus }, now: Date,
): Promise<RecordsRequestsTable> {
  const done = await trx.updateTable('records_requests').set({ ...set, updated_at: now.toISOString() })
    .where('id', '=', request.id).where('status', '=', request.status).executeTakeFirst();
  if (Number(done.numUpdatedRows) !== 1) throw new AppError(409, 'conflict', `Request ${request.number} was changed by someone else meanwhile: reload it`);
  return { ...request, ...set, updated_at: now.toISOString() };
}

export function money(cents: number | null): string | null {
  return cents === null ? null : `$${(cents / 100).toFixed(2)}`;
}
