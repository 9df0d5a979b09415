// Placing and releasing legal holds. A hold row changes only through these two commands, and
// each appends an event (who, why, the criteria, before and after) in the same transaction.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { dateBound, getHold, parseSearchText, type HoldCriteria } from './holds.js';
import { archiveSources } from './retention.js';

export interface PlaceHoldInput {
  name: string;
  reason: string;
  criteria: HoldCriteria;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const when = (side: 'from' | 'to') => text(40).refine((v) => dateBound(v, side) !== null, 'expected an ISO 8601 date or date-time');

const PlaceHoldSchema = z.strictObject({
  name: text(200),
  reason: text(5000),
  criteria: z.strictObject({
    accountId: text(512).optional(),
    from: when('from').optional(),
    to: when('to').optional(),
    author: text(512).optional(),
    query: text(1000).refine((q) => parseSearchText(q).length > 0, 'needs at least one word to search for').optional(),
  }).refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'a hold needs at least one criterion (account, dates, author or words)' })
    .refine((c) => !c.from || !c.to || (dateBound(c.from, 'from') ?? '') < (dateBound(c.to, 'to') ?? ''), { message: '"from" must be before "to"', path: ['to'] }),
});

function invalid(error: z.ZodError, what: string): never {
  throw badRequest(what, error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })));
}

/** Places a hold: from now on no record its criteria match can be disposed of. Returns its id. */
export async function placeHold(ctx: CommandContext, input: PlaceHoldInput): Promise<string> {
  const parsed = PlaceHoldSchema.safeParse(input);
  if (!parsed.success) invalid(parsed.error, 'The legal hold is not valid');
  const { name, reason, criteria } = parsed.data;
  const id = randomUUID();
  const orgId = ctx.actor.orgId;
  return runCommand(ctx, {
    event: 'archive.hold_placed',
    authorize: { action: 'archive.hold', resource: { orgId } },
  }, async (trx, now) => {
    await trx.insertInto('legal_holds').values({
      id, org_id: orgId, name, reason, criteria: JSON.stringify(criteria), created_by: ctx.actor.label,
      created_at: now.toISOString(), released_at: null, released_by: null,
    }).execute();
    return {
      result: id, targetType: 'legal_hold', targetId: id,
      after: { name, reason, criteria, createdBy: ctx.actor.label }, sources: archiveSources(ctx.actor.pack),
    };
  });
}

/** Releases an active hold; the records it kept follow their retention schedule again. */
export async function releaseHold(ctx: CommandContext, holdId: string, reason: string): Promise<void> {
  const why = reason.trim();
  if (!why) throw badRequest('Say why the hold is released', [{ path: 'body.reason', message: 'required' }]);
  if (why.length > 5000) throw badRequest('The reason is too long', [{ path: 'body.reason', message: 'at most 5000 characters' }]);
  const orgId = ctx.actor.orgId;
  const hold = await getHold(ctx.db, orgId, holdId);
  if (!hold) throw notFound('Legal hold');
  await runCommand(ctx, {
    event: 'archive.hold_released',
    authorize: { action: 'archive.hold', resource: { orgId } },
  }, async (trx, now) => {
    const at = now.toISOString();
    // Only an active hold is released, and only once, even when two people release it at once.
    const done = await trx.updateTable('legal_holds').set({ released_at: at, released_by: ctx.actor.label })
      .where('org_id', '=', orgId).where('id', '=', holdId).where('released_at', 'is', null).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict(`The legal hold "${hold.name}" was already released`);
    return {
      result: undefined, targetType: 'legal_hold', targetId: holdId,
      before: { name: hold.name, criteria: hold.criteria, releasedAt: null, releasedBy: null },
      after: { name: hold.name, criteria: hold.criteria, releasedAt: at, releasedBy: ctx.actor.label, reason: why },
      sources: archiveSources(ctx.actor.pack),
    };
  });
}
