// Writing and approving emergency templates (LX-5, BZ-6, BZ-8). The approvers of the content chain
// approve one version of a template, step by step as for a post: never its author or the person who
// wrote this version, nobody two steps, every 'acknowledge' finding acknowledged, no blocking
// finding left. Changing the text, category or accounts makes a new version, which voids the
// approvals (they were of another text); a new title alone does not.
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { ContentTemplatesTable, DB } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../http/errors.js';
import { decide } from '../policy/can.js';
import { notify, roleHolders } from '../people/notifications.js';
import { checkDraft, type Finding } from './checks/index.js';
import { refusal } from './drafts.commands.js';
import { approvalState, approvingSteps, blanksOf, bodyProblems, placeholderText } from './templates.js';

const Id = z.string().min(1).max(200);

export const TemplateInput = z.strictObject({
  title: z.string().trim().min(3, 'give the template a title of at least 3 characters').max(200),
  body: z.string().trim().min(1, 'write the template\'s text').max(3000),
  category: z.string().max(60).nullable().optional(),
  accountIds: z.array(Id).max(20).default([]),
  departmentId: Id.nullable().optional(),
});
type ParsedTemplate = z.output<typeof TemplateInput>;

const EMERGENCY_IDS = ['LX-5', 'BZ-6', 'BZ-8'];

/** The pack's ids behind templates: its content chain and content rules, where they cite LX-5, BZ-6 or BZ-8. */
export function templateSources(ctx: CommandContext): string[] {
  const { pack } = ctx.actor;
  const cited = new Set([...pack.content.sources, ...pack.approvalChains.content.sources]);
  return [...new Set([...pack.approvalChains.content.sources, ...EMERGENCY_IDS.filter((id) => cited.has(id))])];
}

function parse(ctx: CommandContext, raw: unknown): ParsedTemplate {
  const parsed = TemplateInput.safeParse(raw);
  if (!parsed.success) {
    throw badRequest('The template is not valid', parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })));
  }
  const t = parsed.data;
  const problems: FieldError[] = bodyProblems(t.body).map((message) => ({ path: 'body.body', message }));
  const categories = ctx.actor.pack.content.categories;
  if (t.category && categories && !categories.some((c) => c.id === t.category)) {
    problems.push({ path: 'body.category', message: `not one of the policy's content categories (${categories.map((c) => c.id).join(', ')})` });
  }
  if (problems.length) throw badRequest('The template is not valid', problems);
  return t;
}

/** The pack's checks on the template's text, each blank read as a placeholder; an update is checked again once filled. */
function findingsOf(ctx: CommandContext, t: Pick<ParsedTemplate, 'body' | 'category'>): Finding[] {
  return checkDraft(ctx.actor.pack, { text: placeholderText(t.body), category: t.category ?? null, emergency: true });
}

async function checkAccounts(trx: Transaction<DB>, orgId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await trx.selectFrom('accounts').select(['id', 'status']).where('org_id', '=', orgId).where('id', 'in', ids).execute();
  const problems = ids.filter((id) => !rows.some((r) => r.id === id && r.status !== 'retired')).map((id) => ({ path: 'body.accountIds', message: `no active account ${id}` }));
  if (problems.length) throw badRequest('Some accounts cannot take this template', problems);
}

export async function createTemplate(ctx: CommandContext, raw: unknown): Promise<{ id: string; findings: Finding[]; blanks: string[] }> {
  const t = parse(ctx, raw);
  const me = ctx.actor.userId;
  if (!me) throw forbidden('Templates are written by staff signed in as themselves', 'content.submit');
  const findings = findingsOf(ctx, t);
  const id = randomUUID();
  const departmentId = t.departmentId ?? ctx.actor.departmentId ?? null;
  const resource = { orgId: ctx.actor.orgId, departmentId, ownerId: me };
  return runCommand(ctx, { event: 'content.template_created', authorize: { action: 'content.submit', resource } }, async (trx, now) => {
    await checkAccounts(trx, ctx.actor.orgId, t.accountIds);
    const at = now.toISOString();
    await trx.insertInto('content_templates').values({
      id, org_id: ctx.actor.orgId, title: t.title, body: t.body, category: t.category ?? null, account_ids: JSON.stringify(t.accountIds), department_id: departmentId,
      author_id: me, editor_id: me, version: 1, findings: JSON.stringify(findings), created_at: at, updated_at: at,
    }).execute();
    const notified = await askFirstStep(trx, ctx, { department_id: departmentId, author_id: me, editor_id: me, title: t.title }, now);
    return { result: { id, findings, blanks: blanksOf(t.body) }, targetType: 'content_template', targetId: id, after: { title: t.title, body: t.body, version: 1, notified }, sources: templateSources(ctx) };
  });
}

export async function loadTemplate(ctx: CommandContext, id: string): Promise<ContentTemplatesTable> {
  const row = await ctx.db.selectFrom('content_templates').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Template');
  return row;
}

/** The author, or an approver of the template's department, may edit; a new text voids the approvals. */
export async function updateTemplate(ctx: CommandContext, id: string, raw: unknown): Promise<{ version: number; voided: boolean; findings: Finding[] }> {
  const t = parse(ctx, raw);
  const row = await loadTemplate(ctx, id);
  const me = ctx.actor.userId;
  if (!me) throw forbidden('Templates are edited by staff signed in as themselves', 'content.submit');
  const isAuthor = row.author_id === me;
  const resource = { orgId: ctx.actor.orgId, departmentId: row.department_id, ownerId: row.author_id };
  const textChanged = t.body !== row.body || (t.category ?? null) !== row.category || JSON.stringify(t.accountIds) !== row.account_ids;
  const version = textChanged ? row.version + 1 : row.version;
  const findings = findingsOf(ctx, t);
  const event = textChanged ? 'content.template_edited' : 'content.template_renamed';
  return runCommand(ctx, { event, authorize: { action: isAuthor ? 'content.submit' : 'content.approve', resource } }, async (trx, now) => {
    await checkAccounts(trx, ctx.actor.orgId, t.accountIds);
    const moved = await trx.updateTable('content_templates').set({
      title: t.title, body: t.body, category: t.category ?? null, account_ids: JSON.stringify(t.accountIds), version, findings: JSON.stringify(findings),
      editor_id: textChanged ? me : row.editor_id, updated_at: now.toISOString(),
    }).where('id', '=', id).where('version', '=', row.version).executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw conflict('The template changed meanwhile; reload it');
    const notified = textChanged ? await askFirstStep(trx, ctx, { department_id: row.department_id, author_id: row.author_id, editor_id: me, title: t.title }, now) : [];
    return {
      result: { version, voided: textChanged, findings }, targetType: 'content_template', targetId: id,
      before: { version: row.version, title: row.title, body: row.body }, after: { version, title: t.title, body: t.body, approvalsVoided: textChanged, notified },
      sources: templateSources(ctx),
    };
  });
}

/** Holders of a step's role who may approve for the template's department, except who wrote it. */
async function approversOf(trx: Transaction<DB>, ctx: CommandContext, row: Pick<ContentTemplatesTable, 'department_id' | 'author_id' | 'editor_id'>, role: string): Promise<string[]> {
  const ids = await roleHolders(trx, ctx.actor.orgId, [role]);
  if (ids.length === 0) return [];
  const users = await trx.selectFrom('users').select(['id', 'department_id']).where('id', 'in', ids).execute();
  const scoped = !ctx.actor.pack.roles.find((r) => r.id === role)?.grants.includes('content.approve');
  return users.filter((u) => !scoped || (row.department_id !== null && u.department_id === row.department_id))
    .map((u) => u.id).filter((u) => u !== row.author_id && u !== row.editor_id);
}

/** Tells the first step's approvers that a template, or a new text of it, waits for them. */
async function askFirstStep(trx: Transaction<DB>, ctx: CommandContext, row: Pick<ContentTemplatesTable, 'department_id' | 'author_id' | 'editor_id' | 'title'>, now: Date): Promise<string[]> {
  const first = approvingSteps(ctx.actor.pack)[0];
  if (!first) return [];
  return notify(trx, { orgId: ctx.actor.orgId, userIds: await approversOf(trx, ctx, row, first.role), at: now, link: '/incidents#templates',
    text: `An emergency template awaits your approval as ${first.roleTitle} (${first.label}): "${row.title}", from ${ctx.actor.label}` });
}

export async function approveTemplate(ctx: CommandContext, id: string, input: { acknowledged?: string[] }): Promise<{ approved: boolean; step: number }> {
  const row = await loadTemplate(ctx, id);
  const chain = ctx.actor.pack.approvalChains.content;
  const rule = 'approvalChains.content';
  const me = ctx.actor.userId;
  if (!me) throw forbidden('Templates are approved by staff signed in as themselves', rule);
  if (me === row.author_id || me === row.editor_id) throw forbidden('Nobody approves their own template', `${rule}.selfApproval`, chain.sources);
  const findings = JSON.parse(row.findings) as Finding[];
  const blockers = refusal(findings).map((f) => ({ ...f, path: 'body.body' }));
  if (blockers.length) throw badRequest('The template breaks a rule of the city\'s policy and cannot be approved', blockers);
  const missing = findings.filter((f) => f.severity === 'acknowledge' && !(input.acknowledged ?? []).includes(f.id));
  if (missing.length) throw badRequest('Acknowledge each finding before approving', missing.map((f) => ({ path: 'body.acknowledged', message: f.message })));
  const approvals = await ctx.db.selectFrom('content_template_approvals').selectAll().where('template_id', '=', id).execute();
  const state = approvalState(ctx.actor.pack, ctx.packVersion, row.version, approvals);
  const step = state.next === null ? undefined : state.steps[state.next];
  if (!step) throw conflict('This version of the template is already approved');
  if (!ctx.actor.roles.includes(step.role)) throw forbidden(`This step is decided by the ${step.roleTitle}`, rule, chain.sources);
  if (state.steps.some((s) => s.approval?.userId === me)) throw forbidden('Nobody decides two steps of the same template', rule, chain.sources);
  const resource = { orgId: ctx.actor.orgId, departmentId: row.department_id };
  const allowed = decide(ctx.actor, 'content.approve', resource);
  if (!allowed.allowed) throw forbidden(`Not allowed: ${allowed.reason}`, 'content.approve', allowed.sources);
  const last = step.step === state.steps.length - 1;
  return runCommand(ctx, { event: last ? 'content.template_approved' : 'content.template_step_approved', authorize: { action: 'content.approve', resource } }, async (trx, now) => {
    const taken = await trx.selectFrom('content_template_approvals').select('id').where('template_id', '=', id).where('version', '=', row.version)
      .where('pack_version', '=', ctx.packVersion).where('step', '=', step.step).executeTakeFirst();
    if (taken) throw conflict('Someone approved this step meanwhile; reload the template');
    await trx.insertInto('content_template_approvals').values({
      id: randomUUID(), org_id: ctx.actor.orgId, template_id: id, version: row.version, step: step.step, role: step.role, user_id: me,
      pack_version: ctx.packVersion, acknowledged: JSON.stringify(input.acknowledged ?? []), created_at: now.toISOString(),
    }).execute();
    const moved = await trx.selectFrom('content_templates').select('version').where('id', '=', id).executeTakeFirst();
    if (moved?.version !== row.version) throw conflict('The template was edited meanwhile; reload it and approve the new text');
    const next = state.steps[step.step + 1];
    const notified = next
      ? await notify(trx, { orgId: ctx.actor.orgId, userIds: (await approversOf(trx, ctx, row, next.role)).filter((u) => u !== me), at: now, link: '/incidents#templates',
        text: `An emergency template awaits your approval as ${next.roleTitle} (${next.label}): "${row.title}"` })
      : await notify(trx, { orgId: ctx.actor.orgId, userIds: [row.author_id, row.editor_id], at: now, link: '/incidents#templates',
        text: `The emergency template "${row.title}" is approved: during an emergency, updates made from it with only the blanks filled take the fast path.` });
    return {
      result: { approved: last, step: step.step }, targetType: 'content_template', targetId: id,
      after: { version: row.version, step: step.step, role: step.role, packVersion: ctx.packVersion, acknowledged: input.acknowledged ?? [], notified },
      sources: templateSources(ctx),
    };
  });
}
