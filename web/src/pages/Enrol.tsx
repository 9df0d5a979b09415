// Setting up two-step verification (KA-15): scan the QR code or type the secret into an
// authenticator app, confirm with a code, then see the one-time recovery codes exactly once.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { api, fieldErrorsOf } from '../api.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { useSession } from '../session.js';
import type { EnrolResponse } from '../types.js';

const LABELS = { code: 'Code from your app' };
const IDS = { code: 'enrol-code' };

export function EnrolPage() {
  const { state } = useSession();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  if (recoveryCodes) return <RecoveryCodes codes={recoveryCodes} />;
  if (state.status === 'loading') return <Loading what="your session" />;
  if (state.status === 'signed_out') return <Navigate to="/signin" replace />;
  const { session } = state;
  if (session.user.totpEnabled) {
    // Already enrolled: finish signing in with a code, or (signed in) nothing to do here.
    if (!session.mfaPassed) return <Navigate to="/signin" replace />;
    return (
      <Page title="Two-step verification">
        <Alert kind="info" slim>Two-step verification is already set up for {session.user.email}.</Alert>
        <p><Link className="usa-link" to="/">Go to the dashboard</Link></p>
      </Page>
    );
  }
  return <EnrolForm email={session.user.email} onConfirmed={setRecoveryCodes} />;
}

function EnrolForm({ email, onConfirmed }: { email: string; onConfirmed: (codes: string[]) => void }) {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [enrolment, setEnrolment] = useState<EnrolResponse | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  const start = async () => {
    setStartError(null);
    try {
      setEnrolment(await api.post<EnrolResponse>('/api/auth/totp/enrol', {}));
    } catch (err) {
      setStartError(err);
    }
  };

  useEffect(() => {
    // Each start makes a new secret, so start once (React may run effects twice in development).
    if (started.current) return;
    started.current = true;
    void start();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ recoveryCodes: string[] }>('/api/auth/totp/confirm', { code: code.replace(/\s+/g, '') });
      onConfirmed(result.recoveryCodes);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  return (
    <Page title="Set up two-step verification" lead={`Your city's policy requires a second step at every sign-in. Set it up now for ${email}.`}>
      <ApiErrorAlert error={startError} />
      {startError ? (
        <button type="button" className="usa-button" onClick={() => void start()}>Try again</button>
      ) : null}
      {!enrolment && !startError ? <Loading what="your setup code" /> : null}
      {enrolment ? (
        <ol className="usa-process-list margin-top-4">
          <li className="usa-process-list__item">
            <h2 className="usa-process-list__heading">Add CivicDesk to your authenticator app</h2>
            <p className="margin-top-1">
              Open an authenticator app on your phone (for example Google Authenticator, Microsoft Authenticator or 1Password) and scan this QR code.
            </p>
            <img
              className="qr-code"
              src={enrolment.qrDataUrl}
              width={220}
              height={220}
              alt={`QR code to add CivicDesk for ${email} to an authenticator app. If you cannot scan it, type the setup key shown below.`}
            />
            <p className="margin-bottom-1">Cannot scan it? Type this setup key into the app instead:</p>
            <p className="totp-secret">
              <span className="usa-sr-only">Setup key: </span>
              <code data-testid="totp-secret">{enrolment.secret}</code>
            </p>
          </li>
          <li className="usa-process-list__item">
            <h2 className="usa-process-list__heading">Enter the code the app shows</h2>
            <ErrorSummary error={error} fieldIds={IDS} labels={LABELS} />
            <form className="usa-form" onSubmit={submit} noValidate aria-label="Confirm two-step verification">
              <TextField
                id={IDS.code}
                name="code"
                label={LABELS.code}
                hint="6 digits. The code changes every 30 seconds."
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={8}
                className="usa-input--medium"
                value={code}
                onChange={setCode}
                error={fieldErrors.code}
              />
              <button type="submit" className="usa-button margin-top-3" disabled={busy}>
                {busy ? 'Checking…' : 'Turn on two-step verification'}
              </button>
            </form>
          </li>
        </ol>
      ) : null}
      <p className="margin-top-4">
        <button
          type="button"
          className="usa-button usa-button--unstyled"
          onClick={async () => {
            await signOut();
            navigate('/signin', { replace: true });
          }}
        >
          Cancel and sign out
        </button>
      </p>
    </Page>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  return (
    <Page title="Save your recovery codes">
      <Alert kind="success" slim role="status">Two-step verification is on.</Alert>
      <Alert kind="warning" heading="You will see these codes only once" headingLevel={2}>
        <p className="margin-0">
          If you lose your phone, each code lets you sign in once instead of a code from the app. Print them or keep them in a safe place; do not keep them on a shared computer.
        </p>
      </Alert>
      <ol className="recovery-codes" data-testid="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}><code>{c}</code></li>
        ))}
      </ol>
      <button
        type="button"
        className="usa-button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await refresh();
          navigate('/', { replace: true });
        }}
      >
        I have saved these codes
      </button>
    </Page>
  );
}
