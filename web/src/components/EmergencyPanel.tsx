// One open emergency (LX-5, BZ-6, BZ-8): who leads it, its updates so far (one thread per account),
// the form to post an update from an approved template, and, for those who lead emergencies, the
// form that opens one and the one that closes it with the after-incident review.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { draftStatusWords } from '../contentText.js';
import type { Account } from '../types.js';
import { formatDateTime } from '../policyText.js';
import type { IncidentWithUpdates, TemplateView } from '../templateTypes.js';
import { Alert, ErrorSummary } from './Alerts.js';
import { CheckboxField, TextAreaField } from './Fields.js';
import { TemplateUpdate } from './TemplateUpdate.js';

export function OpenEmergency({ onOpened }: { onOpened: () => Promise<void> }) {
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (summary.trim().length < 5) {
      setError(new ApiError(400, { error: 'invalid', message: 'The emergency was not opened.', fields: [{ path: 'body.summary', message: 'describe the emergency (at least 5 characters)' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/incidents', { summary: summary.trim() });
      setSummary('');
      setStatus('The emergency is open and you lead it. Its updates are pre-approved by you; writers and publishers have been told.');
      await onOpened();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="open-emergency-heading" data-testid="open-emergency">
      <h2 id="open-emergency-heading">Open an emergency</h2>
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      <ErrorSummary error={error} fieldIds={{ summary: 'emergency-summary' }} labels={{ summary: 'What is happening' }} />
      <form className="usa-form usa-form--large" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="open-emergency-heading">
        <TextAreaField id="emergency-summary" name="summary" label="What is happening" rows={2} maxLength={2000} value={summary} onChange={setSummary} error={fieldErrorsOf(error).summary}
          hint="You lead the emergency: its updates go straight to the publisher, and updates from approved templates are published at once." />
        <button type="submit" className="usa-button margin-top-2" disabled={busy}>{busy ? 'Opening…' : 'Open the emergency'}</button>
      </form>
    </section>
  );
}

function CloseEmergency({ incident, onClosed }: { incident: IncidentWithUpdates; onClosed: () => Promise<void> }) {
  const [review, setReview] = useState('');
  const [websiteUpdated, setWebsiteUpdated] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const prefix = `close-${incident.id}`;
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/incidents/${encodeURIComponent(incident.id)}/close`, { review: review.trim(), websiteUpdated });
      await onClosed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = fieldErrorsOf(error);
  return (
    <details className="margin-top-2">
      <summary className="text-bold">Close the emergency</summary>
      <ErrorSummary error={error} fieldIds={{ review: `${prefix}-review`, websiteUpdated: `${prefix}-website` }} labels={{ review: 'After-incident review', websiteUpdated: 'City website' }} />
      <form className="usa-form usa-form--large" onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Close the emergency">
        <TextAreaField id={`${prefix}-review`} name="review" label="After-incident review" rows={3} maxLength={8000} value={review} onChange={setReview} error={fe.review}
          hint="What was released, what worked, what to change (at least 20 characters)." />
        <CheckboxField id={`${prefix}-website`} name="websiteUpdated" label="The updates are on the city website" checked={websiteUpdated} onChange={setWebsiteUpdated} />
        <button type="submit" className="usa-button usa-button--secondary margin-top-2" disabled={busy}>{busy ? 'Closing…' : 'Close the emergency'}</button>
      </form>
    </details>
  );
}

export function EmergencyPanel({ incident, templates, accounts, canPost, canLead, onChanged }: {
  incident: IncidentWithUpdates;
  templates: TemplateView[];
  accounts: Account[];
  canPost: boolean;
  canLead: boolean;
  onChanged: () => Promise<void>;
}) {
  const headingId = `emergency-${incident.id}-heading`;
  return (
    <section aria-labelledby={headingId} className="margin-top-4 padding-2 border-1px border-secondary-light radius-md" data-testid="emergency" data-incident={incident.id}>
      <h2 id={headingId} className="margin-top-0">Emergency: {incident.summary}</h2>
      <p>
        Opened <time dateTime={incident.openedAt}>{formatDateTime(incident.openedAt)}</time>
        {incident.leadName ? <>, led by <strong>{incident.leadName}</strong></> : null}. Its updates form one thread on each account.
      </p>
      <h3>Updates</h3>
      {incident.updates.length === 0 ? <p>No updates yet.</p> : (
        <ol className="usa-list" data-testid="emergency-updates">
          {incident.updates.map((u) => (
            <li key={u.id} data-status={u.status}>
              <Link className="usa-link civic-break-any" to={`/content/${encodeURIComponent(u.id)}`}>{u.text.length > 120 ? `${u.text.slice(0, 117)}…` : u.text}</Link>{' '}
              ({draftStatusWords(u.status)})
            </li>
          ))}
        </ol>
      )}
      {canPost ? <TemplateUpdate incidentId={incident.id} templates={templates.filter((t) => t.approval.approved)} accounts={accounts} onPosted={onChanged} /> : null}
      {canLead ? <CloseEmergency incident={incident} onClosed={onChanged} /> : null}
    </section>
  );
}
