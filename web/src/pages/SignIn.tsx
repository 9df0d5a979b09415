// Sign-in, in two steps: e-mail and password (and the city, when this server hosts several), then a
// code from the authenticator app or a one-time recovery code. People who have not set up two-step
// verification yet go on to /enrol-2fa.
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { api, fieldErrorsOf, setCsrfToken } from '../api.js';
import { Alert, ErrorSummary, Loading } from '../components/Alerts.js';
import { SelectField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { useSession } from '../session.js';
import type { City, LoginResponse } from '../types.js';
import { useApi } from '../useApi.js';

interface FromState {
  from?: string;
}

/** Where to go after signing in: the page that sent the person here, or the dashboard. */
function useFrom(): string {
  const location = useLocation();
  const state = (location.state ?? {}) as FromState;
  return state.from && state.from.startsWith('/') && !state.from.startsWith('//') && !state.from.startsWith('/signin') ? state.from : '/';
}

export function SignInPage() {
  const { state } = useSession();
  const from = useFrom();
  if (state.status === 'loading') return <Loading what="your session" />;
  if (state.status === 'signed_in') {
    const { session } = state;
    if (session.mfaPassed) return <Navigate to={from} replace />;
    if (!session.user.totpEnabled) return <Navigate to="/enrol-2fa" replace />;
    return <TotpStep email={session.user.email} />;
  }
  return <PasswordStep signedOut={Boolean(state.justSignedOut)} loadError={state.error} />;
}

const PASSWORD_LABELS = { city: 'City', email: 'E-mail address', password: 'Password' };
const PASSWORD_IDS = { city: 'signin-city', email: 'signin-email', password: 'signin-password' };

function PasswordStep({ signedOut, loadError }: { signedOut: boolean; loadError?: string }) {
  const { refresh } = useSession();
  const cities = useApi<City[]>('/api/cities');
  const [city, setCity] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const cityList = cities.state.status === 'ready' ? cities.state.data : [];
  const chooseCity = cityList.length > 1;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: { email: string; password: string; city?: string } = { email: email.trim(), password };
      if (chooseCity && city) body.city = city;
      const result = await api.post<LoginResponse>('/api/auth/login', body, { quiet401: true });
      setCsrfToken(result.csrfToken);
      setPassword('');
      // The session now exists without a second factor: the page re-renders as the code step,
      // or goes on to enrolment.
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <Page title="Sign in" lead="Staff sign-in for the city's official social media accounts." />
        {signedOut ? <Alert kind="success" slim role="status">You have signed out.</Alert> : null}
        {loadError ? <Alert kind="error" slim role="alert">{loadError}</Alert> : null}
        <ErrorSummary error={error} fieldIds={PASSWORD_IDS} labels={PASSWORD_LABELS} />
        <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label="Sign in">
          {chooseCity ? (
            <SelectField
              id={PASSWORD_IDS.city}
              name="city"
              label="City"
              value={city}
              onChange={setCity}
              placeholder="- Select your city -"
              options={cityList.map((c) => ({ value: c.slug, label: c.name }))}
              error={fieldErrors.city}
            />
          ) : null}
          <TextField
            id={PASSWORD_IDS.email}
            name="email"
            type="email"
            label={PASSWORD_LABELS.email}
            autoComplete="username"
            spellCheck={false}
            value={email}
            onChange={setEmail}
            error={fieldErrors.email}
          />
          <TextField
            id={PASSWORD_IDS.password}
            name="password"
            type="password"
            label={PASSWORD_LABELS.password}
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={fieldErrors.password}
          />
          <button type="submit" className="usa-button margin-top-3" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="margin-top-4 text-base-dark">
          Every sign-in needs a second step: a code from an authenticator app on your phone.
        </p>
      </div>
    </div>
  );
}

const TOTP_LABELS = { code: 'Verification code', recoveryCode: 'Recovery code' };
const TOTP_IDS = { code: 'totp-code', recoveryCode: 'totp-recovery-code' };

function TotpStep({ email }: { email: string }) {
  const { refresh, signOut } = useSession();
  const navigate = useNavigate();
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setError(null);
    setCode('');
  }, [useRecovery]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const value = code.replace(/\s+/g, '');
      await api.post('/api/auth/totp', useRecovery ? { recoveryCode: value } : { code: value }, { quiet401: true });
      // Signed in: the page re-renders and goes on to where the person was heading.
      await refresh();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  const fieldName = useRecovery ? 'recoveryCode' : 'code';
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-8 desktop:grid-col-6">
        <Page
          title={useRecovery ? 'Enter a recovery code' : 'Enter your verification code'}
          lead={`Signing in as ${email}.`}
        />
        <ErrorSummary error={error} fieldIds={TOTP_IDS} labels={TOTP_LABELS} />
        <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label="Two-step verification">
          {useRecovery ? (
            <TextField
              key="recovery"
              id={TOTP_IDS.recoveryCode}
              name="recoveryCode"
              label={TOTP_LABELS.recoveryCode}
              hint="One of the codes you saved when you set up two-step verification, like 1a2b3-c4d5e. Each code works once."
              autoComplete="off"
              spellCheck={false}
              value={code}
              onChange={setCode}
              error={fieldErrors[fieldName]}
            />
          ) : (
            <TextField
              key="totp"
              id={TOTP_IDS.code}
              name="code"
              label={TOTP_LABELS.code}
              hint="The 6-digit code your authenticator app shows for CivicDesk."
              autoComplete="one-time-code"
              inputMode="numeric"
              maxLength={8}
              className="usa-input--medium"
              value={code}
              onChange={setCode}
              error={fieldErrors[fieldName]}
            />
          )}
          <button type="submit" className="usa-button margin-top-3" disabled={busy}>
            {busy ? 'Checking…' : 'Continue'}
          </button>
        </form>
        <ul className="usa-list usa-list--unstyled margin-top-4">
          <li className="margin-bottom-2">
            <button type="button" className="usa-button usa-button--unstyled" onClick={() => setUseRecovery(!useRecovery)}>
              {useRecovery ? 'Use a code from your authenticator app instead' : 'Use a recovery code instead'}
            </button>
          </li>
          <li>
            <button
              type="button"
              className="usa-button usa-button--unstyled"
              onClick={async () => {
                await signOut();
                navigate('/signin', { replace: true });
              }}
            >
              Cancel and sign in as someone else
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
