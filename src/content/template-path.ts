// Whether an update of an emergency made from a template takes the template's fast path
// (LX-5, BZ-8: "with the Director's pre-approval"). The approval of the template stands for the
// content chain's approving steps, so when the update is the approved text with only its blanks
// filled, its author may publish, and nothing in it needs an approver's acknowledgement beyond what
// the approvers acknowledged on the template, it is approved at submission. Anything else falls
// back to the emergency path (the chain's last step), and the chain's notes say why.
import type { DraftsTable } from '../db/schema.js';
import type { CommandContext } from '../events/command.js';
import { decide } from '../policy/can.js';
import type { Finding } from './checks/index.js';
import { approvalState } from './templates.js';

export interface TemplatePath {
  fast: boolean;
  /** Said in the chain's notes: where the update came from, and why it took the path it did. */
  note: string;
}

export interface UsedApproval {
  userId: string;
  name: string;
  role: string;
  roleTitle: string;
  at: string;
  packVersion: string;
}

export function approvalWords(approvals: UsedApproval[]): string {
  return approvals.map((a) => `${a.name} (${a.roleTitle}) on ${a.at.slice(0, 16).replace('T', ' ')} UTC under policy version ${a.packVersion.slice(0, 12)}`).join(', then ');
}

/** Null when the draft's current version was not made from a template. */
export async function templatePathFor(ctx: CommandContext, draft: DraftsTable): Promise<TemplatePath | null> {
  const use = await ctx.db.selectFrom('content_template_uses').selectAll().where('org_id', '=', ctx.actor.orgId)
    .where('draft_id', '=', draft.id).where('draft_version', '=', draft.version).executeTakeFirst();
  if (!use) return null;
  const template = await ctx.db.selectFrom('content_templates').selectAll().where('id', '=', use.template_id).executeTakeFirst();
  const title = template ? `"${template.title}" (version ${use.template_version})` : 'a template';
  const fallback = (why: string): TemplatePath => ({ fast: false, note: `Made from the emergency template ${title}, but ${why}, so it takes the emergency path.` });
  if (!template) return fallback('the template no longer exists');
  if (use.exact !== 1) return fallback('its text was changed beyond the template\'s blanks');
  if (template.version !== use.template_version) return fallback('the template has been changed since');
  const rows = await ctx.db.selectFrom('content_template_approvals').selectAll().where('template_id', '=', template.id).execute();
  const state = approvalState(ctx.actor.pack, ctx.packVersion, template.version, rows);
  if (!state.approved) return fallback('the template is not approved under the policy now in force');
  if (state.steps.some((s) => s.approval?.userId === draft.author_id)) return fallback('its author approved the template, and nobody approves their own post');
  if (!decide(ctx.actor, 'content.publish', { orgId: ctx.actor.orgId, departmentId: draft.department_id }).allowed) {
    return fallback('its author may not publish, so the publisher\'s step remains');
  }
  // The approvers acknowledged the template's own findings; anything new comes from the blanks.
  const acknowledged = new Set((JSON.parse(template.findings) as Finding[]).filter((f) => f.severity === 'acknowledge').map((f) => `${f.id}\u0000${f.excerpt ?? ''}`));
  const fresh = (JSON.parse(draft.findings) as Finding[]).filter((f) => f.severity === 'acknowledge' && !acknowledged.has(`${f.id}\u0000${f.excerpt ?? ''}`));
  if (fresh.length) return fallback(`what went into its blanks needs an approver's acknowledgement (${fresh.map((f) => f.id).join(', ')})`);
  const approvals = JSON.parse(use.approvals) as UsedApproval[];
  return {
    fast: true,
    note: `Fast path: made from the pre-approved emergency template ${title}, approved by ${approvalWords(approvals)}, with only its blanks filled; published by its author.`,
  };
}
