// Recording that a person completed one of the pack's training modules (LX-11, BZ-4). Completions
// are append-only (the table refuses updates and deletes): a renewal is a new row that supersedes the
// old one, so the record shows every time the training was done.
import { randomUUID } from 'node:crypto';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, notFound } from '../http/errors.js';
import { cityToday } from './training.queries.js';

export interface RecordCompletionInput {
  userId: string;
  moduleId: string;
  /** YYYY-MM-DD, the day the training was done. */
  completedOn: string;
  evidence?: string | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * completedOn + months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb), so a renewal
 * never falls due later than the policy's period.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export async function recordCompletion(ctx: CommandContext, input: RecordCompletionInput): Promise<string> {
  const { pack, orgId } = ctx.actor;
  const module = pack.training.find((m) => m.id === input.moduleId);
  if (!module) {
    const known = pack.training.map((m) => m.id);
    throw badRequest('Unknown training module', [{
      path: 'body.moduleId',
      message: known.length
        ? `"${input.moduleId}" is not a module of this city's policy (modules: ${known.join(', ')})`
        : 'this city\'s policy requires no training modules',
    }]);
  }
  if (!isRealDate(input.completedOn)) {
    throw badRequest('The completion date is not valid', [{ path: 'body.completedOn', message: 'expected a date as YYYY-MM-DD' }]);
  }
  const now = ctx.now?.() ?? new Date();
  if (input.completedOn > cityToday(pack, now)) {
    throw badRequest('Training cannot be recorded before it happens', [{ path: 'body.completedOn', message: 'is in the future' }]);
  }
  const person = await ctx.db.selectFrom('users').select(['id', 'department_id', 'email'])
    .where('org_id', '=', orgId).where('id', '=', input.userId).executeTakeFirst();
  if (!person) throw notFound('Staff member');

  const expiresOn = module.renewEveryMonths ? addMonths(input.completedOn, module.renewEveryMonths) : null;
  const id = randomUUID();
  return runCommand(ctx, {
    event: 'training.recorded',
    authorize: { action: 'training.manage', resource: { orgId, departmentId: person.department_id } },
  }, async (trx, at) => {
    await trx.insertInto('training_completions').values({
      id, org_id: orgId, user_id: person.id, module_id: module.id, completed_on: input.completedOn,
      expires_on: expiresOn, recorded_by: ctx.actor.label, evidence: input.evidence?.trim() || null,
      created_at: at.toISOString(),
    }).execute();
    return {
      result: id,
      targetType: 'staff',
      targetId: person.id,
      after: { module: module.id, title: module.title, completedOn: input.completedOn, expiresOn, email: person.email },
      sources: module.sources,
    };
  });
}
