// The one way state changes: check permission against the pack, run the change, and append an
// event describing it, all in one transaction. If any part fails, nothing is written.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { decide, type Actor, type Resource } from '../policy/can.js';
import type { Action } from '../policy/actions.js';
import { forbidden } from '../http/errors.js';

export interface CommandContext {
  db: Kysely<DB>;
  actor: Actor;
  /** Digest of the pack in force, recorded on every event ("under which policy version"). */
  packVersion: string;
  requestId?: string;
  now?: () => Date;
}

export interface CommandOutcome<T> {
  result: T;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  /** POLICY-MAP ids the change enforces or relies on, beyond the permission's own. */
  sources?: string[];
}

export interface CommandSpec {
  /** The event's name, e.g. `staff.added`. */
  event: string;
  /**
   * The permission checked with `can()`, or `self` for what a signed-in person does to their own
   * identity (sign in, enrol 2FA) — authentication, not authorization.
   */
  authorize: { action: Action; resource: Resource } | 'self';
}

export async function runCommand<T>(
  ctx: CommandContext,
  spec: CommandSpec,
  body: (trx: Transaction<DB>, now: Date) => Promise<CommandOutcome<T>>,
): Promise<T> {
  let permissionSources: string[] = [];
  if (spec.authorize !== 'self') {
    const decision = decide(ctx.actor, spec.authorize.action, spec.authorize.resource);
    if (!decision.allowed) {
      throw forbidden(`Not allowed: ${decision.reason}`, spec.authorize.action, decision.sources);
    }
    permissionSources = decision.sources;
  }
  const now = ctx.now?.() ?? new Date();
  return ctx.db.transaction().execute(async (trx) => {
    const outcome = await body(trx, now);
    await appendEvent(trx, ctx, {
      action: spec.event,
      targetType: outcome.targetType,
      targetId: outcome.targetId,
      before: outcome.before,
      after: outcome.after,
      sources: [...new Set([...(outcome.sources ?? []), ...permissionSources])].sort(),
      at: now,
    });
    return outcome.result;
  });
}

interface EventInput {
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  sources: string[];
  at: Date;
}

// Only runCommand calls this, inside its transaction.
async function appendEvent(trx: Transaction<DB>, ctx: CommandContext, e: EventInput): Promise<void> {
  await trx.insertInto('events').values({
    id: randomUUID(),
    org_id: ctx.actor.orgId,
    actor_id: ctx.actor.userId,
    actor_label: ctx.actor.label,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId,
    before: e.before === undefined ? null : JSON.stringify(e.before),
    after: e.after === undefined ? null : JSON.stringify(e.after),
    sources: JSON.stringify(e.sources),
    pack_version: ctx.packVersion,
    request_id: ctx.requestId ?? null,
    created_at: e.at.toISOString(),
  }).execute();
}
