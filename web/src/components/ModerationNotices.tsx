// What the city's policy asks of comments that a platform cannot do (pre-moderation, MN-7; no
// public posting, LX-8; blocks applied by hand), as the API works them out from the pack and each
// platform's connector: shown on the moderation queue, an account's page and a post's page.
import type { PlatformNotice } from '../moderationTypes.js';
import { hasPermission, useSignedIn } from '../session.js';
import { useApi } from '../useApi.js';
import { Alert } from './Alerts.js';
import { Sources } from './Sources.js';

export function ModerationNotices({ accountIds, only, headingLevel = 2 }: {
  /** Only notices about these accounts (all of the city's accounts when absent). */
  accountIds?: readonly string[];
  only?: ReadonlyArray<PlatformNotice['id']>;
  headingLevel?: 2 | 3;
}) {
  const session = useSignedIn();
  const one = accountIds?.length === 1 ? `?accountId=${encodeURIComponent(accountIds[0]!)}` : '';
  const notices = useApi<PlatformNotice[]>(hasPermission(session, 'pack.view') ? `/api/moderation/notices${one}` : null);
  if (notices.state.status !== 'ready') return null;
  const shown = notices.state.data.filter((n) => (!only || only.includes(n.id)) && (!accountIds || n.accountIds.some((id) => accountIds.includes(id))));
  if (shown.length === 0) return null;
  return (
    <div data-testid="moderation-notices">
      {shown.map((n) => (
        <div key={`${n.id}-${n.platform}`} data-notice={n.id} data-platform={n.platform}>
          <Alert kind={n.tone} heading={n.title} headingLevel={headingLevel}>
            <p className="margin-0">{n.text} <Sources ids={n.sources} /></p>
          </Alert>
        </div>
      ))}
    </div>
  );
}

/** The notices a publication came back with (LX-8: comments could not be turned off). */
export function PublishNotices({ notices }: { notices: ReadonlyArray<Pick<PlatformNotice, 'id' | 'title' | 'text' | 'sources'>> | undefined }) {
  if (!notices?.length) return null;
  return (
    <ul className="usa-list margin-top-05" data-testid="publish-notices">
      {notices.map((n) => <li key={n.id} data-notice={n.id}><strong>{n.title}.</strong> {n.text} <Sources ids={n.sources} /></li>)}
    </ul>
  );
}
