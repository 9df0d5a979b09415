// Drafts and their approval: compose, check against the pack, submit through the pack's content
// chain, decide step by step. No self-approval, nobody decides two steps, and an edit after
// submission sends the draft back to its author (the approvals were of another text).
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { DB, DraftsTable } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../http/errors.js';
import { decide as can, type Resource } from '../policy/can.js';
import { notify, roleHolders } from '../people/notifications.js';
import type { ChainSnapshot } from '../accounts/requests.queries.js';
import { checkDraft, blocking, type Finding } from './checks/index.js';
import { openEmergencyOf } from './incidents.commands.js';
import { templatePathFor, type TemplatePath } from './template-path.js';

const Id = z.string().min(1).max(200);
const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const DraftInput = z.strictObject({
  text: z.string().trim().min(1, 'write the post').max(63_206),
  variants: z.array(z.strictObject({ platform: z.string().min(1).max(60), text: z.string().trim().min(1).max(63_206) })).max(10).default([]),
  media: z.array(z.strictObject({
    sha256: Hex64, mime: z.string().min(1).max(100), size: z.number().int().min(1), alt: z.string().max(2000).nullable().optional(),
  })).max(4).default([]),
  link: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  websiteUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  category: z.string().max(60).nullable().optional(),
  emergency: z.boolean().default(false),
  /** An update of an open emergency: pre-approved by its lead, published as one thread. */
  incidentId: Id.nullable().optional(),
  accountIds: z.array(Id).min(1, 'choose at least one account').max(20),
  departmentId: Id.nullable().optional(),
  scheduledAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type DraftInput = z.input<typeof DraftInput>;
type ParsedDraft = z.output<typeof DraftInput>;

function parse(raw: unknown): ParsedDraft {
  const parsed = DraftInput.safeParse(raw);
  if (!parsed.success) {
    throw badRequest('The draft is not valid', parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })));
  }
  return parsed.data;
}

/** Runs the pack's checks on a draft as stored or as proposed. */
export function findingsFor(ctx: CommandContext, d: ParsedDraft): Finding[] {
  return checkDraft(ctx.actor.pack, {
    text: d.text, variants: d.variants, media: d.media.map((m) => ({ alt: m.alt ?? null, mime: m.mime })),
    link: d.link ?? null, category: d.category ?? null, emergency: d.emergency || Boolean(d.incidentId), websiteUrl: d.websiteUrl ?? null,
  });
}

async function targetsOf(trx: Transaction<DB>, orgId: string, ids: string[]): Promise<Array<{ id: string; platform: string; department_id: string | null }>> {
  const rows = await trx.selectFrom('accounts').select(['id', 'platform', 'department_id', 'status']).where('org_id', '=', orgId).where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw badRequest('Some accounts are not this city\'s', missing.map((id) => ({ path: 'body.accountIds', message: `no account ${id}` })));
  const retired = rows.filter((r) => r.status === 'retired');
  if (retired.length) throw badRequest('Retired accounts cannot publish', retired.map((r) => ({ path: 'body.accountIds', message: `account ${r.id} is retired` })));
  return rows;
}

function columns(d: ParsedDraft, findings: Finding[]) {
  return {
    text: d.text, variants: JSON.stringify(d.variants), media: JSON.stringify(d.media), link: d.link ?? null, website_url: d.websiteUrl ?? null,
    category: d.category ?? null, emergency: d.emergency || d.incidentId ? 1 : 0, incident_id: d.incidentId ?? null, account_ids: JSON.stringify(d.accountIds), findings: JSON.stringify(findings),
    scheduled_at: d.scheduledAt ? new Date(d.scheduledAt).toISOString() : null,
  };
}

const draftResource = (ctx: CommandContext, departmentId: string | null | undefined, ownerId?: string): Resource =>
  ({ orgId: ctx.actor.orgId, departmentId: departmentId ?? ctx.actor.departmentId ?? null, ownerId: ownerId ?? ctx.actor.userId });

/** `also`: more to write in the same transaction (an update made from a template records which one). */
export async function createDraft(
  ctx: CommandContext, raw: unknown, also?: (trx: Transaction<DB>, draftId: string, now: Date) => Promise<Record<string, unknown>>,
): Promise<{ id: string; findings: Finding[] }> {
  const d = parse(raw);
  if (!ctx.actor.userId) throw forbidden('Drafts are written by staff signed in as themselves', 'content.submit');
  await openEmergencyOf(ctx, d.incidentId);
  const findings = findingsFor(ctx, d);
  const id = randomUUID();
  const departmentId = d.departmentId ?? ctx.actor.departmentId ?? null;
  return runCommand(ctx, { event: 'content.draft_created', authorize: { action: 'content.submit', resource: draftResource(ctx, departmentId) } }, async (trx, now) => {
    await targetsOf(trx, ctx.actor.orgId, d.accountIds);
    const at = now.toISOString();
    await trx.insertInto('drafts').values({
      id, org_id: ctx.actor.orgId, author_id: ctx.actor.userId as string, department_id: departmentId, ...columns(d, findings),
      status: 'draft', version: 1, chain: null, current_step: 0, submitted_at: null, created_at: at, updated_at: at,
    }).execute();
    const more = also ? await also(trx, id, now) : {};
    return { result: { id, findings }, targetType: 'draft', targetId: id, after: { text: d.text, accountIds: d.accountIds, findings: findings.map((f) => f.id), ...more } };
  });
}

async function load(ctx: CommandContext, id: string): Promise<DraftsTable> {
  const row = await ctx.db.selectFrom('drafts').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Draft');
  return row;
}

/** The author, or an approver of the draft's department, may edit; any edit after submission sends it back. */
export async function updateDraft(ctx: CommandContext, id: string, raw: unknown): Promise<{ findings: Finding[]; returned: boolean }> {
  const d = parse(raw);
  const draft = await load(ctx, id);
  await openEmergencyOf(ctx, d.incidentId);
  if (['publishing', 'published'].includes(draft.status)) throw conflict(`A ${draft.status} draft cannot be edited; publish a correction instead`);
  const isAuthor = draft.author_id === ctx.actor.userId;
  const action = isAuthor ? 'content.submit' : 'content.approve';
  const findings = findingsFor(ctx, d);
  const returned = ['in_review', 'approved', 'scheduled', 'failed', 'rejected'].includes(draft.status);
  return runCommand(ctx, { event: returned ? 'content.draft_returned_by_edit' : 'content.draft_edited', authorize: { action, resource: draftResource(ctx, draft.department_id, draft.author_id) } }, async (trx, now) => {
    await targetsOf(trx, ctx.actor.orgId, d.accountIds);
    await trx.updateTable('drafts').set({ ...columns(d, findings), status: 'draft', version: draft.version + 1, chain: null, current_step: 0, updated_at: now.toISOString() })
      .where('id', '=', id).where('version', '=', draft.version).execute();
    return {
      result: { findings, returned }, targetType: 'draft', targetId: id,
      before: { version: draft.version, status: draft.status, text: draft.text }, after: { version: draft.version + 1, status: 'draft', text: d.text },
    };
  });
}

/** The roles that decide a step, limited to the draft's department where the grant is department-scoped. */
async function deciders(trx: Transaction<DB>, ctx: CommandContext, draft: DraftsTable, role: string): Promise<string[]> {
  const ids = await roleHolders(trx, ctx.actor.orgId, [role]);
  if (ids.length === 0) return [];
  const users = await trx.selectFrom('users').select(['id', 'department_id']).where('id', 'in', ids).execute();
  const scoped = ctx.actor.pack.roles.find((r) => r.id === role)?.grants.some((g) => g === 'content.approve@department');
  return users.filter((u) => !scoped || u.department_id === draft.department_id).map((u) => u.id).filter((u) => u !== draft.author_id);
}

function chainSnapshot(ctx: CommandContext, emergency: { id: string; lead: string | null } | null, leadName: string | null, template: TemplatePath | null): ChainSnapshot {
  const { pack } = ctx.actor;
  const chain = pack.approvalChains.content;
  if (emergency && template?.fast) {
    // The template's approvers pre-approved this very text (LX-5, BZ-8): no step remains.
    return { key: 'approvalChains.content.template', steps: [], sources: [...new Set([...chain.sources, ...pack.content.sources])], notes: template.note };
  }
  const title = (role: string) => pack.roles.find((r) => r.id === role)?.title ?? role;
  const steps = chain.steps.map((s) => ({ role: s.role, roleTitle: title(s.role), label: s.label }));
  if (emergency && steps.length > 1) {
    // BZ-8 / LX-5: the emergency's lead pre-approved its updates; only the publisher's step remains.
    return {
      key: 'approvalChains.content.emergency', steps: steps.slice(-1), sources: [...new Set([...chain.sources, ...pack.content.sources])],
      notes: [`Fast path: an update of an open emergency, pre-approved by its lead${leadName ? ` (${leadName})` : ''}.`, template?.note].filter(Boolean).join(' '),
    };
  }
  const notes = [chain.notes, template?.note].filter(Boolean).join(' ');
  return { key: 'approvalChains.content', steps, sources: chain.sources, ...(notes ? { notes } : {}) };
}

/** Refuses a draft with blocking findings, naming each rule, its clause and the offending text. */
export function refusal(findings: Finding[]): FieldError[] {
  return blocking(findings).map((f) => ({
    path: f.variant ? `draft.variants.${f.variant}` : 'draft.text',
    message: [f.message, f.clause ? `Policy: "${f.clause}"` : null, f.excerpt ? `Offending text: "${f.excerpt}"` : null, f.sources.length ? `(${f.sources.join(', ')})` : null].filter(Boolean).join(' '),
  }));
}

export async function submitDraft(ctx: CommandContext, id: string): Promise<{ status: string }> {
  const draft = await load(ctx, id);
  if (draft.author_id !== ctx.actor.userId) throw forbidden('Only the author submits a draft', 'content.submit');
  if (!['draft', 'rejected'].includes(draft.status)) throw conflict(`This draft is ${draft.status.replace('_', ' ')}`);
  const findings = JSON.parse(draft.findings) as Finding[];
  const blockers = refusal(findings);
  if (blockers.length) throw badRequest('The draft breaks a rule of the city\'s policy and cannot be submitted', blockers);
  const emergency = await openEmergencyOf(ctx, draft.incident_id);
  const lead = emergency?.lead ? await ctx.db.selectFrom('users').select('display_name').where('id', '=', emergency.lead).executeTakeFirst() : undefined;
  const template = emergency ? await templatePathFor(ctx, draft) : null;
  const chain = chainSnapshot(ctx, emergency, lead?.display_name ?? null, template);
  // No step left (a pre-approved template's text): approved as it is submitted; its author publishes.
  const status = chain.steps.length ? 'in_review' : 'approved';
  return runCommand(ctx, { event: status === 'approved' ? 'content.preapproved' : 'content.submitted', authorize: { action: 'content.submit', resource: draftResource(ctx, draft.department_id, draft.author_id) } }, async (trx, now) => {
    await trx.updateTable('drafts').set({ status, chain: JSON.stringify(chain), current_step: 0, submitted_at: now.toISOString(), updated_at: now.toISOString() })
      .where('id', '=', id).where('version', '=', draft.version).execute();
    const first = chain.steps[0];
    const notified = first ? await notify(trx, {
      orgId: ctx.actor.orgId, userIds: await deciders(trx, ctx, draft, first.role), at: now, link: `/content/${id}`,
      text: `A post awaits your decision as ${first.roleTitle} (${first.label}): "${draft.text.slice(0, 80)}", from ${ctx.actor.label}`,
    }) : [];
    return { result: { status }, targetType: 'draft', targetId: id, after: { version: draft.version, status, chain: chain.steps.map((s) => s.role), notes: chain.notes ?? null, notified }, sources: chain.sources };
  });
}

export interface DraftDecision {
  decision: 'approved' | 'rejected';
  comment?: string | null;
  /** Ids of the findings that need an approver's acknowledgement: all of them, to approve. */
  acknowledged?: string[];
}

export async function decideDraft(ctx: CommandContext, id: string, input: DraftDecision): Promise<{ status: string; step: number; publishNow: boolean }> {
  const draft = await load(ctx, id);
  if (draft.status !== 'in_review' || !draft.chain) throw conflict(`This draft is ${draft.status.replace('_', ' ')}, not waiting for a decision`);
  const chain = JSON.parse(draft.chain) as ChainSnapshot;
  const step = chain.steps[draft.current_step];
  if (!step) throw conflict('This draft has no step left to decide');
  const me = ctx.actor.userId;
  if (!me) throw forbidden('Decisions are made by staff signed in as themselves', chain.key);
  if (me === draft.author_id) throw forbidden('Nobody approves their own post', `${chain.key}.selfApproval`, chain.sources);
  if (!ctx.actor.roles.includes(step.role)) throw forbidden(`This step is decided by the ${step.roleTitle}`, chain.key, chain.sources);
  const last = draft.current_step === chain.steps.length - 1;
  // The last step is often "posts it" (BZ-9's content editor): a publish grant decides it too.
  const resource = { orgId: ctx.actor.orgId, departmentId: draft.department_id };
  const action = last && can(ctx.actor, 'content.publish', resource).allowed ? 'content.publish' : 'content.approve';
  const allowed = can(ctx.actor, action, resource);
  if (!allowed.allowed) throw forbidden(`Not allowed: ${allowed.reason}`, action, allowed.sources);
  const findings = JSON.parse(draft.findings) as Finding[];
  const toAcknowledge = findings.filter((f) => f.severity === 'acknowledge').map((f) => f.id);
  const missing = toAcknowledge.filter((f) => !(input.acknowledged ?? []).includes(f));
  if (input.decision === 'approved' && missing.length) {
    throw badRequest('Acknowledge each finding before approving', missing.map((f) => ({ path: 'body.acknowledged', message: findings.find((x) => x.id === f)?.message ?? f })));
  }
  const scheduled = draft.scheduled_at !== null && Date.parse(draft.scheduled_at) > Date.now();
  const event = input.decision === 'rejected' ? 'content.rejected' : last ? 'content.approved' : 'content.step_approved';
  return runCommand(ctx, { event, authorize: { action, resource } }, async (trx, now) => {
    const earlier = await trx.selectFrom('draft_decisions').select('user_id').where('draft_id', '=', id).where('version', '=', draft.version).execute();
    if (earlier.some((e) => e.user_id === me)) throw forbidden('Nobody decides two steps of the same post', chain.key, chain.sources);
    await trx.insertInto('draft_decisions').values({
      id: randomUUID(), org_id: ctx.actor.orgId, draft_id: id, version: draft.version, step: draft.current_step, role: step.role, user_id: me,
      decision: input.decision, comment: input.comment ?? null, acknowledged: JSON.stringify(input.acknowledged ?? []), created_at: now.toISOString(),
    }).execute();
    const status = input.decision === 'rejected' ? 'rejected' : last ? (scheduled ? 'scheduled' : 'approved') : 'in_review';
    const nextStep = input.decision === 'approved' && !last ? draft.current_step + 1 : draft.current_step;
    const moved = await trx.updateTable('drafts').set({ status, current_step: nextStep, updated_at: now.toISOString() })
      .where('id', '=', id).where('version', '=', draft.version).where('current_step', '=', draft.current_step).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw conflict('The draft changed meanwhile; reload it');
    const next = chain.steps[nextStep];
    let notified: string[] = [];
    if (status === 'in_review' && next) {
      notified = await notify(trx, { orgId: ctx.actor.orgId, userIds: await deciders(trx, ctx, draft, next.role), at: now, link: `/content/${id}`,
        text: `A post awaits your decision as ${next.roleTitle} (${next.label}): "${draft.text.slice(0, 80)}"` });
    } else {
      const outcome = status === 'rejected' ? `was returned by ${ctx.actor.label}${input.comment ? `: ${input.comment}` : ''}` : scheduled ? `is approved and scheduled for ${draft.scheduled_at}` : 'is approved and being published';
      notified = await notify(trx, { orgId: ctx.actor.orgId, userIds: [draft.author_id], at: now, link: `/content/${id}`, text: `Your post "${draft.text.slice(0, 60)}" ${outcome}` });
    }
    return {
      result: { status, step: nextStep, publishNow: status === 'approved' }, targetType: 'draft', targetId: id,
      after: { version: draft.version, step: draft.current_step, role: step.role, decision: input.decision, acknowledged: input.acknowledged ?? [], comment: input.comment ?? null, notified },
      sources: chain.sources,
    };
  });
}

export async function commentOnDraft(ctx: CommandContext, id: string, text: string): Promise<string> {
  const draft = await load(ctx, id);
  const body = text.trim();
  if (!body) throw badRequest('Write a comment', [{ path: 'body.text', message: 'required' }]);
  const isAuthor = draft.author_id === ctx.actor.userId;
  const commentId = randomUUID();
  return runCommand(ctx, { event: 'content.commented', authorize: { action: isAuthor ? 'content.submit' : 'content.approve', resource: draftResource(ctx, draft.department_id, draft.author_id) } }, async (trx, now) => {
    await trx.insertInto('draft_comments').values({ id: commentId, org_id: ctx.actor.orgId, draft_id: id, user_id: ctx.actor.userId as string, text: body.slice(0, 4000), created_at: now.toISOString() }).execute();
    if (!isAuthor) await notify(trx, { orgId: ctx.actor.orgId, userIds: [draft.author_id], at: now, link: `/content/${id}`, text: `${ctx.actor.label} commented on your post: ${body.slice(0, 120)}` });
    return { result: commentId, targetType: 'draft', targetId: id, after: { text: body } };
  });
}
