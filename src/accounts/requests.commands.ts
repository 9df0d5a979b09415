// Requests that go through the pack's approval chains: a new official account (KA-5, BZ-2, MN-5,
// RL-3), a change of administrators, staff access (RL-2, LX-1), retiring an account (RL-6), and a new
// platform or tool (BZ-2, KA-6). Each step is decided by a holder of that step's role, never by the
// requester and never twice by the same person; the final approval applies the effect in the same
// transaction, and every step notifies whoever decides next.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RequestType } from '../db/schema.js';
import { runCommand, type CommandContext } from '../events/command.js';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { parseGrant } from '../policy/grants.js';
import type { Resource } from '../policy/can.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { notify, notifyRoles } from '../people/notifications.js';
import { applyEffect, checkGates, checkSubject } from './requests.effects.js';
import { describeRequest, stepRoles, type ChainSnapshot } from './requests.queries.js';

export const REQUEST_TYPES = ['newAccount', 'adminChange', 'staffAccess', 'accountDeletion', 'platform'] as const satisfies readonly RequestType[];

const Id = z.string().trim().min(1).max(100);
const Text = (max: number) => z.string().trim().min(1).max(max);

export const NewAccountSubject = z.strictObject({
  platform: Text(60),
  handle: Text(200),
  profileUrl: z.url({ protocol: /^https?$/ }).max(500).optional(),
  departmentId: Id.optional(),
  /** A board or committee's site; it may also name the staff liaison's department. */
  boardName: Text(200).optional(),
  minutesReference: Text(500).optional(),
  purpose: Text(2000),
  signupEmail: z.email().max(320),
  administrators: z.array(Id).min(1).max(20),
}).superRefine((s, ctx) => {
  if (!s.departmentId && !s.boardName) {
    ctx.addIssue({ code: 'custom', path: ['departmentId'], message: 'name the department, or the board or committee, the site speaks for' });
  }
  if (s.boardName && !s.minutesReference) {
    ctx.addIssue({ code: 'custom', path: ['minutesReference'], message: 'a board or committee\'s site is authorized by a decision entered in its minutes: give the minutes reference (BZ-2)' });
  }
});
export const AdminChangeSubject = z.strictObject({ accountId: Id, change: z.enum(['add', 'remove']), userId: Id, reason: Text(2000).optional() });
/** The "employee proposal" (RL-2): usually the employee asks for themself, so userId defaults to the requester. */
export const StaffAccessSubject = z.strictObject({ accountId: Id, userId: Id.optional(), proposal: Text(4000) });
export const AccountDeletionSubject = z.strictObject({ accountId: Id, reason: Text(2000) });
export const PlatformSubject = z.strictObject({
  platform: z.string().trim().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a lower-case id such as "bluesky"').max(60),
  name: Text(200),
  note: Text(2000).optional(),
});

const SCHEMAS = {
  newAccount: NewAccountSubject, adminChange: AdminChangeSubject, staffAccess: StaffAccessSubject,
  accountDeletion: AccountDeletionSubject, platform: PlatformSubject,
} as const;

/** A validated request; staff access always names its staff member once submitted. */
export type Submission =
  | { type: 'newAccount'; subject: z.infer<typeof NewAccountSubject> }
  | { type: 'adminChange'; subject: z.infer<typeof AdminChangeSubject> }
  | { type: 'staffAccess'; subject: Omit<z.infer<typeof StaffAccessSubject>, 'userId'> & { userId: string } }
  | { type: 'accountDeletion'; subject: z.infer<typeof AccountDeletionSubject> }
  | { type: 'platform'; subject: z.infer<typeof PlatformSubject> };

export function parseSubmission(ctx: CommandContext, type: RequestType, raw: unknown): Submission {
  const parsed = SCHEMAS[type].safeParse(raw);
  if (!parsed.success) {
    throw badRequest('Some fields of the request are not valid', parsed.error.issues.map((i) => ({
      path: ['body', 'subject', ...i.path.map(String)].join('.'), message: i.message,
    })));
  }
  const { pack } = ctx.actor;
  if (type === 'newAccount') {
    const s = parsed.data as z.infer<typeof NewAccountSubject>;
    const domain = pack.city.emailDomain.toLowerCase();
    // RL-4: sign-up uses a city e-mail address, so the account survives staff turnover.
    if (pack.security.signupEmailDomainRequired && !s.signupEmail.toLowerCase().endsWith(`@${domain}`)) {
      throw new AppError(400, 'bad_request', `Sign up with a City e-mail address (@${domain}) (${pack.security.sources.join(', ')})`, {
        fields: [{ path: 'body.subject.signupEmail', message: `must be an @${domain} address` }],
        rule: 'security.signupEmailDomainRequired',
        sources: pack.security.sources,
      });
    }
    return { type, subject: { ...s, platform: s.platform.toLowerCase(), administrators: [...new Set(s.administrators)] } };
  }
  if (type === 'staffAccess') {
    const s = parsed.data as z.infer<typeof StaffAccessSubject>;
    const userId = s.userId ?? ctx.actor.userId;
    if (!userId) throw badRequest('Name the staff member who would post', [{ path: 'body.subject.userId', message: 'required' }]);
    return { type, subject: { ...s, userId } };
  }
  return { type, subject: parsed.data } as Submission;
}

/** The pack's chain for this type, copied into the request so later pack changes do not rewrite it. */
export function chainFor(pack: PolicyPack, type: RequestType): ChainSnapshot {
  const title = (role: string) => pack.roles.find((r) => r.id === role)?.title ?? role;
  if (type === 'platform') {
    // No pack chain: BZ-2 has the Director of IT approve new tools, so whoever holds platform.approve does.
    const roles = pack.roles.filter((r) => r.grants.some((g) => {
      const p = parseGrant(g);
      return p.ok && p.grant.action === 'platform.approve';
    }));
    const [first, ...rest] = roles;
    if (!first) throw forbidden('No role in this city\'s policy approves new platforms', 'platform.approve', []);
    return {
      key: 'platform.approve',
      steps: [{ role: first.id, roleTitle: first.title, label: 'approves the platform for city use and adds it to the approved list', ...(rest.length ? { alsoRoles: rest.map((r) => r.id) } : {}) }],
      sources: [...new Set(roles.flatMap((r) => r.sources))].sort(),
    };
  }
  const chain = pack.approvalChains[type];
  return {
    key: `approvalChains.${type}`,
    steps: chain.steps.map((s) => ({ role: s.role, roleTitle: title(s.role), label: s.label })),
    sources: chain.sources,
    ...(chain.notes ? { notes: chain.notes } : {}),
  };
}

/** Who may ask: account.request for accounts and platforms, access.request for staff access. */
async function submitterResource(ctx: CommandContext, s: Submission): Promise<{ action: 'account.request' | 'access.request'; resource: Resource }> {
  const orgId = ctx.actor.orgId;
  if (s.type === 'newAccount') return { action: 'account.request', resource: { orgId, departmentId: s.subject.departmentId ?? null } };
  // A department asks for a tool for its own use, so a department-scoped grant covers it.
  if (s.type === 'platform') return { action: 'account.request', resource: { orgId, departmentId: ctx.actor.departmentId } };
  const account = await ctx.db.selectFrom('accounts').select('department_id').where('org_id', '=', orgId).where('id', '=', s.subject.accountId).executeTakeFirst();
  if (!account) throw notFound('Account');
  if (s.type === 'staffAccess') {
    return { action: 'access.request', resource: { orgId, departmentId: account.department_id, ownerId: s.subject.userId } };
  }
  return { action: 'account.request', resource: { orgId, departmentId: account.department_id } };
}

const link = (id: string) => `/requests/${id}`;

export async function submitRequest(ctx: CommandContext, type: RequestType, raw: unknown): Promise<string> {
  const submission = parseSubmission(ctx, type, raw);
  const { pack, orgId } = ctx.actor;
  const chain = chainFor(pack, type);
  // requested_by names a person: the chain must be able to tell the requester from each approver.
  const requester = ctx.actor.userId;
  if (!requester) throw forbidden('Requests are made by staff signed in as themselves', chain.key, chain.sources);
  const authorize = await submitterResource(ctx, submission);
  const id = randomUUID();
  return runCommand(ctx, { event: 'request.submitted', authorize }, async (trx, now) => {
    const accountId = await checkSubject(trx, pack, orgId, submission);
    const gateSources = await checkGates(trx, pack, orgId, requester, submission, now);
    const duplicate = await trx.selectFrom('approval_requests').select('id').where('org_id', '=', orgId)
      .where('type', '=', type).where('status', '=', 'pending').where('subject', '=', JSON.stringify(submission.subject)).executeTakeFirst();
    if (duplicate) throw conflict(`The same request is already waiting for approval (${duplicate.id})`);
    await trx.insertInto('approval_requests').values({
      id, org_id: orgId, type, requested_by: requester, subject: JSON.stringify(submission.subject),
      chain: JSON.stringify(chain), status: 'pending', current_step: 0, account_id: accountId, created_at: now.toISOString(), decided_at: null,
    }).execute();
    const first = chain.steps[0];
    const summary = await describeRequest(trx, orgId, type, submission.subject);
    const notified = first ? await notifyRoles(trx, {
      orgId, roleIds: stepRoles(first), exclude: [requester], at: now, link: link(id),
      text: `${summary}: awaits your decision as ${first.roleTitle} (${first.label}), requested by ${ctx.actor.label}`,
    }) : [];
    return {
      result: id, targetType: 'approval_request', targetId: id,
      after: { type, subject: submission.subject, chain: chain.steps.map((s) => s.role), notified },
      sources: [...chain.sources, ...gateSources],
    };
  });
}

export interface DecisionInput {
  decision: 'approved' | 'rejected';
  comment?: string | null;
}

export async function decide(ctx: CommandContext, requestId: string, input: DecisionInput): Promise<{ status: string; currentStep: number; accountId: string | null }> {
  const { actor } = ctx;
  const { orgId, pack } = actor;
  const row = await ctx.db.selectFrom('approval_requests').selectAll().where('org_id', '=', orgId).where('id', '=', requestId).executeTakeFirst();
  if (!row) throw notFound('Request');
  if (row.status !== 'pending') throw conflict(`This request is already ${row.status}`);
  const chain = JSON.parse(row.chain) as ChainSnapshot;
  const n = row.current_step;
  const step = chain.steps[n];
  if (!step) throw conflict('This request has no step left to decide');
  const comment = input.comment?.trim() || null;
  if (input.decision === 'rejected' && !comment) {
    throw badRequest('Say why the request is rejected: the requester is told', [{ path: 'body.comment', message: 'required when rejecting' }]);
  }
  // The chain itself is the authorization: the step's role, a different person from the requester,
  // and a different person from every earlier step. Only signed-in staff decide, never the console.
  if (!actor.userId || !stepRoles(step).some((r) => actor.roles.includes(r))) {
    throw forbidden(`Only the ${step.roleTitle} may decide this step ("${step.label}")`, chain.key, chain.sources);
  }
  if (row.requested_by === actor.userId) {
    throw forbidden('Nobody approves their own request: another holder of the role must decide it', `${chain.key}.selfApproval`, chain.sources);
  }
  const earlier = await ctx.db.selectFrom('approval_decisions').select('step').where('request_id', '=', requestId)
    .where('decided_by', '=', actor.userId).executeTakeFirst();
  if (earlier) {
    throw forbidden(`You already decided step ${earlier.step + 1} of this request: each step is decided by a different person`, `${chain.key}.selfApproval`, chain.sources);
  }

  const final = input.decision === 'approved' && n === chain.steps.length - 1;
  const event = input.decision === 'rejected' ? 'request.rejected' : final ? 'request.approved' : 'request.step_approved';
  const decider = actor.userId;
  return runCommand(ctx, { event, authorize: 'self' }, async (trx, now) => {
    const at = now.toISOString();
    const status = input.decision === 'rejected' ? 'rejected' : final ? 'approved' : 'pending';
    const nextStep = input.decision === 'approved' && !final ? n + 1 : n;
    // Claims the step: if someone else decided it a moment ago, nothing matches and we stop.
    const claimed = await trx.updateTable('approval_requests')
      .set({ status, current_step: nextStep, decided_at: status === 'pending' ? null : at })
      .where('id', '=', requestId).where('status', '=', 'pending').where('current_step', '=', n).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw conflict('Someone else decided this step first: reload the request');
    await trx.insertInto('approval_decisions').values({
      id: randomUUID(), org_id: orgId, request_id: requestId, step: n, role: actor.roles.find((r) => stepRoles(step).includes(r)) ?? step.role,
      decided_by: decider, decision: input.decision, comment, decided_at: at,
    }).execute();

    const submission = { type: row.type, subject: JSON.parse(row.subject) } as Submission;
    const summary = await describeRequest(trx, orgId, row.type, submission.subject);
    const sources = [...chain.sources];
    let accountId = row.account_id;
    let effect: Record<string, unknown> | undefined;
    let notified: string[] = [];
    if (final) {
      // The world may have changed since submission: check again before the effect.
      await checkSubject(trx, pack, orgId, submission);
      sources.push(...await checkGates(trx, pack, orgId, row.requested_by, submission, now));
      ({ accountId, effect } = await applyEffect(trx, orgId, requestId, submission, now));
      if (accountId !== row.account_id) await trx.updateTable('approval_requests').set({ account_id: accountId }).where('id', '=', requestId).execute();
    }
    if (status === 'pending') {
      const next = chain.steps[nextStep];
      const before = await trx.selectFrom('approval_decisions').select('decided_by').where('request_id', '=', requestId).execute();
      notified = next ? await notifyRoles(trx, {
        orgId, roleIds: stepRoles(next), exclude: [row.requested_by, ...before.map((d) => d.decided_by)], at: now, link: link(requestId),
        text: `${summary}: awaits your decision as ${next.roleTitle} (${next.label}); ${step.roleTitle} approved`,
      }) : [];
    } else {
      const affected = 'userId' in submission.subject && typeof submission.subject.userId === 'string' ? [submission.subject.userId] : [];
      const outcome = status === 'approved' ? 'approved' : `rejected by the ${step.roleTitle}: ${comment ?? ''}`;
      notified = await notify(trx, { orgId, userIds: [row.requested_by, ...affected], text: `${summary}: ${outcome}`, link: link(requestId), at: now });
    }
    return {
      result: { status, currentStep: nextStep, accountId },
      targetType: 'approval_request',
      targetId: requestId,
      before: { status: 'pending', step: n },
      after: { status, step: nextStep, decided: { step: n, role: step.role, decision: input.decision, comment }, effect, notified },
      sources,
    };
  });
}

/** The requester takes back a pending request; it stays on record as withdrawn. */
export async function withdrawRequest(ctx: CommandContext, requestId: string): Promise<void> {
  const row = await ctx.db.selectFrom('approval_requests').select(['status', 'requested_by', 'chain'])
    .where('org_id', '=', ctx.actor.orgId).where('id', '=', requestId).executeTakeFirst();
  if (!row) throw notFound('Request');
  const chain = JSON.parse(row.chain) as ChainSnapshot;
  if (row.requested_by !== ctx.actor.userId) throw forbidden('Only the person who made a request may withdraw it', `${chain.key}.withdraw`, chain.sources);
  if (row.status !== 'pending') throw conflict(`This request is already ${row.status}`);
  // 'self': withdrawing needs no role (the requester may have lost theirs), only to be the requester.
  await runCommand(ctx, { event: 'request.withdrawn', authorize: 'self' }, async (trx, now) => {
    const done = await trx.updateTable('approval_requests').set({ status: 'withdrawn', decided_at: now.toISOString() })
      .where('id', '=', requestId).where('status', '=', 'pending').executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict('This request was decided in the meantime');
    return { result: undefined, targetType: 'approval_request', targetId: requestId, before: { status: 'pending' }, after: { status: 'withdrawn' }, sources: chain.sources };
  });
}
