// Emergency / incident mode (LX-5, BZ-6, BZ-8). Opening an emergency is the lead's pre-approval of
// its updates: an update draft tied to the open incident takes the fast path (only the chain's
// last step, the publisher), is published as one thread per account, and may skip "website
// first" where the pack allows it. Closing the incident needs the after-incident review, and, where
// the pack wants the website first, confirmation that the updates are now on the website.
import { randomUUID } from 'node:crypto';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { notify, roleHolders } from '../people/notifications.js';

const EMERGENCY_IDS = ['LX-5', 'BZ-6', 'BZ-8'];

function sourcesOf(ctx: CommandContext): string[] {
  const { pack } = ctx.actor;
  const cited = new Set([...pack.content.sources, ...pack.approvalChains.content.sources]);
  return EMERGENCY_IDS.filter((id) => cited.has(id) || pack.roles.some((r) => r.sources.includes(id)));
}

export async function openEmergency(ctx: CommandContext, summary: string): Promise<string> {
  const text = summary.trim();
  if (text.length < 5) throw badRequest('Describe the emergency', [{ path: 'body.summary', message: 'at least 5 characters' }]);
  const id = randomUUID();
  return runCommand(ctx, { event: 'incident.opened', authorize: { action: 'incident.lead', resource: { orgId: ctx.actor.orgId, departmentId: ctx.actor.departmentId } } }, async (trx, now) => {
    await trx.insertInto('incidents').values({
      id, org_id: ctx.actor.orgId, kind: 'emergency', account_id: null, status: 'open', summary: text.slice(0, 2000), platform_id: null,
      lead_id: ctx.actor.userId, opened_at: now.toISOString(), resolved_at: null, review: null,
    }).execute();
    const publishers = await roleHolders(trx, ctx.actor.orgId, ctx.actor.pack.roles.filter((r) => r.grants.some((g) => g.startsWith('content.publish') || g.startsWith('content.submit'))).map((r) => r.id));
    const notified = await notify(trx, { orgId: ctx.actor.orgId, userIds: publishers.filter((u) => u !== ctx.actor.userId), at: now, link: `/incidents`,
      text: `Emergency opened by ${ctx.actor.label}: ${text.slice(0, 140)}. Updates tied to it are pre-approved and go straight to the publisher.` });
    return { result: id, targetType: 'incident', targetId: id, after: { summary: text, lead: ctx.actor.label, notified }, sources: sourcesOf(ctx) };
  });
}

export async function closeEmergency(ctx: CommandContext, id: string, input: { review: string; websiteUpdated?: boolean }): Promise<void> {
  const incident = await ctx.db.selectFrom('incidents').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!incident || incident.kind !== 'emergency') throw notFound('Emergency');
  if (incident.status !== 'open') throw conflict('This emergency is already closed');
  const review = input.review.trim();
  const problems = [];
  if (review.length < 20) problems.push({ path: 'body.review', message: 'write the after-incident review: what was released, what worked, what to change' });
  if (ctx.actor.pack.content.websiteFirst && input.websiteUpdated !== true) {
    problems.push({ path: 'body.websiteUpdated', message: 'the policy wants emergency updates on the city website as soon as possible: confirm they are there' });
  }
  if (problems.length) throw badRequest('The emergency cannot be closed yet', problems);
  await runCommand(ctx, { event: 'incident.closed', authorize: { action: 'incident.lead', resource: { orgId: ctx.actor.orgId, departmentId: ctx.actor.departmentId } } }, async (trx, now) => {
    await trx.updateTable('incidents').set({ status: 'resolved', resolved_at: now.toISOString(), review }).where('id', '=', id).execute();
    return { result: undefined, targetType: 'incident', targetId: id, before: { status: 'open' }, after: { status: 'resolved', review, websiteUpdated: input.websiteUpdated ?? null }, sources: sourcesOf(ctx) };
  });
}

/** Whether a draft is an update of an open emergency (and so takes the fast path). */
export async function openEmergencyOf(ctx: CommandContext, incidentId: string | null | undefined): Promise<{ id: string; lead: string | null } | null> {
  if (!incidentId) return null;
  const row = await ctx.db.selectFrom('incidents').select(['id', 'lead_id', 'status', 'kind']).where('org_id', '=', ctx.actor.orgId).where('id', '=', incidentId).executeTakeFirst();
  if (!row || row.kind !== 'emergency') throw badRequest('No such emergency', [{ path: 'body.incidentId', message: 'not an emergency of this city' }]);
  if (row.status !== 'open') throw badRequest('That emergency is closed', [{ path: 'body.incidentId', message: 'closed' }]);
  return { id: row.id, lead: row.lead_id };
}
