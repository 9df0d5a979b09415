// One request: what was asked, and its approval chain as ordered steps (done, waiting now, still to
// come), with who decided each step, when and why. Whoever holds the role of the step waiting now
// approves or rejects it here (the server has the last word and its refusals show their policy
// ids); the requester may withdraw a pending request.
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { platformWords, requestTypeWords } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { ChainSteps, RequestStatusTag } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { Dialog } from '../components/Dialog.js';
import { TextAreaField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { Department, DirectoryPerson, RequestDetail } from '../types.js';
import { useApi } from '../useApi.js';

function submittedJustNow(state: unknown): boolean {
  return Boolean(state && typeof state === 'object' && 'submitted' in state && state.submitted === true);
}

export function RequestPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const session = useSignedIn();
  const detail = useApi<RequestDetail>(`/api/requests/${encodeURIComponent(id)}`);
  const people = useApi<DirectoryPerson[]>('/api/people/directory');
  const departments = useApi<Department[]>(hasPermission(session, 'staff.view') ? '/api/departments' : null);
  const [status, setStatus] = useState('');
  const title = detail.state.status === 'ready' ? detail.state.data.summary : 'Request';

  const names = new Map<string, string>();
  if (people.state.status === 'ready') for (const p of people.state.data) names.set(p.id, p.displayName);
  if (departments.state.status === 'ready') for (const d of departments.state.data) names.set(d.id, d.name);

  const done = useCallback(async (message: string) => {
    setStatus(message);
    await detail.reload();
  }, [detail]);

  return (
    <Page title={title}>
      <p className="margin-top-0"><Link className="usa-link" to="/requests">Back to requests</Link></p>
      <div role="status" className="civic-status">
        {status ? <Alert kind="success" slim>{status}</Alert> : null}
      </div>
      {detail.state.status === 'loading' ? <Loading what="the request" /> : null}
      {detail.state.status === 'error' ? <ApiErrorAlert error={detail.state.error} /> : null}
      {detail.state.status === 'ready' ? (
        <>
          {submittedJustNow(location.state) && !status ? (
            <Alert kind="success" heading="Request submitted" focus>
              <p className="margin-0">
                {detail.state.data.awaiting ? `The ${detail.state.data.awaiting.roleTitle} has been told it waits for their decision.` : 'It has been recorded.'}
              </p>
            </Alert>
          ) : null}
          <RequestBody request={detail.state.data} names={names} onDone={done} />
        </>
      ) : null}
    </Page>
  );
}

function RequestBody({ request, names, onDone }: { request: RequestDetail; names: Map<string, string>; onDone: (message: string) => Promise<void> }) {
  const session = useSignedIn();
  const mine = request.requestedBy.id === session.user.id;
  const myRoles = session.user.roles.map((r) => r.id);
  const holdsStep = request.awaiting !== null && request.awaiting.roles.some((r) => myRoles.includes(r));
  const decidedEarlier = request.steps.some((s) => s.decision?.by === session.user.id);

  return (
    <>
      <p className="font-sans-md margin-top-1">
        <RequestStatusTag status={request.status} /> {requestTypeWords(request.type)}, requested by {request.requestedBy.name} on{' '}
        <time dateTime={request.createdAt}>{formatDateTime(request.createdAt)}</time>
      </p>

      <section aria-labelledby="asked-heading">
        <h2 id="asked-heading">What was asked</h2>
        <Subject request={request} names={names} />
      </section>

      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">Approval chain</h2>
        <ChainSteps
          steps={request.steps.map((s) => ({ roleTitle: s.roleTitle, label: s.label, state: s.state, decision: s.decision }))}
          sources={request.chain.sources}
          notes={request.chain.notes}
          testId="request-steps"
        />
      </section>

      {request.status === 'pending' && request.awaiting ? (
        holdsStep && !mine && !decidedEarlier ? (
          <DecisionForm request={request} onDone={onDone} />
        ) : holdsStep && mine ? (
          <p>You made this request, so another {request.awaiting.roleTitle} must decide it.</p>
        ) : holdsStep && decidedEarlier ? (
          <p>You decided an earlier step, so another {request.awaiting.roleTitle} must decide this one.</p>
        ) : null
      ) : null}

      {mine && request.status === 'pending' ? <Withdraw request={request} onDone={onDone} /> : null}
    </>
  );
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function Subject({ request, names }: { request: RequestDetail; names: Map<string, string> }) {
  const session = useSignedIn();
  const s = request.subject;
  const who = (id: unknown) => names.get(str(id)) ?? (str(id) === session.user.id ? session.user.displayName : str(id));
  const rows: Array<[string, ReactNode]> = [];
  const accountRow = () => {
    const id = str(s.accountId) || request.accountId;
    if (!id) return;
    rows.push(['Account', hasPermission(session, 'account.view')
      ? <Link className="usa-link" to={`/accounts/${encodeURIComponent(id)}`}>Open the account</Link>
      : <code>{id}</code>]);
  };
  switch (request.type) {
    case 'newAccount': {
      rows.push(['Platform', platformWords(str(s.platform))], ['Handle', str(s.handle)]);
      if (s.profileUrl) rows.push(['Profile address', <span className="civic-break-any">{str(s.profileUrl)}</span>]);
      if (s.departmentId) rows.push(['Department', who(s.departmentId)]);
      if (s.boardName) rows.push(['Board or committee', str(s.boardName)]);
      if (s.minutesReference) rows.push(['Minutes reference', str(s.minutesReference)]);
      rows.push(['Purpose', str(s.purpose)], ['Sign-up e-mail', str(s.signupEmail)]);
      const admins = Array.isArray(s.administrators) ? s.administrators : [];
      rows.push(['Administrators', <ul className="usa-list usa-list--unstyled" data-testid="subject-admins">{admins.map((a) => <li key={str(a)}>{who(a)}</li>)}</ul>]);
      if (request.accountId && hasPermission(session, 'account.view')) {
        rows.push(['The new account', <Link className="usa-link" to={`/accounts/${encodeURIComponent(request.accountId)}`}>Open it in the registry</Link>]);
      }
      break;
    }
    case 'adminChange':
      accountRow();
      rows.push(['Change', s.change === 'remove' ? 'Remove an administrator' : 'Add an administrator'], ['Person', who(s.userId)]);
      if (s.reason) rows.push(['Reason', str(s.reason)]);
      break;
    case 'staffAccess':
      accountRow();
      rows.push(['Staff member', who(s.userId)], ['Proposal', str(s.proposal)]);
      break;
    case 'accountDeletion':
      accountRow();
      rows.push(['Reason', str(s.reason)]);
      break;
    case 'platform':
      rows.push(['Platform ID', <code>{str(s.platform)}</code>], ['Name', str(s.name)]);
      if (s.note) rows.push(['Note', str(s.note)]);
      break;
  }
  return (
    <table className="usa-table usa-table--borderless civic-fields" data-testid="request-subject">
      <caption className="usa-sr-only">{request.summary}</caption>
      <tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody>
    </table>
  );
}

function DecisionForm({ request, onDone }: { request: RequestDetail; onDone: (message: string) => Promise<void> }) {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'approved' | 'rejected' | null>(null);
  const step = request.awaiting;
  if (!step) return null;
  const last = step.index === request.chain.steps.length - 1;
  const next = request.chain.steps[step.index + 1];

  const decide = async (decision: 'approved' | 'rejected') => {
    if (decision === 'rejected' && !comment.trim()) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not rejected.', fields: [{ path: 'body.comment', message: 'Say why: the requester is told.' }] }));
      return;
    }
    setBusy(decision);
    setError(null);
    try {
      await api.post<RequestDetail>(`/api/requests/${encodeURIComponent(request.id)}/decision`, { decision, comment: comment.trim() || null });
      setComment('');
      const message = decision === 'rejected'
        ? 'You rejected the request. The requester has been told why.'
        : last ? 'You approved the last step: the request is approved and has taken effect.'
          : `You approved step ${step.index + 1}. ${next ? `The ${next.roleTitle} has been told it is their turn.` : ''}`;
      await onDone(message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void decide('approved');
  };

  return (
    <section aria-labelledby="decide-heading" data-testid="decision">
      <h2 id="decide-heading">Your decision as {step.roleTitle}</h2>
      <p>Step {step.index + 1} of {request.chain.steps.length}: the {step.roleTitle} {step.label}.</p>
      <ErrorSummary error={error} fieldIds={{ comment: 'decision-comment' }} labels={{ comment: 'Comment' }} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} noValidate aria-labelledby="decide-heading">
        <TextAreaField
          id="decision-comment"
          name="comment"
          label="Comment"
          hint="Optional when approving; required when rejecting. The requester sees it."
          optional
          value={comment}
          onChange={setComment}
          error={fieldErrorsOf(error).comment}
          maxLength={4000}
        />
        <ul className="usa-button-group margin-top-3">
          <li className="usa-button-group__item">
            <button type="submit" className="usa-button" disabled={busy !== null}>{busy === 'approved' ? 'Approving…' : 'Approve'}</button>
          </li>
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--secondary" disabled={busy !== null} onClick={() => void decide('rejected')}>
              {busy === 'rejected' ? 'Rejecting…' : 'Reject'}
            </button>
          </li>
        </ul>
      </form>
    </section>
  );
}

function Withdraw({ request, onDone }: { request: RequestDetail; onDone: (message: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const close = useCallback(() => setOpen(false), []);
  return (
    <section aria-labelledby="withdraw-heading" className="margin-top-4">
      <h2 id="withdraw-heading">Changed your mind?</h2>
      <p>You can withdraw your request while it waits. It stays on record as withdrawn.</p>
      <button type="button" className="usa-button usa-button--outline" onClick={() => setOpen(true)}>Withdraw the request…</button>
      <Dialog open={open} title="Withdraw this request?" onClose={close}>
        {open ? (
          <>
            <p>{request.summary}. Nobody will be asked to decide it any more.</p>
            <ApiErrorAlert error={error} focus />
            <ul className="usa-button-group margin-top-3">
              <li className="usa-button-group__item">
                <button
                  type="button"
                  className="usa-button usa-button--secondary"
                  disabled={busy}
                  onClick={async () => {
                    setBusy(true);
                    setError(null);
                    try {
                      await api.post(`/api/requests/${encodeURIComponent(request.id)}/withdraw`, {});
                      setOpen(false);
                      await onDone('You withdrew the request.');
                    } catch (err) {
                      setError(err);
                    } finally {
                      setBusy(false);
                    }
                  }}
                >
                  {busy ? 'Withdrawing…' : 'Withdraw'}
                </button>
              </li>
              <li className="usa-button-group__item">
                <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={close}>Cancel</button>
              </li>
            </ul>
          </>
        ) : null}
      </Dialog>
    </section>
  );
}
