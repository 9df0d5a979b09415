// One post: its text and per-platform texts, the accounts it goes to, what the policy check found,
// its approval chain step by step (who decided, when, why), the discussion, and where it was
// published. The person whose step it is approves (acknowledging each finding that needs it) or
// returns it; the author submits; a publisher retries a failed post.
import { useCallback, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { platformWords } from '../accountText.js';
import { api } from '../api.js';
import { ChainSteps, StatusTag } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { DraftDecision } from '../components/DraftDecision.js';
import { DraftDiscussion } from '../components/DraftDiscussion.js';
import { DraftPublications, PublishOutcomes } from '../components/DraftPublications.js';
import { ModerationNotices } from '../components/ModerationNotices.js';
import { FindingsList } from '../components/Findings.js';
import { Page } from '../components/Page.js';
import { awaitingWords, draftStatusTone, draftStatusWords, draftSteps, editable, excerpt } from '../contentText.js';
import type { DecisionResponse, DraftDetail, PublishOutcome } from '../contentTypes.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import { useAccountNames } from '../useAccountNames.js';
import { useApi } from '../useApi.js';

function submittedJustNow(state: unknown): boolean {
  return Boolean(state && typeof state === 'object' && 'submitted' in state && state.submitted === true);
}

export function ContentDraftPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const detail = useApi<DraftDetail>(`/api/content/drafts/${encodeURIComponent(id)}`);
  const nameOf = useAccountNames();
  const [status, setStatus] = useState('');
  const [outcomes, setOutcomes] = useState<PublishOutcome[]>([]);
  const title = detail.state.status === 'ready' ? `Post: ${excerpt(detail.state.data.text, 60)}` : 'Post';

  const done = useCallback(async (message: string, published: PublishOutcome[] = []) => {
    setStatus(message);
    setOutcomes(published);
    await detail.reload();
  }, [detail]);

  return (
    <Page title={title}>
      <p className="margin-top-0"><Link className="usa-link" to="/content">Back to content</Link></p>
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      <PublishOutcomes outcomes={outcomes} nameOf={nameOf} />
      {detail.state.status === 'loading' ? <Loading what="the post" /> : null}
      {detail.state.status === 'error' ? <ApiErrorAlert error={detail.state.error} /> : null}
      {detail.state.status === 'ready' ? (
        <>
          {submittedJustNow(location.state) && !status ? (
            <Alert kind="success" heading="Submitted for approval" focus>
              <p className="margin-0">{awaitingWords(detail.state.data) ?? 'The first approver'} has been told it waits for their decision.</p>
            </Alert>
          ) : null}
          <DraftBody draft={detail.state.data} nameOf={nameOf} onDone={done} />
        </>
      ) : null}
    </Page>
  );
}

function DraftBody({ draft, nameOf, onDone }: {
  draft: DraftDetail;
  nameOf: (id: string, platform?: string) => string;
  onDone: (message: string, published?: PublishOutcome[]) => Promise<void>;
}) {
  const session = useSignedIn();
  const mine = draft.authorId === session.user.id;
  const waiting = awaitingWords(draft);
  const older = draft.decisions.filter((d) => d.version !== draft.version);
  const decided = (message: string, answer: DecisionResponse) => onDone(message, answer.published);

  return (
    <>
      <p className="font-sans-md margin-top-1">
        <StatusTag tone={draftStatusTone(draft.status)} testId="draft-status">{draftStatusWords(draft.status)}</StatusTag>{' '}
        {draft.emergency ? <><StatusTag tone="bad">Emergency</StatusTag>{' '}</> : null}
        by {mine ? 'you' : draft.authorName}, last changed <time dateTime={draft.updatedAt}>{formatDateTime(draft.updatedAt)}</time>
      </p>
      {waiting ? <p data-testid="awaiting">Waiting for: {waiting}.</p> : null}
      {draft.scheduledAt ? <p>To be published at <time dateTime={draft.scheduledAt}>{formatDateTime(draft.scheduledAt)}</time>.</p> : null}

      <Actions draft={draft} mine={mine} onDone={onDone} />

      <section aria-labelledby="text-heading">
        <h2 id="text-heading">The post</h2>
        <div className="civic-quote civic-record-text" data-testid="draft-text">{draft.text}</div>
        {draft.variants.map((v) => (
          <div key={v.platform}>
            <h3>Text for {platformWords(v.platform)}</h3>
            <div className="civic-quote civic-record-text" data-testid={`variant-${v.platform}`}>{v.text}</div>
          </div>
        ))}
        <table className="usa-table usa-table--borderless civic-fields" data-testid="draft-facts">
          <caption className="usa-sr-only">About the post</caption>
          <tbody>
            <tr><th scope="row">Accounts</th><td><ul className="usa-list usa-list--unstyled">{draft.accountIds.map((a) => <li key={a}>{nameOf(a)}</li>)}</ul></td></tr>
            {draft.link ? <tr><th scope="row">Link</th><td className="civic-break-any">{draft.link}</td></tr> : null}
            {draft.websiteUrl ? <tr><th scope="row">Page on the city website</th><td className="civic-break-any">{draft.websiteUrl}</td></tr> : null}
            {draft.category ? <tr><th scope="row">Category</th><td>{draft.category}</td></tr> : null}
            {draft.media.length ? (
              <tr><th scope="row">Images</th><td><ul className="usa-list usa-list--unstyled">
                {draft.media.map((m, i) => <li key={m.sha256 + i}>Image {i + 1} ({m.mime}): {m.alt ? <>alt text “{m.alt}”</> : <strong>no alt text</strong>}</li>)}
              </ul></td></tr>
            ) : null}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">Policy check</h2>
        <FindingsList findings={draft.findings} />
      </section>

      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">Approval chain</h2>
        {draft.chain ? (
          <ChainSteps steps={draftSteps(draft)} sources={draft.chain.sources} notes={draft.chain.notes} testId="draft-steps" />
        ) : <p>Not submitted yet: the chain starts when the author submits the post.</p>}
        {older.length ? (
          <details className="civic-details">
            <summary>Decisions on earlier versions ({older.length})</summary>
            <ul className="usa-list">
              {older.map((d, i) => (
                <li key={`${d.at}-${i}`}>Version {d.version}, step {d.step + 1}: {d.decision === 'approved' ? 'approved' : 'returned'} by {d.by} on <time dateTime={d.at}>{formatDateTime(d.at)}</time>{d.comment ? <>: <q>{d.comment}</q></> : null}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      {draft.awaitsMe ? <DraftDecision draft={draft} onDone={decided} /> : null}

      <DraftPublications publications={draft.publications} nameOf={nameOf} />
      <ModerationNotices accountIds={draft.accountIds} only={['comments_stay_open', 'replies_closed_on_publish']} headingLevel={3} />
      <DraftDiscussion draftId={draft.id} comments={draft.comments} onDone={(m) => onDone(m)} />
    </>
  );
}

function Actions({ draft, mine, onDone }: { draft: DraftDetail; mine: boolean; onDone: (message: string, published?: PublishOutcome[]) => Promise<void> }) {
  const session = useSignedIn();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const canEdit = editable(draft.status) && (mine || hasPermission(session, 'content.approve'));
  const canSubmit = mine && ['draft', 'rejected'].includes(draft.status);
  const canPublish = hasPermission(session, 'content.publish') && ['approved', 'failed'].includes(draft.status);
  if (!canEdit && !canSubmit && !canPublish) return null;

  const run = async (what: 'submit' | 'publish') => {
    setBusy(true);
    setError(null);
    try {
      if (what === 'submit') {
        await api.post(`/api/content/drafts/${encodeURIComponent(draft.id)}/submit`, {});
        await onDone('Submitted for approval. The first approver has been told.');
      } else {
        const { published } = await api.post<{ published: PublishOutcome[] }>(`/api/content/drafts/${encodeURIComponent(draft.id)}/publish`, {});
        await onDone(draft.status === 'failed' ? 'Publishing retried.' : 'Publishing started.', published);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ErrorSummary error={error} fieldIds={{}} labels={{ 'draft.text': 'Post text' }} />
      <ul className="usa-button-group margin-y-2">
        {canEdit ? <li className="usa-button-group__item"><Link className="usa-button usa-button--outline" to={`/content/${encodeURIComponent(draft.id)}/edit`}>Edit the post</Link></li> : null}
        {canSubmit ? <li className="usa-button-group__item"><button type="button" className="usa-button" disabled={busy} onClick={() => void run('submit')}>Submit for approval</button></li> : null}
        {canPublish ? (
          <li className="usa-button-group__item">
            <button type="button" className="usa-button" disabled={busy} onClick={() => void run('publish')}>{draft.status === 'failed' ? 'Retry publishing' : 'Publish now'}</button>
          </li>
        ) : null}
      </ul>
    </>
  );
}
