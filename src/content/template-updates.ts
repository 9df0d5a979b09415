// An update of an open emergency started from an approved template (LX-5, BZ-6, BZ-8): the person
// fills every blank; the filled text is checked against the pack like any post (a Social Security
// number typed into a blank is still blocked, and the refusal points at that blank); the draft is
// saved with a record of the template version, its approvals and the values, then submitted. With
// only the blanks filled it is approved at once (see template-path.ts); with the wording changed it
// is an ordinary emergency update.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CommandContext } from '../events/command.js';
import { badRequest } from '../http/errors.js';
import { blocking } from './checks/index.js';
import { createDraft, findingsFor, refusal, submitDraft, DraftInput } from './drafts.commands.js';
import { openEmergencyOf } from './incidents.commands.js';
import { loadTemplate } from './templates.commands.js';
import { approvalState, blanksOf, fieldOf, fillBlanks, trimmedValues, valueProblems } from './templates.js';
import type { UsedApproval } from './template-path.js';

const Id = z.string().min(1).max(200);

export const TemplateUpdateInput = z.strictObject({
  templateId: Id,
  values: z.record(z.string().max(60), z.string().max(2000)).default({}),
  /** The wording, when the person changed it: then it is no longer the approved text. */
  text: z.string().trim().min(1).max(63_206).nullable().optional(),
  accountIds: z.array(Id).min(1, 'choose at least one account').max(20),
});

export interface TemplateUpdateOutcome {
  id: string;
  status: string;
  /** True when the update is the template's text with only the blanks filled. */
  exact: boolean;
  text: string;
}

export async function startTemplateUpdate(ctx: CommandContext, incidentId: string, raw: unknown): Promise<TemplateUpdateOutcome> {
  const parsed = TemplateUpdateInput.safeParse(raw);
  if (!parsed.success) {
    throw badRequest('The update is not valid', parsed.error.issues.map((i) => ({ path: ['body', ...i.path.map(String)].join('.'), message: i.message })));
  }
  const input = parsed.data;
  await openEmergencyOf(ctx, incidentId);
  const template = await loadTemplate(ctx, input.templateId);
  const approvals = await ctx.db.selectFrom('content_template_approvals').selectAll().where('template_id', '=', template.id).execute();
  const state = approvalState(ctx.actor.pack, ctx.packVersion, template.version, approvals);
  if (!state.approved) {
    throw badRequest('That template is not approved', [{ path: 'body.templateId', message: state.stale ? 'approved under an earlier version of the policy: it must be approved again' : 'its current text is not approved yet' }]);
  }
  const blanks = blanksOf(template.body);
  const problems = valueProblems(blanks, input.values);
  const allowed = JSON.parse(template.account_ids) as string[];
  if (allowed.length) {
    problems.push(...input.accountIds.filter((a) => !allowed.includes(a)).map((a) => ({ path: 'body.accountIds', message: `the template is approved for other accounts, not ${a}` })));
  }
  if (problems.length) throw badRequest('Fill in the template', problems);
  const values = trimmedValues(blanks, input.values);
  const filled = fillBlanks(template.body, values);
  const text = input.text ?? filled;
  const exact = text === filled;
  const draft = { text, accountIds: input.accountIds, incidentId, category: template.category, departmentId: template.department_id } satisfies DraftInput;

  // Checked before anything is saved, so a refusal leaves nothing behind and names the blank.
  const findings = findingsFor(ctx, DraftInput.parse(draft));
  if (blocking(findings).length) {
    const fields = refusal(findings).map((f, i) => ({ ...f, path: exact ? fieldOf(blocking(findings)[i]!, values) : 'body.text' }));
    throw badRequest('The update breaks a rule of the city\'s policy and cannot be posted', fields);
  }
  const names = new Map((await ctx.db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', ctx.actor.orgId).execute()).map((u) => [u.id, u.display_name]));
  const used: UsedApproval[] = state.steps.flatMap((s) => (s.approval ? [{
    userId: s.approval.userId, name: names.get(s.approval.userId) ?? s.approval.userId, role: s.role, roleTitle: s.roleTitle, at: s.approval.at, packVersion: s.approval.packVersion,
  }] : []));
  const { id } = await createDraft(ctx, draft, async (trx, draftId, now) => {
    await trx.insertInto('content_template_uses').values({
      id: randomUUID(), org_id: ctx.actor.orgId, draft_id: draftId, draft_version: 1, template_id: template.id, template_version: template.version,
      blank_values: JSON.stringify(values), exact: exact ? 1 : 0, approvals: JSON.stringify(used), created_at: now.toISOString(),
    }).execute();
    return { template: { id: template.id, title: template.title, version: template.version, exact, values, approvedBy: used.map((u) => u.name) } };
  });
  const { status } = await submitDraft(ctx, id);
  return { id, status, exact, text };
}
