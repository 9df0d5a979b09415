// Reading emergency templates: each with its blanks, its findings, where its approval stands under
// the pack in force, and what the person asking may do with it (approve the next step, edit).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { decide, permissionsOf, type Actor } from '../policy/can.js';
import { forbidden } from '../http/errors.js';
import type { Finding } from './checks/index.js';
import { approvalState, approvingSteps, blanksOf } from './templates.js';

export interface TemplateView {
  id: string;
  title: string;
  body: string;
  blanks: string[];
  category: string | null;
  accountIds: string[];
  departmentId: string | null;
  authorName: string;
  editorName: string;
  version: number;
  findings: Finding[];
  updatedAt: string;
  approval: {
    approved: boolean;
    /** Approved under an earlier version of the policy: it must be approved again. */
    stale: boolean;
    steps: Array<{ step: number; roleTitle: string; label: string; approvedBy: string | null; at: string | null }>;
  };
  /** The person asking decides the step that waits. */
  awaitsMe: boolean;
  mayEdit: boolean;
}

/** Templates concern whoever writes, approves or leads emergency updates. */
export const TEMPLATE_READERS = ['content.submit', 'content.approve', 'incident.lead'] as const;

export function requireTemplateReader(actor: Actor): void {
  const held = permissionsOf(actor);
  if (!TEMPLATE_READERS.some((a) => held.includes(a))) {
    const decision = decide(actor, 'content.submit', { orgId: actor.orgId });
    throw forbidden(`Not allowed: ${decision.reason}`, 'content.submit', decision.sources);
  }
}

export async function listTemplates(db: Kysely<DB>, actor: Actor, packVersion: string): Promise<TemplateView[]> {
  requireTemplateReader(actor);
  const rows = await db.selectFrom('content_templates').selectAll().where('org_id', '=', actor.orgId).orderBy('title').limit(500).execute();
  if (rows.length === 0) return [];
  const approvals = await db.selectFrom('content_template_approvals').selectAll().where('org_id', '=', actor.orgId).execute();
  const users = await db.selectFrom('users').select(['id', 'display_name']).where('org_id', '=', actor.orgId).execute();
  const nameOf = (id: string) => users.find((u) => u.id === id)?.display_name ?? id;
  const steps = approvingSteps(actor.pack);
  return rows.map((t) => {
    const state = approvalState(actor.pack, packVersion, t.version, approvals.filter((a) => a.template_id === t.id));
    const next = state.next === null ? undefined : steps[state.next];
    const me = actor.userId;
    const resource = { orgId: actor.orgId, departmentId: t.department_id };
    const awaitsMe = Boolean(next && me && me !== t.author_id && me !== t.editor_id && actor.roles.includes(next.role)
      && !state.steps.some((s) => s.approval?.userId === me) && decide(actor, 'content.approve', resource).allowed);
    // The edit route needs content.submit; the command then wants the author, or an approver of the department.
    const mayEdit = permissionsOf(actor).includes('content.submit') && (me === t.author_id || decide(actor, 'content.approve', resource).allowed);
    return {
      id: t.id, title: t.title, body: t.body, blanks: blanksOf(t.body), category: t.category, accountIds: JSON.parse(t.account_ids) as string[], departmentId: t.department_id,
      authorName: nameOf(t.author_id), editorName: nameOf(t.editor_id), version: t.version, findings: JSON.parse(t.findings) as Finding[], updatedAt: t.updated_at,
      approval: {
        approved: state.approved, stale: state.stale,
        steps: state.steps.map((s) => ({ step: s.step, roleTitle: s.roleTitle, label: s.label, approvedBy: s.approval ? nameOf(s.approval.userId) : null, at: s.approval?.at ?? null })),
      },
      awaitsMe, mayEdit,
    };
  });
}
