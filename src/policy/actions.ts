// The vocabulary of things a person can do in CivicDesk. A pack's roles grant these; `can()` checks
// them. Later domains add actions here, and every pack decides who holds them.
export const ACTIONS = [
  // foundation
  'org.view', // dashboard, pack summary
  'org.manage', // city settings
  'pack.view',
  'staff.view',
  'staff.manage', // add, disable, assign roles and departments
  'events.view',
  // accounts & people (issue 4)
  'account.view',
  'account.request',
  'account.approve',
  'account.manage',
  'account.suspend',
  'account.delete.approve',
  'platform.approve', // add a platform or tool to the approved list (BZ-2, KA-6)
  'access.request',
  'access.approve',
  'training.manage',
  'credentials.view',
  'credentials.manage',
  // content (issue 6)
  'content.submit',
  'content.approve',
  'content.publish',
  'incident.lead',
  // moderation (issue 7)
  'comment.view',
  'comment.report',
  'comment.respond',
  'comment.hide',
  'comment.delete',
  'comment.removal.approve',
  // archive & records (issue 3)
  'archive.search',
  'archive.export',
  'archive.hold',
  'archive.disposition.approve',
  'records.request.manage',
  'records.request.forward', // any staff member passes a request on to the records custodian (KA-14)
  // oversight
  'reports.view',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * How far a grant reaches: the whole city, the holder's own department, or only what the holder
 * created. `content.approve@department` lets a Department Director approve their department's drafts.
 */
export const SCOPES = ['city', 'department', 'own'] as const;
export type Scope = (typeof SCOPES)[number];

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}
