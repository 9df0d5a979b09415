// Public records requests: intake, forwarding to the custodian (KA-14), acknowledgement, estimates,
// status, denial and closing. The clock is copied from the pack at intake, so the due date the
// requester was told never moves; each change is an event and so is archived like any staff action.
// Searching, reviewing and redacting are in review.commands.ts; producing is in produce.ts.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Transaction } from 'kysely';
import type { DB, RecordsRequestsTable } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest } from '../http/errors.js';
import { notifyRoles } from '../people/notifications.js';
import { can } from '../policy/can.js';
import { rolesGranting } from '../policy/pack.summary.js';
import { cityDate, dueOn } from './clock.js';
import { acknowledgementLetter } from './letters.js';
import {
  ANSWERED_STATUSES, OPEN_STATUSES, STATUSES, assertStatus, describeRequest, invalid, loadRequest, manageSpec, moveStatus, recordsRules,
  recordsSources,
} from './requests.shared.js';

const text = (max: number) => z.string().trim().min(1, 'required').max(max);
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => v || null);
const cents = z.int('a whole number of cents').min(0).max(100_000_000).nullable().optional();
const hours = z.number().min(0).max(10_000).nullable().optional();

const NewRequestSchema = z.strictObject({
  requesterName: text(200),
  /** E-mail, telephone or postal address: however the requester asked to be answered. */
  requesterContact: text(500),
  scope: text(5000),
  /** When the city received it (a forwarded request's clock starts when any staff member got it). */
  receivedAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO 8601 date-time').optional(),
  departmentId: z.string().min(1).max(200).nullable().optional(),
  notes: optionalText(5000),
});
export type NewRequestInput = z.input<typeof NewRequestSchema>;

const EstimatesSchema = z.strictObject({
  feeEstimateCents: cents,
  timeEstimateHours: hours,
  notes: optionalText(5000),
  assignedTo: z.string().min(1).max(200).nullable().optional(),
});
export type EstimatesInput = z.input<typeof EstimatesSchema>;

const AcknowledgeSchema = z.strictObject({ feeEstimateCents: cents, timeEstimateHours: hours });

const StatusSchema = z.strictObject({ status: z.enum(['searching', 'withdrawn']), reason: text(2000) });

const DenySchema = z.strictObject({ exemptions: z.array(z.string().min(1).max(100)).min(1, 'cite at least one exemption'), explanation: text(5000) });

const CloseSchema = z.strictObject({ note: optionalText(2000) });

/** Allowed clock skew for "received at": a request cannot arrive in the future. */
const SKEW_MS = 5 * 60_000;

async function nextNumber(trx: Transaction<DB>, orgId: string, year: string): Promise<string> {
  const prefix = `R-${year}-`;
  const row = await trx.selectFrom('records_requests').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId).where('number', 'like', `${prefix}%`).executeTakeFirst();
  return `${prefix}${String(Number(row?.n ?? 0) + 1).padStart(4, '0')}`;
}

function isNumberClash(err: unknown): boolean {
  return err instanceof Error && /records_requests_number|records_requests\.number/.test(err.message);
}

async function createRequest(ctx: CommandContext, input: NewRequestInput, how: 'intake' | 'forward'): Promise<RecordsRequestsTable> {
  const parsed = NewRequestSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The records request is not complete');
  const v = parsed.data;
  const { pack } = ctx.actor;
  const rules = recordsRules(pack);
  const orgId = ctx.actor.orgId;
  const now = ctx.now?.() ?? new Date();
  const received = v.receivedAt ? new Date(v.receivedAt) : now;
  if (received.getTime() > now.getTime() + SKEW_MS) throw badRequest('A request cannot be received in the future', [{ path: 'body.receivedAt', message: 'in the future' }]);
  if (v.departmentId) {
    const dept = await ctx.db.selectFrom('departments').select('id').where('org_id', '=', orgId).where('id', '=', v.departmentId).executeTakeFirst();
    if (!dept) throw badRequest('Unknown department', [{ path: 'body.departmentId', message: 'not a department of this city' }]);
  }
  const spec = how === 'intake'
    // Only a city-wide holder takes requests in: the custodian receives every request, whatever department holds the records.
    ? { event: 'records.request_received', authorize: { action: 'records.request.manage' as const, resource: { orgId, departmentId: null } } }
    : { event: 'records.request_forwarded', authorize: { action: 'records.request.forward' as const, resource: { orgId } } };
  for (let attempt = 0; ; attempt++) {
    try {
      return await runCommand(ctx, spec, async (trx, at) => {
        const row: RecordsRequestsTable = {
          id: randomUUID(), org_id: orgId, number: await nextNumber(trx, orgId, cityDate(received, pack.city.timeZone).slice(0, 4)),
          requester_name: v.requesterName, requester_contact: v.requesterContact, received_at: received.toISOString(), scope: v.scope,
          clock_days: rules.clock.days, clock_business: rules.clock.business ? 1 : 0, clock_statute: rules.clock.statute,
          due_on: dueOn(received, rules.clock, pack.city.timeZone), status: 'received', fee_estimate_cents: null, time_estimate_hours: null,
          notes: v.notes, department_id: v.departmentId ?? null, assigned_to: how === 'intake' ? ctx.actor.userId : null,
          forwarded_by: how === 'forward' ? ctx.actor.userId : null, acknowledged_at: null, answered_at: null, denial: null, closed_at: null,
          reminded_due_soon_at: null, reminded_overdue_at: null, created_at: at.toISOString(), updated_at: at.toISOString(),
        };
        await trx.insertInto('records_requests').values(row).execute();
        if (how === 'forward') {
          // KA-14: forwarded promptly to the City Clerk, told in the app and by e-mail in this same transaction.
          await notifyRoles(trx, {
            orgId, roleIds: [rules.custodianRole], exclude: ctx.actor.userId ? [ctx.actor.userId] : [], at, link: `/records/requests/${row.id}`,
            text: `${ctx.actor.label} forwarded public records request ${row.number} from ${row.requester_name}, due ${row.due_on}: "${row.scope.slice(0, 120)}"`,
          });
        }
        return {
          result: row, targetType: 'records_request', targetId: row.id,
          after: { ...describeRequest(row), requester: row.requester_name, receivedAt: row.received_at, scope: row.scope, clock: rules.clock, forwardedBy: how === 'forward' ? ctx.actor.label : null },
          sources: recordsSources(pack),
        };
      });
    } catch (err) {
      // Two requests numbered at the same moment: the database refused the second; number it again.
      if (attempt < 3 && isNumberClash(err)) continue;
      throw err;
    }
  }
}

/** The custodian takes in a request (in person, by e-mail, on the phone). */
export function intakeRequest(ctx: CommandContext, input: NewRequestInput): Promise<RecordsRequestsTable> {
  return createRequest(ctx, input, 'intake');
}

/** Any staff member passes a request they received to the custodian (KA-14); the clock starts when they got it. */
export function forwardRequest(ctx: CommandContext, input: NewRequestInput): Promise<RecordsRequestsTable> {
  return createRequest(ctx, input, 'forward');
}

/** Acknowledges receipt, optionally with estimates; returns the acknowledgement letter. */
export async function acknowledgeRequest(ctx: CommandContext, id: string, input: z.input<typeof AcknowledgeSchema> = {}): Promise<{ letter: string }> {
  const parsed = AcknowledgeSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The estimates are not valid');
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertStatus(request, ['received'], 'be acknowledged');
  return runCommand(ctx, manageSpec('records.request_acknowledged', request), async (trx, now) => {
    const updated = await moveStatus(trx, request, {
      status: 'acknowledged', acknowledged_at: now.toISOString(),
      fee_estimate_cents: parsed.data.feeEstimateCents ?? request.fee_estimate_cents,
      time_estimate_hours: parsed.data.timeEstimateHours ?? request.time_estimate_hours,
    }, now);
    const letter = acknowledgementLetter(ctx.actor.pack, updated, now);
    return {
      result: { letter }, targetType: 'records_request', targetId: id,
      before: describeRequest(request), after: describeRequest(updated), sources: recordsSources(ctx.actor.pack),
    };
  });
}

/** Fee and time estimates, notes and who works on it; any change is in the request's history. */
export async function updateRequest(ctx: CommandContext, id: string, input: EstimatesInput): Promise<RecordsRequestsTable> {
  const parsed = EstimatesSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The update is not valid');
  const v = parsed.data;
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertStatus(request, STATUSES.filter((st) => st !== 'closed'), 'change');
  if (v.assignedTo) await assertAssignable(ctx, v.assignedTo, request.department_id);
  const set: Partial<RecordsRequestsTable> = {};
  if (v.feeEstimateCents !== undefined) set.fee_estimate_cents = v.feeEstimateCents;
  if (v.timeEstimateHours !== undefined) set.time_estimate_hours = v.timeEstimateHours;
  if (input.notes !== undefined) set.notes = v.notes;
  if (v.assignedTo !== undefined) set.assigned_to = v.assignedTo;
  return runCommand(ctx, manageSpec('records.request_updated', request), async (trx, now) => {
    const updated = await moveStatus(trx, request, { ...set, status: request.status }, now);
    return {
      result: updated, targetType: 'records_request', targetId: id,
      before: { ...describeRequest(request), notes: request.notes }, after: { ...describeRequest(updated), notes: updated.notes },
      sources: recordsSources(ctx.actor.pack),
    };
  });
}

/** Only staff who may manage this request can be assigned it. */
async function assertAssignable(ctx: CommandContext, userId: string, departmentId: string | null): Promise<void> {
  const user = await ctx.db.selectFrom('users').select(['id', 'department_id', 'status']).where('org_id', '=', ctx.actor.orgId).where('id', '=', userId).executeTakeFirst();
  const roles = user ? (await ctx.db.selectFrom('user_roles').select('role_id').where('user_id', '=', userId).execute()).map((r) => r.role_id) : [];
  const holders = rolesGranting(ctx.actor.pack, 'records.request.manage').map((r) => r.id);
  const actor = user && { kind: 'user' as const, userId, orgId: ctx.actor.orgId, label: '', roles, departmentId: user.department_id, pack: ctx.actor.pack };
  if (!user || user.status !== 'active' || !roles.some((r) => holders.includes(r)) || !actor || !can(actor, 'records.request.manage', { orgId: ctx.actor.orgId, departmentId })) {
    throw badRequest('That person cannot handle this request', [{ path: 'body.assignedTo', message: 'must be active staff who may manage records requests' }]);
  }
}

/** Staff are searching (paper files, other systems), or the requester withdrew the request. */
export async function setRequestStatus(ctx: CommandContext, id: string, input: z.input<typeof StatusSchema>): Promise<void> {
  const parsed = StatusSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The status change is not valid');
  const { status, reason } = parsed.data;
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertStatus(request, status === 'searching' ? ['received', 'acknowledged', 'in_review'] : OPEN_STATUSES, `become ${status}`);
  await runCommand(ctx, manageSpec('records.request_status_changed', request), async (trx, now) => {
    const updated = await moveStatus(trx, request, { status, ...(status === 'withdrawn' ? { answered_at: now.toISOString() } : {}) }, now);
    return {
      result: undefined, targetType: 'records_request', targetId: id,
      before: describeRequest(request), after: { ...describeRequest(updated), reason }, sources: recordsSources(ctx.actor.pack),
    };
  });
}

/** Denies the whole request, citing the pack's exemptions; the denial letter quotes their citations. */
export async function denyRequest(ctx: CommandContext, id: string, input: z.input<typeof DenySchema>): Promise<void> {
  const parsed = DenySchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The denial is not valid');
  const codes = [...new Set(parsed.data.exemptions)];
  const known = recordsRules(ctx.actor.pack).exemptions.map((e) => e.code);
  const unknown = codes.filter((c) => !known.includes(c));
  if (unknown.length) throw badRequest('Cite the exemptions of this city\'s policy pack', unknown.map((c) => ({ path: 'body.exemptions', message: `"${c}" is not one of ${known.join(', ')}` })));
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertStatus(request, OPEN_STATUSES, 'be denied');
  await runCommand(ctx, manageSpec('records.request_denied', request), async (trx, now) => {
    const denial = { codes, explanation: parsed.data.explanation };
    const updated = await moveStatus(trx, request, { status: 'denied', denial: JSON.stringify(denial), answered_at: now.toISOString() }, now);
    return {
      result: undefined, targetType: 'records_request', targetId: id,
      before: describeRequest(request), after: { ...describeRequest(updated), denial }, sources: recordsSources(ctx.actor.pack),
    };
  });
}

/** Closes a request once answered or withdrawn; closing an unanswered one needs a written note (e.g. no responsive records). */
export async function closeRequest(ctx: CommandContext, id: string, input: z.input<typeof CloseSchema> = {}): Promise<void> {
  const parsed = CloseSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The note is not valid');
  const request = await loadRequest(ctx.db, ctx.actor.orgId, id);
  assertStatus(request, [...OPEN_STATUSES, ...ANSWERED_STATUSES, 'withdrawn'], 'be closed');
  const unanswered = OPEN_STATUSES.includes(request.status);
  if (unanswered && (parsed.data.note ?? '').length < 10) {
    throw badRequest('Say why an unanswered request is closed (for example: no responsive records exist)', [{ path: 'body.note', message: 'at least 10 characters' }]);
  }
  await runCommand(ctx, manageSpec('records.request_closed', request), async (trx, now) => {
    const at = now.toISOString();
    const updated = await moveStatus(trx, request, { status: 'closed', closed_at: at, ...(unanswered ? { answered_at: at } : {}) }, now);
    return {
      result: undefined, targetType: 'records_request', targetId: id,
      before: describeRequest(request), after: { ...describeRequest(updated), note: parsed.data.note }, sources: recordsSources(ctx.actor.pack),
    };
  });
}
