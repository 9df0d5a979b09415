// Where a post went: one row per account, with its status, a link to the post on the platform,
// the error when it failed, and how many attempts were made. Also the outcome of publishing just
// now, as the approval or retry returned it.
import { platformWords } from '../accountText.js';
import type { PublishOutcome, Publication } from '../contentTypes.js';
import { formatDateTime } from '../policyText.js';
import { Alert } from './Alerts.js';
import { StatusTag } from './AccountBits.js';
import { PublishNotices } from './ModerationNotices.js';

const PUB_TONES: Record<string, 'good' | 'bad' | 'warn' | 'neutral'> = { published: 'good', failed: 'bad', pending: 'warn', skipped: 'warn' };
const PUB_WORDS: Record<string, string> = { published: 'Published', failed: 'Failed', pending: 'Pending', skipped: 'Not sent' };

/** Only http(s) addresses become links. */
function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

export function DraftPublications({ publications, nameOf }: { publications: Publication[]; nameOf: (id: string, platform?: string) => string }) {
  return (
    <section aria-labelledby="publications-heading">
      <h2 id="publications-heading">Publications</h2>
      {publications.length === 0 ? <p>Not published anywhere yet.</p> : (
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="publications-caption">
          <table className="usa-table usa-table--borderless width-full" data-testid="publications">
            <caption id="publications-caption" className="usa-sr-only">Where the post was published</caption>
            <thead>
              <tr><th scope="col">Account</th><th scope="col">Status</th><th scope="col">Post</th><th scope="col">Attempts</th></tr>
            </thead>
            <tbody>
              {publications.map((p) => {
                const url = safeUrl(p.url);
                return (
                  <tr key={`${p.accountId}-${p.platform}`} data-account={p.accountId} data-status={p.status}>
                    <th scope="row">{nameOf(p.accountId, p.platform)}</th>
                    <td><StatusTag tone={PUB_TONES[p.status] ?? 'neutral'}>{PUB_WORDS[p.status] ?? p.status}</StatusTag></td>
                    <td>
                      {url ? <a className="usa-link civic-break-any" href={url} data-testid="publication-link">Open the post on {platformWords(p.platform)}</a> : null}
                      {p.publishedAt ? <span className="display-block font-sans-3xs text-base-dark">on <time dateTime={p.publishedAt}>{formatDateTime(p.publishedAt)}</time></span> : null}
                      {p.error ? <span className="display-block civic-text-bad" data-testid="publication-error">{p.error}</span> : null}
                      {!url && !p.error ? <span className="text-base-dark">None yet</span> : null}
                    </td>
                    <td>{p.attempts}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function PublishOutcomes({ outcomes, nameOf }: { outcomes: PublishOutcome[]; nameOf: (id: string) => string }) {
  if (outcomes.length === 0) return null;
  const failed = outcomes.filter((o) => o.status !== 'published');
  return (
    <Alert kind={failed.length ? 'warning' : 'success'} heading={failed.length ? 'Not every account published' : 'Published'} focus>
      <ul className="usa-list margin-0" data-testid="publish-outcomes">
        {outcomes.map((o) => {
          const url = safeUrl(o.url);
          return (
            <li key={o.accountId} data-status={o.status}>
              {nameOf(o.accountId)}: {PUB_WORDS[o.status] ?? o.status}
              {url ? <> (<a className="usa-link" href={url}>open the post</a>)</> : null}
              {o.error ? `: ${o.error}` : null}
              <PublishNotices notices={o.notices} />
            </li>
          );
        })}
      </ul>
      {failed.length ? <p className="margin-bottom-0">Retry from this page once the cause is fixed; a retry never posts twice.</p> : null}
    </Alert>
  );
}
