// Taking a public records request in (the custodian) or forwarding one to the custodian (any staff
// member, KA-14). Same fields either way: who asked, how to answer them, what they asked for, and
// when the city got it, because the statutory clock starts the day anyone on staff received it.
import { useState, type FormEvent } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { formatDate } from '../policyText.js';
import type { RecordsRequestSummary, RecordsRules } from '../recordsTypes.js';
import { ErrorSummary } from './Alerts.js';
import { TextAreaField, TextField } from './Fields.js';
import { Sources } from './Sources.js';

export type IntakeMode = 'intake' | 'forward';

interface Created {
  id: string;
  number: string;
  dueOn: string;
}

const LABELS = {
  requesterName: 'Requester’s name',
  requesterContact: 'How to answer them',
  scope: 'What they asked for',
  receivedAt: 'Date the city received it',
  notes: 'Notes for the custodian',
};

function todayLocal(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Today is "now"; an earlier day is taken at noon, so the city's calendar gives that same day. */
function receivedAtOf(date: string): string | undefined {
  if (!date || date >= todayLocal()) return undefined;
  return new Date(`${date}T12:00:00`).toISOString();
}

export function RecordsIntakeForm({ mode, rules, custodianTitle, onDone }: {
  mode: IntakeMode;
  rules: RecordsRules | null;
  custodianTitle: string;
  onDone: (created: Created) => Promise<void> | void;
}) {
  const prefix = `records-${mode}`;
  const ids = {
    requesterName: `${prefix}-name`, requesterContact: `${prefix}-contact`, scope: `${prefix}-scope`,
    receivedAt: `${prefix}-received`, notes: `${prefix}-notes`,
  };
  const empty = { requesterName: '', requesterContact: '', scope: '', receivedAt: '', notes: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof empty) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const headingId = `${prefix}-heading`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The checks the server makes, so every missing field is named at once.
    const missing = [];
    if (!form.requesterName.trim()) missing.push({ path: 'body.requesterName', message: 'Give the name the requester gave (or “anonymous”).' });
    if (!form.requesterContact.trim()) missing.push({ path: 'body.requesterContact', message: 'Give an e-mail, telephone or postal address to answer.' });
    if (!form.scope.trim()) missing.push({ path: 'body.scope', message: 'Say what records they asked for, in their words.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not sent. Correct the fields below.', fields: missing }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = {
        requesterName: form.requesterName.trim(), requesterContact: form.requesterContact.trim(), scope: form.scope.trim(),
        receivedAt: receivedAtOf(form.receivedAt), notes: form.notes.trim() || null,
      };
      const created = mode === 'intake'
        ? await api.post<RecordsRequestSummary>('/api/records/requests', body)
        : await api.post<Created>('/api/records/forward', body);
      setForm(empty);
      await onDone({ id: created.id, number: created.number, dueOn: created.dueOn });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  const clock = rules ? `${rules.clock.days} ${rules.clock.business ? 'business days' : 'days'}` : null;
  return (
    <section className="margin-top-6" aria-labelledby={headingId} data-testid={`${prefix}-form`}>
      <h2 id={headingId}>{mode === 'intake' ? 'Take in a new request' : `Forward a request to the ${custodianTitle}`}</h2>
      {mode === 'forward' ? (
        <p>
          If someone asks you for public records, in person, by phone, e-mail or on social media, send it here straight away: the {custodianTitle} answers every request,
          and {clock ? <>the {clock} to answer</> : 'the time to answer'} started the day you received it. {rules ? <Sources ids={rules.sources} /> : null}
        </p>
      ) : (
        <p>A request made to you directly. The due date is set now from the policy’s clock and never moves. {rules ? <Sources ids={rules.sources} /> : null}</p>
      )}
      <ErrorSummary error={error} fieldIds={ids} labels={LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby={headingId}>
        <TextField id={ids.requesterName} name="requesterName" label={LABELS.requesterName} autoComplete="off" maxLength={200} value={form.requesterName} onChange={set('requesterName')} error={fieldErrors.requesterName} />
        <TextField id={ids.requesterContact} name="requesterContact" label={LABELS.requesterContact} hint="E-mail, telephone or postal address: however they asked to be answered." autoComplete="off" maxLength={500} value={form.requesterContact} onChange={set('requesterContact')} error={fieldErrors.requesterContact} />
        <TextAreaField id={ids.scope} name="scope" label={LABELS.scope} hint="In the requester’s own words, as fully as they gave it." rows={4} maxLength={5000} value={form.scope} onChange={set('scope')} error={fieldErrors.scope} />
        <TextField id={ids.receivedAt} name="receivedAt" type="date" label={LABELS.receivedAt} optional hint={`Leave empty if it came in today (${formatDate(todayLocal())}).`} value={form.receivedAt} onChange={set('receivedAt')} error={fieldErrors.receivedAt} />
        <TextAreaField id={ids.notes} name="notes" label={LABELS.notes} optional maxLength={5000} value={form.notes} onChange={set('notes')} error={fieldErrors.notes} />
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>
          {busy ? 'Sending…' : mode === 'intake' ? 'Take in the request' : `Forward to the ${custodianTitle}`}
        </button>
      </form>
    </section>
  );
}
