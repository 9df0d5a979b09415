// Plain words for the account registry's and approval requests' codes: statuses, request types,
// step states, secret kinds and compliance results. Unknown codes fall back to humanize(), so a
// newer server still renders honestly.
import { humanize } from './policyText.js';
import type {
  AccountStatus, CheckStatus, ModuleState, PolicyPack, RequestStatus, RequestType, SecretKind, StepState,
} from './types.js';

export const ACCOUNT_STATUSES: AccountStatus[] = ['requested', 'approved', 'active', 'suspended', 'retired'];

const ACCOUNT_STATUS_WORDS: Record<AccountStatus, string> = {
  requested: 'Requested',
  approved: 'Approved, not live yet',
  active: 'Active',
  suspended: 'Suspended',
  retired: 'Retired',
};

export function accountStatusWords(status: string): string {
  return ACCOUNT_STATUS_WORDS[status as AccountStatus] ?? humanize(status);
}

export const REQUEST_STATUSES: RequestStatus[] = ['pending', 'approved', 'rejected', 'withdrawn'];

const REQUEST_STATUS_WORDS: Record<RequestStatus, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

export function requestStatusWords(status: string): string {
  return REQUEST_STATUS_WORDS[status as RequestStatus] ?? humanize(status);
}

export const REQUEST_TYPES: RequestType[] = ['newAccount', 'adminChange', 'staffAccess', 'accountDeletion', 'platform'];

export const REQUEST_TYPE_WORDS: Record<RequestType, { title: string; description: string; permission: string }> = {
  newAccount: {
    title: 'A new official account',
    description: 'Open a new account on an approved platform for a department, board or committee.',
    permission: 'account.request',
  },
  adminChange: {
    title: 'A change of administrators',
    description: 'Add or remove an administrator of an existing account.',
    permission: 'account.request',
  },
  staffAccess: {
    title: 'Staff access to an account',
    description: 'Let a staff member post on an existing account.',
    permission: 'access.request',
  },
  accountDeletion: {
    title: 'Retiring an account',
    description: 'Close an account. It stays in the registry and the archive as a public record.',
    permission: 'account.request',
  },
  platform: {
    title: 'A new platform or tool',
    description: 'Add a platform or tool to the city\'s approved list.',
    permission: 'account.request',
  },
};

export function requestTypeWords(type: string): string {
  return REQUEST_TYPE_WORDS[type as RequestType]?.title ?? humanize(type);
}

const STEP_STATE_WORDS: Record<StepState, string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  awaiting: 'Waiting for a decision now',
  waiting: 'Not yet: waits for the step before',
  not_reached: 'Not reached',
};

export function stepStateWords(state: string): string {
  return STEP_STATE_WORDS[state as StepState] ?? humanize(state);
}

export const SECRET_KINDS: SecretKind[] = ['username', 'password', 'recovery_codes', 'connector_token'];

const SECRET_WORDS: Record<SecretKind, string> = {
  username: 'Username',
  password: 'Password',
  recovery_codes: 'Recovery codes',
  connector_token: 'Connector token',
};

export function secretWords(kind: string): string {
  return SECRET_WORDS[kind as SecretKind] ?? humanize(kind);
}

const CHECK_WORDS: Record<CheckStatus, string> = {
  pass: 'Passes',
  fail: 'Fails',
  warn: 'Warning',
  'n/a': 'Does not apply',
};

export function checkStatusWords(status: string): string {
  return CHECK_WORDS[status as CheckStatus] ?? humanize(status);
}

const MODULE_STATE_WORDS: Record<ModuleState, string> = {
  current: 'Complete',
  expired: 'Expired',
  missing: 'Missing',
};

export function moduleStateWords(state: string): string {
  return MODULE_STATE_WORDS[state as ModuleState] ?? humanize(state);
}

const PLATFORM_WORDS: Record<string, string> = {
  facebook: 'Facebook',
  twitter: 'Twitter (X)',
  x: 'X',
  instagram: 'Instagram',
  bluesky: 'Bluesky',
  youtube: 'YouTube',
  linkedin: 'LinkedIn',
  nextdoor: 'Nextdoor',
  tiktok: 'TikTok',
  threads: 'Threads',
  mastodon: 'Mastodon',
};

export function platformWords(platform: string): string {
  return PLATFORM_WORDS[platform] ?? humanize(platform);
}

/** "Facebook @kalispellparks", for headings and links. */
export function accountLabel(a: { platform: string; handle: string }): string {
  return `${platformWords(a.platform)} ${a.handle}`;
}

/** Who owns an account: its department, or its board or committee. */
export function ownerWords(a: { department: string | null; boardName: string | null }): string {
  if (a.boardName && a.department) return `${a.boardName} (staff liaison: ${a.department})`;
  return a.boardName ?? a.department ?? 'No department recorded';
}

/** The roles that approve a new platform (those granted platform.approve), as the server picks them. */
export function platformApprovers(pack: Pick<PolicyPack, 'roles'>): PolicyPack['roles'] {
  return pack.roles.filter((r) => r.grants.some((g) => g === 'platform.approve' || g.startsWith('platform.approve@')));
}

/** Only requests' own links are followed from notifications: a relative path inside the app. */
export function safeAppLink(link: string | null): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//')) return null;
  return link;
}
