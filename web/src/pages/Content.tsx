// Content: posts waiting for my decision, my drafts, what is scheduled, published or failed (with
// a retry for publishers), the city's publishing switch for those who may publish, and a link to
// the month-by-month calendar (ContentCalendar.tsx).
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api.js';
import { StatusTag } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { PublishingSwitch } from '../components/PublishingSwitch.js';
import { Page } from '../components/Page.js';
import { awaitingWords, draftStatusTone, draftStatusWords, excerpt } from '../contentText.js';
import type { DraftView, PublishOutcome } from '../contentTypes.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import { useApi } from '../useApi.js';

type Column = 'waiting' | 'when' | 'author' | 'retry';

export function ContentPage() {
  const session = useSignedIn();
  const drafts = useApi<DraftView[]>('/api/content/drafts');
  const canPublish = hasPermission(session, 'content.publish');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const retry = async (d: DraftView) => {
    setBusy(d.id);
    setError(null);
    setStatus('');
    try {
      const { published } = await api.post<{ published: PublishOutcome[] }>(`/api/content/drafts/${encodeURIComponent(d.id)}/publish`, {});
      const failed = published.filter((o) => o.status !== 'published');
      setStatus(failed.length ? `Retried "${excerpt(d.text, 40)}": ${failed.length} account(s) still failed: ${failed.map((f) => f.error).join('; ')}` : `Retried "${excerpt(d.text, 40)}": published.`);
      await drafts.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const all = drafts.state.status === 'ready' ? drafts.state.data : [];
  const me = session.user.id;
  const groups: Array<{ id: string; title: string; lead?: string; rows: DraftView[]; empty: string; columns: Column[] }> = [
    { id: 'awaiting', title: 'Waiting for your decision', lead: 'Posts at a step of the approval chain that your role decides.', rows: all.filter((d) => d.awaitsMe), empty: 'Nothing is waiting for you.', columns: ['author', 'waiting', 'when'] },
    { id: 'mine', title: 'Your drafts', rows: all.filter((d) => d.authorId === me && ['draft', 'rejected', 'in_review', 'approved', 'publishing'].includes(d.status)), empty: 'You have no drafts in progress.', columns: ['waiting', 'when'] },
    { id: 'scheduled', title: 'Scheduled', rows: all.filter((d) => d.status === 'scheduled'), empty: 'Nothing is scheduled.', columns: ['author', 'when'] },
    { id: 'published', title: 'Published', rows: all.filter((d) => d.status === 'published'), empty: 'Nothing published yet.', columns: ['author', 'when'] },
    { id: 'failed', title: 'Failed', lead: 'Posts that did not reach every account. A retry never posts twice.', rows: all.filter((d) => d.status === 'failed'), empty: 'Nothing failed.', columns: canPublish ? ['author', 'when', 'retry'] : ['author', 'when'] },
  ];

  return (
    <Page title="Content" lead="Posts for the city's accounts: written, checked against the policy, approved in order, then published.">
      <p>
        {/* Approvers who write nothing (a Mayor, a Supervisor) open drafts here but compose none. */}
        {hasPermission(session, 'content.submit') ? <><Link className="usa-button" to="/content/new">Write a post</Link>{' '}</> : null}
        <Link className="usa-link" to="/content/calendar">Calendar</Link>
      </p>
      {/* Everyone sees a pause at the top; publishers get the switch itself below the lists. */}
      {canPublish ? null : <PublishingSwitch canChange={false} />}
      <div role="status" className="civic-status">{status ? <Alert kind="info" slim>{status}</Alert> : null}</div>
      <ApiErrorAlert error={error} focus />
      {drafts.state.status === 'loading' ? <Loading what="posts" /> : null}
      {drafts.state.status === 'error' ? <ApiErrorAlert error={drafts.state.error} /> : null}
      {drafts.state.status === 'ready' ? groups.map((g) => (
        <section key={g.id} aria-labelledby={`${g.id}-heading`} data-testid={`content-${g.id}`}>
          <h2 id={`${g.id}-heading`}>{g.title}</h2>
          {g.lead ? <p>{g.lead}</p> : null}
          <DraftTable id={g.id} caption={g.title} rows={g.rows} empty={g.empty} columns={g.columns} busy={busy} onRetry={(d) => void retry(d)} />
        </section>
      )) : null}
      {canPublish ? <PublishingSwitch canChange /> : null}
    </Page>
  );
}

function DraftTable({ id, caption, rows, empty, columns, busy, onRetry }: {
  id: string;
  caption: string;
  rows: DraftView[];
  empty: string;
  columns: Column[];
  busy: string | null;
  onRetry: (d: DraftView) => void;
}) {
  const captionId = `${id}-caption`;
  const span = 2 + columns.length;
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
      <table className="usa-table usa-table--striped width-full civic-results" data-testid={`drafts-${id}`}>
        <caption id={captionId} className="usa-sr-only">{caption} ({rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">Post</th>
            <th scope="col">Status</th>
            {columns.includes('author') ? <th scope="col">Author</th> : null}
            {columns.includes('waiting') ? <th scope="col">Waiting for</th> : null}
            {columns.includes('when') ? <th scope="col">When</th> : null}
            {columns.includes('retry') ? <th scope="col"><span className="usa-sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? <tr><td colSpan={span}>{empty}</td></tr> : rows.map((d) => {
            const when = d.scheduledAt && ['scheduled', 'approved'].includes(d.status) ? d.scheduledAt : d.updatedAt;
            return (
              <tr key={d.id} data-draft={d.id}>
                <th scope="row">
                  <Link className="usa-link" to={`/content/${encodeURIComponent(d.id)}`}>{excerpt(d.text)}</Link>
                  {d.emergency ? <span className="display-block font-sans-3xs text-bold">Emergency</span> : null}
                </th>
                <td><StatusTag tone={draftStatusTone(d.status)}>{draftStatusWords(d.status)}</StatusTag></td>
                {columns.includes('author') ? <td>{d.authorName}</td> : null}
                {columns.includes('waiting') ? <td>{awaitingWords(d) ?? <span className="text-base-dark">Nobody</span>}</td> : null}
                {columns.includes('when') ? <td><time dateTime={when}>{formatDateTime(when)}</time></td> : null}
                {columns.includes('retry') ? (
                  <td>
                    <button type="button" className="usa-button usa-button--outline margin-0" disabled={busy !== null} onClick={() => onRetry(d)}>
                      {busy === d.id ? 'Retrying…' : 'Retry'}<span className="usa-sr-only"> publishing “{excerpt(d.text, 40)}”</span>
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
