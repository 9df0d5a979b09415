// Plain words for the policy pack's codes: what an action lets a person do, what a chain is for,
// what a clause category means. Unknown codes fall back to the code itself, so a newer pack still
// renders honestly.
import type { ChainKey, PolicyPack } from './types.js';

const ACTION_WORDS: Record<string, string> = {
  'org.view': 'see the city dashboard',
  'org.manage': 'change the city\'s settings',
  'pack.view': 'read the policy pack: roles, approval chains and rules',
  'staff.view': 'see staff and departments',
  'staff.manage': 'add and disable staff, and assign their roles and departments',
  'events.view': 'read the event log of everything done in CivicDesk',
  'account.view': 'see the city\'s social media accounts',
  'account.request': 'ask for a new social media account',
  'account.approve': 'approve a new social media account',
  'account.manage': 'manage a social media account\'s settings and administrators',
  'account.suspend': 'suspend a social media account',
  'account.delete.approve': 'approve deleting a social media account',
  'access.request': 'ask for staff access to a social media account',
  'access.approve': 'approve staff access to a social media account',
  'training.manage': 'record the training staff have completed',
  'credentials.view': 'see the sign-in details of the city\'s accounts',
  'credentials.manage': 'keep and change the sign-in details of the city\'s accounts',
  'content.submit': 'write posts and submit them for approval',
  'content.approve': 'approve posts before they are published',
  'content.publish': 'publish approved posts',
  'incident.lead': 'lead the response to an incident, such as a hacked account',
  'comment.view': 'read comments on the city\'s accounts',
  'comment.report': 'report a comment that may break the Acceptable Use rules',
  'comment.respond': 'answer the public on behalf of the city',
  'comment.hide': 'hide a comment that breaks the Acceptable Use rules',
  'comment.delete': 'remove a comment that breaks the Acceptable Use rules',
  'comment.removal.approve': 'approve removing a comment',
  'archive.search': 'search the archive of posts and comments',
  'archive.export': 'export records from the archive',
  'archive.hold': 'put records on legal hold',
  'archive.disposition.approve': 'approve destroying records whose retention period has ended',
  'records.request.manage': 'handle public records requests',
  'records.request.forward': 'forward a public records request to the Clerk',
  'reports.view': 'see reports',
};

const SCOPE_WORDS: Record<string, string> = {
  city: '',
  department: ' (for their own department only)',
  own: ' (only for what they created themselves)',
};

export function grantWords(grant: string): string {
  const at = grant.indexOf('@');
  const action = at === -1 ? grant : grant.slice(0, at);
  const scope = at === -1 ? 'city' : grant.slice(at + 1);
  const words = ACTION_WORDS[action] ?? action;
  return `${words}${SCOPE_WORDS[scope] ?? ` (${scope})`}`;
}

export const CHAIN_LABELS: Record<ChainKey, { title: string; description: string }> = {
  content: { title: 'Publishing a post', description: 'Who must approve a post before it goes out.' },
  newAccount: { title: 'Opening a new social media account', description: 'Who must approve before the city opens a new account.' },
  adminChange: { title: 'Changing an account\'s administrators', description: 'Who must approve adding or removing an account administrator.' },
  staffAccess: { title: 'Giving staff access to an account', description: 'Who must approve before a staff member can use an account.' },
  accountDeletion: { title: 'Deleting a social media account', description: 'Who must approve before an account is closed.' },
};

export const CHAIN_ORDER: ChainKey[] = ['content', 'newAccount', 'adminChange', 'staffAccess', 'accountDeletion'];

const CATEGORY_WORDS: Record<string, string> = {
  political_campaign: 'Political campaigning',
  commercial: 'Commercial or advertising',
  profanity: 'Profanity or obscenity',
  threat: 'Threats or violence',
  harassment: 'Harassment',
  personal_attack: 'Personal attacks',
  discrimination: 'Discrimination',
  sexual: 'Sexual content',
  privacy: 'Private information',
  illegal_activity: 'Illegal activity',
  copyright: 'Copyright',
  public_safety: 'Public safety',
  off_topic: 'Off topic',
};

export function categoryWords(category: string): string {
  return CATEGORY_WORDS[category] ?? humanize(category);
}

const GATE_WORDS: Record<string, string> = {
  account_access: 'using a city account',
  site_creation: 'opening a new account',
  content_submission: 'submitting posts',
};

export function gateWords(gate: string): string {
  return GATE_WORDS[gate] ?? humanize(gate);
}

export function humanize(code: string): string {
  const spaced = code.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function roleTitle(pack: Pick<PolicyPack, 'roles'>, id: string | undefined): string {
  if (!id) return '';
  return pack.roles.find((r) => r.id === id)?.title ?? humanize(id);
}

export function roleList(pack: Pick<PolicyPack, 'roles'>, ids: readonly string[] | undefined): string {
  if (!ids || ids.length === 0) return 'nobody';
  return ids.map((id) => roleTitle(pack, id)).join(', ');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en-US', { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

/** Date and time of day apart, for narrow table cells. */
export function dateTimeParts(iso: string): { date: string; time: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { date: iso, time: '' };
  return {
    date: date.toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' }),
    time: date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
}

export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}
