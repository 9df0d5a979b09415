// What the pack asks of comments that a platform cannot do, said plainly where moderators and
// account managers look: the queue, the account page, a draft's publications. Pre-moderation
// (MN-7) is never imitated by hiding comments as they arrive — that would be a machine removing
// speech — so where a platform cannot hold comments the notice says they are reviewed after they
// appear. Where the public may not post (LX-8) and the platform offers no switch, the notice says
// comments must be turned off in the platform's own settings.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Capability } from '../platforms/connector.js';
import { platformCapabilities } from '../platforms/registry.js';
import type { PolicyPack } from '../policy/pack.schema.js';

export type NoticeId = 'pre_moderation_unavailable' | 'pre_moderation_held' | 'replies_closed_on_publish' | 'comments_stay_open' | 'blocking_manual';

export interface PlatformNotice {
  id: NoticeId;
  platform: string;
  tone: 'warning' | 'info';
  title: string;
  text: string;
  sources: string[];
}

const NAMES: Record<string, string> = { bluesky: 'Bluesky', facebook: 'Facebook' };

export function platformName(platform: string): string {
  return NAMES[platform] ?? platform.charAt(0).toUpperCase() + platform.slice(1);
}

/** The notices for one platform under the pack (none when the pack asks nothing the platform lacks). */
export function platformNotices(pack: PolicyPack, platform: string, caps: ReadonlySet<Capability> = platformCapabilities(platform)): PlatformNotice[] {
  const rules = pack.moderation;
  const name = platformName(platform);
  const notices: PlatformNotice[] = [];
  if (rules.preModeration) {
    notices.push(caps.has('hold_replies')
      ? { id: 'pre_moderation_held', platform, tone: 'info', sources: rules.sources, title: `Comments on ${name} wait for approval`,
        text: `The policy asks for comments to be approved before they appear. ${name} holds each comment until a person approves it: held comments are listed first in the queue.` }
      : { id: 'pre_moderation_unavailable', platform, tone: 'warning', sources: rules.sources, title: `${name} cannot hold comments for review`,
        text: `The policy asks for comments to be approved before they appear, where the platform allows it. ${name} offers no way to hold comments, so they appear at once and are reviewed after they appear: the queue lists comments not yet reviewed first, newest first. Nothing is hidden automatically to stand in for holding them.` });
  }
  if (rules.publicPostingDisabled) {
    notices.push(caps.has('disable_comments')
      ? { id: 'replies_closed_on_publish', platform, tone: 'info', sources: rules.sources, title: `Posts on ${name} are published with replies turned off`,
        text: `The policy says the public cannot post on the city's sites. Posts published from CivicDesk to ${name} are created with replies turned off: the city's own setting on its own post. Posts made before, or outside CivicDesk, are not covered: check them on ${name}.` }
      : { id: 'comments_stay_open', platform, tone: 'warning', sources: rules.sources, title: `Turn comments off in ${name}'s own settings`,
        text: `The policy says the public cannot post on the city's sites, but ${name} gives CivicDesk no way to turn comments off on a post. Turn comments off in ${name}'s own settings for the account and for each post. Until then, comments are captured and reviewed like any other.` });
  }
  const blocking = rules.blocking;
  if (blocking?.enabled) {
    notices.push({ id: 'blocking_manual', platform, tone: 'info', sources: blocking.sources, title: `Blocks are applied on ${name} by a person`,
      text: `CivicDesk records each block, its reasons and its end date, but cannot block anyone on ${name}: apply each block from the city's account on ${name}, and lift it on its end date.` });
  }
  return notices;
}

export interface AccountNotice extends PlatformNotice {
  /** The city's accounts on this platform the notice is about. */
  accountIds: string[];
}

/** The notices for the city's live accounts (or one account), one per platform and notice. */
export async function accountNotices(db: Kysely<DB>, orgId: string, pack: PolicyPack, accountId?: string): Promise<AccountNotice[]> {
  let q = db.selectFrom('accounts').select(['id', 'platform']).where('org_id', '=', orgId).where('status', 'in', ['requested', 'approved', 'active', 'suspended']);
  if (accountId) q = q.where('id', '=', accountId);
  const byPlatform = new Map<string, string[]>();
  for (const a of await q.orderBy('id').execute()) byPlatform.set(a.platform, [...(byPlatform.get(a.platform) ?? []), a.id]);
  return [...byPlatform.entries()].sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([platform, accountIds]) => platformNotices(pack, platform).map((n) => ({ ...n, accountIds })));
}
