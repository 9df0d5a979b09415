// The credential vault for one account (RL-5): what is on file (kinds, labels, dates; never a
// value), a form to store or replace a secret (the value goes in a password field and is never
// echoed back), and a reveal dialog that asks for a fresh code from the person's own authenticator
// and a written reason, shows the value once, and forgets it on "Hide" or close.
import { useCallback, useState, type FormEvent } from 'react';
import { SECRET_KINDS, secretWords } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { formatDate, formatDateTime } from '../policyText.js';
import type { RevealedSecret, SecretKind, SecretMetadata } from '../types.js';
import { useApi } from '../useApi.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from './Alerts.js';
import { Dialog } from './Dialog.js';
import { SelectField, TextAreaField, TextField } from './Fields.js';

export function Credentials({ accountId, accountName, canManage }: { accountId: string; accountName: string; canManage: boolean }) {
  const secrets = useApi<SecretMetadata[]>(`/api/accounts/${encodeURIComponent(accountId)}/secrets`);
  const [revealing, setRevealing] = useState<SecretMetadata | null>(null);
  const [status, setStatus] = useState('');
  const closeReveal = useCallback(() => setRevealing(null), []);
  const missingVault = secrets.state.status === 'error' && secrets.state.error instanceof ApiError && secrets.state.error.status === 404;

  return (
    <section aria-labelledby="credentials-heading">
      <h2 id="credentials-heading">Login information</h2>
      <p>
        The account's sign-in details are kept encrypted in CivicDesk's vault. Nobody sees a value without a fresh code from their
        authenticator app and a written reason, and every look is recorded.
      </p>
      <div role="status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      {secrets.state.status === 'loading' ? <Loading what="the login information on file" /> : null}
      {missingVault ? (
        <Alert kind="warning" heading="The vault is not set up" headingLevel={3}>
          <p className="margin-0">This CivicDesk server runs without a vault key, so no login information can be kept here. An operator sets one up.</p>
        </Alert>
      ) : secrets.state.status === 'error' ? <ApiErrorAlert error={secrets.state.error} /> : null}
      {secrets.state.status === 'ready' ? (
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="secrets-caption">
          <table className="usa-table usa-table--compact width-full" data-testid="secrets-table">
            <caption id="secrets-caption">On file for {accountName} ({secrets.state.data.length})</caption>
            <thead>
              <tr><th scope="col">What</th><th scope="col">Label</th><th scope="col">Last changed</th><th scope="col">Expires</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {secrets.state.data.length === 0 ? <tr><td colSpan={5}>Nothing on file yet.</td></tr> : secrets.state.data.map((s) => (
                <tr key={s.kind} data-kind={s.kind}>
                  <th scope="row">{secretWords(s.kind)}</th>
                  <td>{s.label ?? <span className="text-base-dark">None</span>}</td>
                  <td><time dateTime={s.updatedAt}>{formatDateTime(s.updatedAt)}</time></td>
                  <td>{s.expiresAt ? <time dateTime={s.expiresAt}>{formatDate(s.expiresAt)}</time> : <span className="text-base-dark">Does not expire</span>}</td>
                  <td>
                    <button type="button" className="usa-button usa-button--unstyled" onClick={() => setRevealing(s)}>
                      Reveal<span className="usa-sr-only"> the {secretWords(s.kind).toLowerCase()}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canManage && !missingVault ? (
        <StoreForm
          accountId={accountId}
          onStored={async (kind, replaced) => {
            setStatus(`${secretWords(kind)} ${replaced ? 'replaced' : 'stored'}.`);
            await secrets.reload();
          }}
        />
      ) : null}
      <Dialog open={revealing !== null} title={revealing ? `Reveal the ${secretWords(revealing.kind).toLowerCase()}` : ''} onClose={closeReveal}>
        {revealing ? <RevealForm accountId={accountId} secret={revealing} onClose={closeReveal} /> : null}
      </Dialog>
    </section>
  );
}

const STORE_IDS = { kind: 'secret-kind', value: 'secret-value', label: 'secret-label', expiresAt: 'secret-expires' };
const STORE_LABELS = { kind: 'What it is', value: 'Value', label: 'Label', expiresAt: 'Expires on' };

function StoreForm({ accountId, onStored }: { accountId: string; onStored: (kind: SecretKind, replaced: boolean) => Promise<void> }) {
  const [kind, setKind] = useState<SecretKind>('password');
  const [value, setValue] = useState('');
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value) {
      setError(new ApiError(400, { error: 'invalid', message: 'Nothing was stored.', fields: [{ path: 'body.value', message: 'Enter the value to keep.' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const stored = await api.put<{ replaced: boolean }>(`/api/accounts/${encodeURIComponent(accountId)}/secrets/${kind}`, {
        value,
        label: label.trim() || null,
        // End of the chosen day in UTC: the secret is good through that date.
        expiresAt: expires ? `${expires}T23:59:59Z` : null,
      });
      setValue('');
      setLabel('');
      setExpires('');
      await onStored(kind, stored.replaced);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fe = fieldErrorsOf(error);
  return (
    <section aria-labelledby="store-secret-heading" className="margin-top-4">
      <h3 id="store-secret-heading">Store or replace login information</h3>
      <p>Storing a kind that is already on file replaces it. The value is never shown here again, only through "Reveal".</p>
      <ErrorSummary error={error} fieldIds={STORE_IDS} labels={STORE_LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby="store-secret-heading">
        <SelectField
          id={STORE_IDS.kind}
          name="kind"
          label={STORE_LABELS.kind}
          value={kind}
          onChange={(v) => setKind(v as SecretKind)}
          options={SECRET_KINDS.map((k) => ({ value: k, label: secretWords(k) }))}
        />
        <TextField
          id={STORE_IDS.value}
          name="value"
          type="password"
          label={STORE_LABELS.value}
          hint="Typed or pasted here, then encrypted. Each account needs its own password."
          autoComplete="new-password"
          spellCheck={false}
          value={value}
          onChange={setValue}
          error={fe.value}
          maxLength={16384}
        />
        <TextField
          id={STORE_IDS.label}
          name="label"
          label={STORE_LABELS.label}
          hint="For example “set up by IT, March”. The label is part of the public record: never put a secret in it."
          optional
          autoComplete="off"
          value={label}
          onChange={setLabel}
          error={fe.label}
          maxLength={200}
        />
        <TextField id={STORE_IDS.expiresAt} name="expiresAt" type="date" label={STORE_LABELS.expiresAt} hint="For tokens that run out." optional value={expires} onChange={setExpires} error={fe.expiresAt} />
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Storing…' : 'Store in the vault'}</button>
      </form>
    </section>
  );
}

function RevealForm({ accountId, secret, onClose }: { accountId: string; secret: SecretMetadata; onClose: () => void }) {
  const [code, setCode] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = [];
    if (!/^\d{6}$/.test(code.trim())) fields.push({ path: 'body.totpCode', message: 'Enter the 6-digit code your authenticator app shows now.' });
    if (reason.trim().length < 10) fields.push({ path: 'body.reason', message: 'Say why you need it, in at least 10 characters.' });
    if (fields.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'Nothing was revealed.', fields }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const shown = await api.post<RevealedSecret>(`/api/accounts/${encodeURIComponent(accountId)}/secrets/${secret.kind}/reveal`, {
        totpCode: code.trim(),
        reason: reason.trim(),
      });
      setCode('');
      setRevealed(shown);
    } catch (err) {
      setCode('');
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (revealed) {
    return (
      <>
        <p>Shown once. Use it now; it is not kept on this page. Your reason is in the event log.</p>
        <p className="civic-secret">
          <span className="text-bold">{secretWords(revealed.kind)}{revealed.label ? ` (${revealed.label})` : ''}:</span>{' '}
          <code data-testid="revealed-value">{revealed.value}</code>
        </p>
        <button
          type="button"
          className="usa-button"
          autoFocus
          onClick={() => {
            setRevealed(null);
            onClose();
          }}
        >
          Hide
        </button>
      </>
    );
  }

  const fe = fieldErrorsOf(error);
  return (
    <form onSubmit={submit} noValidate aria-label={`Reveal the ${secretWords(secret.kind).toLowerCase()}`}>
      <p>Enter a fresh code from your authenticator app and say why you need to see it. Both the look and your reason are recorded.</p>
      <ErrorSummary error={error} fieldIds={{ totpCode: 'reveal-code', reason: 'reveal-reason' }} labels={{ totpCode: 'Code', reason: 'Reason' }} />
      <TextField
        id="reveal-code"
        name="totpCode"
        label="6-digit code from your authenticator app"
        hint="A code works once: if it was just used, wait for the next one."
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={6}
        className="usa-input--small"
        value={code}
        onChange={setCode}
        error={fe.totpCode}
      />
      <TextAreaField
        id="reveal-reason"
        name="reason"
        label="Why do you need to see it?"
        hint="At least 10 characters. It becomes part of the public record."
        value={reason}
        onChange={setReason}
        error={fe.reason}
        maxLength={1000}
      />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button" disabled={busy}>{busy ? 'Checking…' : 'Reveal'}</button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={onClose}>Cancel</button>
        </li>
      </ul>
    </form>
  );
}
