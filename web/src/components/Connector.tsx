// The account's connector: whether CivicDesk can publish and capture for it, when its credential
// expires, and — for whoever manages credentials — the form to connect it. CivicDesk signs in with
// what is entered before keeping anything; the values go to the vault and are never shown again.
import { useState, type FormEvent } from 'react';
import { api, fieldErrorsOf } from '../api.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from './Alerts.js';
import { TextField } from './Fields.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import { useApi } from '../useApi.js';

interface Connection {
  accountId: string;
  platform: string;
  status: string;
  connectable: boolean;
  expiresAt: string | null;
  checkedAt: string | null;
  message: string | null;
}

const STATUS_WORDS: Record<string, string> = {
  not_connected: 'Not connected',
  connected: 'Connected',
  needs_reauthorization: 'Needs to be reconnected',
  unreachable: 'Platform not reachable',
};

export function ConnectorSection({ accountId }: { accountId: string }) {
  const session = useSignedIn();
  const connection = useApi<Connection>(`/api/accounts/${encodeURIComponent(accountId)}/connector`);
  const [done, setDone] = useState('');
  return (
    <section aria-labelledby="connector-heading">
      <h2 id="connector-heading">Connection to the platform</h2>
      {connection.state.status === 'loading' ? <Loading what="the connection" /> : null}
      {connection.state.status === 'error' ? <ApiErrorAlert error={connection.state.error} /> : null}
      {connection.state.status === 'ready' ? (
        <>
          <p data-testid="connector-status">
            <strong>{STATUS_WORDS[connection.state.data.status] ?? connection.state.data.status}</strong>
            {connection.state.data.expiresAt ? `; the credential expires ${formatDateTime(connection.state.data.expiresAt)}` : ''}
            {connection.state.data.checkedAt ? `; last checked ${formatDateTime(connection.state.data.checkedAt)}` : ''}
            {connection.state.data.message && connection.state.data.status !== 'connected' ? `: ${connection.state.data.message}` : ''}
          </p>
          <div role="status">{done ? <Alert kind="success" slim>{done}</Alert> : null}</div>
          {hasPermission(session, 'credentials.manage') && connection.state.data.connectable ? (
            <ConnectForm platform={connection.state.data.platform} accountId={accountId} onDone={async (m) => { setDone(m); await connection.reload(); }} />
          ) : null}
          {!connection.state.data.connectable ? <p>CivicDesk has no connector for this platform yet: post to it by hand and capture it for the archive.</p> : null}
        </>
      ) : null}
    </section>
  );
}

function ConnectForm({ platform, accountId, onDone }: { platform: string; accountId: string; onDone: (message: string) => Promise<void> }) {
  const bluesky = platform === 'bluesky';
  const [values, setValues] = useState<Record<string, string>>(bluesky ? { service: 'https://bsky.social', identifier: '', appPassword: '' } : { pageId: '', pageToken: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = bluesky
    ? [
      { name: 'service', label: 'Hosting server (PDS) address', hint: 'https://bsky.social for accounts hosted by Bluesky', type: 'text' as const },
      { name: 'identifier', label: 'Handle', hint: 'e.g. cityofkalispell.bsky.social', type: 'text' as const },
      { name: 'appPassword', label: 'App password', hint: 'Create one in Bluesky: Settings, Privacy and security, App passwords. Not the account password.', type: 'password' as const },
    ]
    : [
      { name: 'pageId', label: 'Facebook Page id', hint: 'The number in the Page\'s "About" section', type: 'text' as const },
      { name: 'pageToken', label: 'Long-lived Page access token', hint: 'From the city\'s Meta app', type: 'password' as const },
    ];
  const errors = fieldErrorsOf(error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/accounts/${encodeURIComponent(accountId)}/connector`, { credentials: values });
      setValues(Object.fromEntries(Object.keys(values).map((k) => [k, k === 'service' ? values[k] ?? '' : ''])));
      await onDone('Connected: CivicDesk signed in and keeps the credentials sealed in the vault.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="usa-form usa-form--large" onSubmit={submit} aria-labelledby="connect-heading">
      <h3 id="connect-heading">Connect or reconnect</h3>
      {error ? <ErrorSummary error={error} fieldIds={Object.fromEntries(fields.map((f) => [`credentials.${f.name}`, `connect-${f.name}`]))} labels={Object.fromEntries(fields.map((f) => [`credentials.${f.name}`, f.label]))} /> : null}
      {fields.map((f) => (
        <TextField key={f.name} id={`connect-${f.name}`} name={f.name} label={f.label} hint={f.hint} type={f.type} autoComplete="off"
          value={values[f.name] ?? ''} onChange={(v) => setValues({ ...values, [f.name]: v })} error={errors[`credentials.${f.name}`] ?? errors.credentials} />
      ))}
      <button type="submit" className="usa-button" disabled={busy}>{busy ? 'Signing in…' : 'Connect'}</button>
    </form>
  );
}
