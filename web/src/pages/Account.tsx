// One official account: what the registry records about it (editable with account.manage), its
// administrators (IT marked) and the staff allowed to post, its compliance checks with their
// citations, whether it may publish, its lifecycle (activate, suspend with a reason, reactivate)
// and, for the custodian of login information, the credential vault.
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { accountLabel, ownerWords, platformWords } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { AccountStatusTag, CheckStatusTag, PersonCell } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { Credentials } from '../components/Credentials.js';
import { ConnectorSection } from '../components/Connector.js';
import { ModerationNotices } from '../components/ModerationNotices.js';
import { Dialog } from '../components/Dialog.js';
import { CheckboxField, TextAreaField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { formatDate, formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { Account, AccountDetail, ComplianceCheck, PolicyResponse } from '../types.js';
import { useApi } from '../useApi.js';

export function AccountPage() {
  const { id = '' } = useParams();
  const session = useSignedIn();
  const detail = useApi<AccountDetail>(`/api/accounts/${encodeURIComponent(id)}`);
  const policy = useApi<PolicyResponse>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const [status, setStatus] = useState('');
  const title = detail.state.status === 'ready' ? accountLabel(detail.state.data.account) : 'Account';

  const done = useCallback(async (message: string) => {
    setStatus(message);
    await detail.reload();
  }, [detail]);

  return (
    <Page title={title}>
      <p className="margin-top-0"><Link className="usa-link" to="/accounts">Back to all accounts</Link></p>
      <div role="status" className="civic-status">
        {status ? <Alert kind="success" slim>{status}</Alert> : null}
      </div>
      {detail.state.status === 'loading' ? <Loading what="the account" /> : null}
      {detail.state.status === 'error' ? <ApiErrorAlert error={detail.state.error} /> : null}
      {detail.state.status === 'ready' ? (
        <AccountBody
          detail={detail.state.data}
          itRoleSources={policy.state.status === 'ready' ? policy.state.data.pack.security.sources : []}
          onDone={done}
        />
      ) : null}
    </Page>
  );
}

function AccountBody({ detail, itRoleSources, onDone }: {
  detail: AccountDetail;
  itRoleSources: string[];
  onDone: (message: string) => Promise<void>;
}) {
  const session = useSignedIn();
  const can = (p: string) => hasPermission(session, p);
  const { account, admins, access, compliance, publishing } = detail;
  const failing = compliance.filter((c) => c.status === 'fail').length;

  return (
    <>
      <p className="font-sans-md margin-top-1">
        <AccountStatusTag status={account.status} /> {ownerWords(account)}
      </p>

      <Lifecycle account={account} onDone={onDone} />

      <section aria-labelledby="publishing-heading">
        <h2 id="publishing-heading">Publishing</h2>
        {publishing.allowed ? (
          <p data-testid="publishing">Posts may be published to this account.</p>
        ) : (
          <p data-testid="publishing">Nothing can be published to this account now: {publishing.reason ?? 'it is not active'}.</p>
        )}
      </section>

      <ModerationNotices accountIds={[account.id]} />
      <ConnectorSection accountId={account.id} />

      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading">What the registry records</h2>
        <Facts account={account} />
        {can('account.manage') ? <FactsForm account={account} onSaved={onDone} /> : null}
      </section>

      <section aria-labelledby="admins-heading">
        <h2 id="admins-heading">Administrators</h2>
        <p>
          Every account has an administrator holding the city's IT role, so the city never loses control of it. <Sources ids={itRoleSources} />
        </p>
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="admins-caption">
          <table className="usa-table usa-table--compact width-full" data-testid="admins-table">
            <caption id="admins-caption" className="usa-sr-only">Administrators of {accountLabel(account)}</caption>
            <thead>
              <tr><th scope="col">Name</th><th scope="col">IT administrator</th><th scope="col">Since</th></tr>
            </thead>
            <tbody>
              {admins.length === 0 ? <tr><td colSpan={3}>No administrators recorded.</td></tr> : admins.map((a) => (
                <tr key={a.userId}>
                  <th scope="row"><PersonCell name={a.displayName} email={a.email} extra={a.active ? null : <span className="text-base-dark"> (disabled)</span>} /></th>
                  <td>{a.isIt ? <strong>Yes (IT)</strong> : 'No'}</td>
                  <td><time dateTime={a.since}>{formatDate(a.since)}</time></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {can('account.request') && account.status !== 'retired' ? (
          <p><Link className="usa-link" to={`/requests/new?type=adminChange&accountId=${encodeURIComponent(account.id)}`}>Request a change of administrators</Link></p>
        ) : null}
      </section>

      <section aria-labelledby="access-heading">
        <h2 id="access-heading">Staff who may post</h2>
        {access.length === 0 ? <p>Nobody else has been given access to post on this account.</p> : (
          <ul className="usa-list" data-testid="access-list">
            {access.map((p) => (
              <li key={p.userId}>
                {p.displayName} ({p.email}), since <time dateTime={p.since}>{formatDate(p.since)}</time>
                {p.requestId ? <> · <Link className="usa-link" to={`/requests/${encodeURIComponent(p.requestId)}`}>the approved request</Link></> : null}
              </li>
            ))}
          </ul>
        )}
        {can('access.request') && account.status !== 'retired' ? (
          <p><Link className="usa-link" to={`/requests/new?type=staffAccess&accountId=${encodeURIComponent(account.id)}`}>Request staff access</Link></p>
        ) : null}
      </section>

      <section aria-labelledby="compliance-heading">
        <h2 id="compliance-heading">Compliance with the city's policy</h2>
        <p data-testid="compliance-count">
          {account.status === 'active' || account.status === 'suspended'
            ? failing ? `${failing} of ${compliance.length} checks fail.` : 'No check fails.'
            : `Checks apply once the account is live; it is ${account.status}.`}
        </p>
        <ComplianceTable checks={compliance} />
      </section>

      {can('credentials.view') ? (
        <Credentials accountId={account.id} accountName={accountLabel(account)} canManage={can('credentials.manage')} />
      ) : null}

      {can('account.request') && account.status !== 'retired' ? (
        <section aria-labelledby="retire-heading">
          <h2 id="retire-heading">Retiring the account</h2>
          <p>
            An account is never deleted: a retired account stays in the registry and the archive as a public record.{' '}
            <Link className="usa-link" to={`/requests/new?type=accountDeletion&accountId=${encodeURIComponent(account.id)}`}>Request retirement</Link>
          </p>
        </section>
      ) : null}
    </>
  );
}

function yesNo(v: boolean): string {
  return v ? 'Yes' : 'No';
}

function Facts({ account }: { account: Account }) {
  const rows: Array<[string, ReactNode]> = [
    ['Platform', platformWords(account.platform)],
    ['Handle', account.handle],
    ['Profile', account.profileUrl ? <a className="usa-link civic-break-any" href={account.profileUrl} rel="noreferrer noopener" target="_blank">{account.profileUrl} (opens in a new tab)</a> : 'Not recorded'],
    ['Department', account.department ?? 'None'],
    ['Board or committee', account.boardName ?? 'None'],
    ['Minutes reference', account.minutesReference ?? 'None'],
    ['Purpose', account.purpose],
    ['Sign-up e-mail', account.signupEmail ?? 'Not recorded'],
    ['Two-factor authentication', `${yesNo(account.twofaEnabled)}${account.twofaAttestedAt ? `, last attested ${formatDateTime(account.twofaAttestedAt)}` : ', never attested'}`],
    ['Links the official website', yesNo(account.websiteLinkPresent)],
    ['Links the Acceptable Use statement', yesNo(account.aupLinkPresent)],
    ['Opened by request', account.requestId ? <Link className="usa-link" to={`/requests/${encodeURIComponent(account.requestId)}`}>See the approval</Link> : 'No (recorded directly)'],
  ];
  return (
    <table className="usa-table usa-table--borderless civic-fields" data-testid="account-facts">
      <caption className="usa-sr-only">Facts about {accountLabel(account)}</caption>
      <tbody>
        {rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}
      </tbody>
    </table>
  );
}

const FACT_IDS = {
  handle: 'fact-handle',
  profileUrl: 'fact-profile',
  purpose: 'fact-purpose',
  signupEmail: 'fact-signup',
  boardName: 'fact-board',
  minutesReference: 'fact-minutes',
  twofaEnabled: 'fact-2fa',
  twofaAttested: 'fact-2fa-attest',
  websiteLinkPresent: 'fact-website',
  aupLinkPresent: 'fact-aup',
};
const FACT_LABELS = {
  handle: 'Handle',
  profileUrl: 'Profile address',
  purpose: 'Purpose',
  signupEmail: 'Sign-up e-mail',
  boardName: 'Board or committee',
  minutesReference: 'Minutes reference',
  twofaEnabled: 'Two-factor authentication',
  twofaAttested: 'Attest two-factor authentication',
  websiteLinkPresent: 'Official website link',
  aupLinkPresent: 'Acceptable Use link',
};

const orNull = (v: string) => (v.trim() ? v.trim() : null);

function FactsForm({ account, onSaved }: { account: Account; onSaved: (message: string) => Promise<void> }) {
  const [handle, setHandle] = useState(account.handle);
  const [profileUrl, setProfileUrl] = useState(account.profileUrl ?? '');
  const [purpose, setPurpose] = useState(account.purpose);
  const [signupEmail, setSignupEmail] = useState(account.signupEmail ?? '');
  const [boardName, setBoardName] = useState(account.boardName ?? '');
  const [minutesReference, setMinutesReference] = useState(account.minutesReference ?? '');
  const [twofaEnabled, setTwofaEnabled] = useState(account.twofaEnabled);
  const [attest, setAttest] = useState(false);
  const [websiteLinkPresent, setWebsite] = useState(account.websiteLinkPresent);
  const [aupLinkPresent, setAup] = useState(account.aupLinkPresent);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (attest && !twofaEnabled) {
      setError(new ApiError(400, { error: 'invalid', message: 'The record was not updated.', fields: [{ path: 'body.twofaAttested', message: 'turn two-factor authentication on before attesting it' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.patch<Account>(`/api/accounts/${encodeURIComponent(account.id)}`, {
        handle: handle.trim(),
        profileUrl: orNull(profileUrl),
        purpose: purpose.trim(),
        signupEmail: orNull(signupEmail),
        boardName: orNull(boardName),
        minutesReference: orNull(minutesReference),
        twofaEnabled,
        websiteLinkPresent,
        aupLinkPresent,
        ...(attest ? { twofaAttested: true } : {}),
      });
      setAttest(false);
      await onSaved(attest ? 'The record was updated, and your attestation that two-factor authentication is on was recorded.' : 'The record was updated.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = fieldErrorsOf(error);
  return (
    <details className="civic-details civic-edit margin-top-2">
      <summary>Update the record</summary>
      <ErrorSummary error={error} fieldIds={FACT_IDS} labels={FACT_LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label={`Update the record of ${accountLabel(account)}`}>
        <TextField id={FACT_IDS.handle} name="handle" label={FACT_LABELS.handle} autoComplete="off" spellCheck={false} value={handle} onChange={setHandle} error={fe.handle} maxLength={200} />
        <TextField id={FACT_IDS.profileUrl} name="profileUrl" label={FACT_LABELS.profileUrl} hint="For example https://www.facebook.com/KalispellParks" optional autoComplete="off" spellCheck={false} value={profileUrl} onChange={setProfileUrl} error={fe.profileUrl} maxLength={2000} />
        <TextAreaField id={FACT_IDS.purpose} name="purpose" label={FACT_LABELS.purpose} value={purpose} onChange={setPurpose} error={fe.purpose} maxLength={2000} />
        <TextField id={FACT_IDS.signupEmail} name="signupEmail" type="email" label={FACT_LABELS.signupEmail} hint="The address the account was opened with: a city address survives staff changes." optional autoComplete="off" spellCheck={false} value={signupEmail} onChange={setSignupEmail} error={fe.signupEmail} maxLength={320} />
        <TextField id={FACT_IDS.boardName} name="boardName" label={FACT_LABELS.boardName} hint="Only for a board's or committee's own account." optional autoComplete="off" value={boardName} onChange={setBoardName} error={fe.boardName} maxLength={200} />
        <TextField id={FACT_IDS.minutesReference} name="minutesReference" label={FACT_LABELS.minutesReference} hint="Where the board's decision to open the account is minuted." optional autoComplete="off" value={minutesReference} onChange={setMinutesReference} error={fe.minutesReference} maxLength={500} />
        <fieldset className="usa-fieldset margin-top-3">
          <legend className="usa-legend">Security and links</legend>
          <CheckboxField id={FACT_IDS.twofaEnabled} name="twofaEnabled" label="Two-factor authentication is on" checked={twofaEnabled} onChange={(v) => { setTwofaEnabled(v); if (!v) setAttest(false); }} />
          <div className={fe.twofaAttested ? 'usa-form-group usa-form-group--error margin-top-0' : undefined}>
            {fe.twofaAttested ? <span className="usa-error-message" id={`${FACT_IDS.twofaAttested}-error`}>{fe.twofaAttested}</span> : null}
            <CheckboxField
              id={FACT_IDS.twofaAttested}
              name="twofaAttested"
              label="Attest now that two-factor authentication is on"
              description="Recorded with today's date and your name. The city re-attests it regularly."
              checked={attest}
              onChange={setAttest}
            />
          </div>
          <CheckboxField id={FACT_IDS.websiteLinkPresent} name="websiteLinkPresent" label="The profile links the city's official website" checked={websiteLinkPresent} onChange={setWebsite} />
          <CheckboxField id={FACT_IDS.aupLinkPresent} name="aupLinkPresent" label="The profile links the Acceptable Use statement" checked={aupLinkPresent} onChange={setAup} />
        </fieldset>
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Saving…' : 'Save the record'}</button>
      </form>
    </details>
  );
}

export function ComplianceTable({ checks }: { checks: ComplianceCheck[] }) {
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="checks-caption">
      <table className="usa-table usa-table--striped width-full civic-results" data-testid="compliance-table">
        <caption id="checks-caption">Checks against the city's policy</caption>
        <thead>
          <tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Detail</th><th scope="col">Policy</th></tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.id} data-check={c.id} data-status={c.status}>
              <th scope="row">{c.label}</th>
              <td><CheckStatusTag status={c.status} /></td>
              <td>{c.detail}</td>
              <td>{c.sources.length ? <Sources ids={c.sources} /> : <span className="text-base-dark">None</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type LifecycleAction = 'activate' | 'suspend' | 'reactivate';

function Lifecycle({ account, onDone }: { account: Account; onDone: (message: string) => Promise<void> }) {
  const session = useSignedIn();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<LifecycleAction | null>(null);
  const [suspending, setSuspending] = useState(false);
  const closeSuspend = useCallback(() => setSuspending(false), []);
  const canActivate = account.status === 'approved' && hasPermission(session, 'account.manage');
  const canSuspend = account.status === 'active' && hasPermission(session, 'account.suspend');
  const canReactivate = account.status === 'suspended' && hasPermission(session, 'account.manage');
  if (!canActivate && !canSuspend && !canReactivate) return null;

  const run = async (action: 'activate' | 'reactivate', message: string) => {
    setBusy(action);
    setError(null);
    try {
      await api.post<Account>(`/api/accounts/${encodeURIComponent(account.id)}/${action}`, {});
      await onDone(message);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading" className="usa-sr-only">Status of the account</h2>
      <ApiErrorAlert error={error} focus />
      <ul className="usa-button-group margin-y-2">
        {canActivate ? (
          <li className="usa-button-group__item">
            <button type="button" className="usa-button" disabled={busy !== null} onClick={() => void run('activate', `${accountLabel(account)} is now active.`)}>
              {busy === 'activate' ? 'Activating…' : 'Mark as live (activate)'}
            </button>
          </li>
        ) : null}
        {canReactivate ? (
          <li className="usa-button-group__item">
            <button type="button" className="usa-button" disabled={busy !== null} onClick={() => void run('reactivate', `${accountLabel(account)} is active again.`)}>
              {busy === 'reactivate' ? 'Reactivating…' : 'Reactivate'}
            </button>
          </li>
        ) : null}
        {canSuspend ? (
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--secondary" onClick={() => setSuspending(true)}>Suspend…</button>
          </li>
        ) : null}
      </ul>
      <Dialog open={suspending} title={`Suspend ${accountLabel(account)}?`} onClose={closeSuspend}>
        {suspending ? (
          <SuspendForm
            account={account}
            onCancel={closeSuspend}
            onDone={async () => {
              setSuspending(false);
              await onDone(`${accountLabel(account)} is suspended: nothing is published to it until it is reactivated.`);
            }}
          />
        ) : null}
      </Dialog>
    </section>
  );
}

function SuspendForm({ account, onCancel, onDone }: { account: Account; onCancel: () => void; onDone: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(new ApiError(400, { error: 'invalid', message: 'The account was not suspended.', fields: [{ path: 'body.reason', message: 'Say why the account is suspended.' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/accounts/${encodeURIComponent(account.id)}/suspend`, { reason: reason.trim() });
      await onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`Suspend ${accountLabel(account)}`}>
      <p>Nothing will be published to the account from the moment it is suspended, until someone reactivates it. The reason is kept in the event log.</p>
      <ErrorSummary error={error} fieldIds={{ reason: 'suspend-reason' }} labels={{ reason: 'Reason' }} />
      <TextAreaField id="suspend-reason" name="reason" label="Why is it suspended?" hint="For example: the password may have been shared; the account may be compromised." value={reason} onChange={setReason} error={fieldErrorsOf(error).reason} maxLength={2000} />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button usa-button--secondary" disabled={busy}>{busy ? 'Suspending…' : 'Suspend the account'}</button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={onCancel}>Cancel</button>
        </li>
      </ul>
    </form>
  );
}
