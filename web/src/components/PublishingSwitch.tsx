// The city's switch that pauses all publishing (a hacked account, an emergency, a mistake going
// out). Publishers pause it with a reason and resume it; everyone else is told when it is paused.
import { useState, type FormEvent } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import type { PublishingSwitch as Switch } from '../contentTypes.js';
import { useApi } from '../useApi.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from './Alerts.js';
import { TextAreaField } from './Fields.js';

export function PublishingSwitch({ canChange }: { canChange: boolean }) {
  const state = useApi<Switch>('/api/content/publishing');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  if (state.state.status === 'loading') return <Loading what="the publishing switch" />;
  if (state.state.status === 'error') return <ApiErrorAlert error={state.state.error} />;
  const current = state.state.data;

  if (!canChange) {
    return current.paused ? (
      <Alert kind="warning" heading="Publishing is paused for the whole city">
        <p className="margin-0" data-testid="publishing-paused">{current.reason ?? 'No reason was given.'} Approved posts wait until it is resumed.</p>
      </Alert>
    ) : null;
  }

  const change = async (paused: boolean) => {
    if (paused && !reason.trim()) {
      setError(new ApiError(400, { error: 'invalid', message: 'Publishing was not paused.', fields: [{ path: 'body.reason', message: 'Say why publishing is paused: everyone who writes posts sees it.' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.put<Switch>('/api/content/publishing', { paused, reason: paused ? reason.trim() : null });
      setReason('');
      setStatus(paused ? 'Publishing is paused for the whole city.' : 'Publishing is resumed.');
      await state.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void change(!current.paused);
  };

  return (
    <section aria-labelledby="switch-heading" data-testid="publishing-switch" className="margin-top-4">
      <h2 id="switch-heading">Publishing switch</h2>
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      {current.paused ? (
        <p data-testid="publishing-state"><strong>Paused</strong> for the whole city: {current.reason ?? 'no reason given'}. Nothing is published until it is resumed.</p>
      ) : (
        <p data-testid="publishing-state"><strong>On.</strong> Approved posts are published. Pause it to stop every post from going out, for example if an account may have been taken over.</p>
      )}
      <ErrorSummary error={error} fieldIds={{ reason: 'pause-reason' }} labels={{ reason: 'Reason' }} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} noValidate aria-labelledby="switch-heading">
        {current.paused ? null : (
          <TextAreaField id="pause-reason" name="reason" label="Reason for pausing" hint="Required to pause. Everyone who writes posts sees it."
            value={reason} onChange={setReason} error={fieldErrorsOf(error).reason} maxLength={500} rows={2} />
        )}
        <button type="submit" className={`usa-button margin-top-2${current.paused ? '' : ' usa-button--secondary'}`} disabled={busy}>
          {current.paused ? 'Resume publishing' : 'Pause all publishing'}
        </button>
      </form>
    </section>
  );
}
