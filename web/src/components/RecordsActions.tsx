// What the custodian does to the request itself: acknowledge it (with fee and time estimates; the
// letter to send comes back at once), change the estimates or notes, mark it as being searched or
// withdrawn (with a reason), and close it. Each is one API call and one event in the history.
import { useState, type FormEvent } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { hoursWords, moneyWords, parseDollars, parseHours } from '../recordsText.js';
import { OPEN_STATUSES, type RecordsRequestSummary } from '../recordsTypes.js';
import { useSubmit, type OnDone } from '../recordsSubmit.js';
import { ErrorSummary } from './Alerts.js';
import { SelectField, TextAreaField, TextField } from './Fields.js';
import { LetterBlock } from './RecordsAnswer.js';

const invalid = (message: string, path: string, field: string) => new ApiError(400, { error: 'invalid', message, fields: [{ path, message: field }] });

/** With `onLetter`, the form acknowledges the request; without, it changes the estimates and notes. */
function Estimates({ request, onDone, onLetter }: { request: RecordsRequestSummary; onDone: OnDone; onLetter?: (letter: string) => void }) {
  const acknowledge = onLetter !== undefined;
  const prefix = acknowledge ? 'ack' : 'est';
  const [fee, setFee] = useState(request.feeEstimateCents === null ? '' : (request.feeEstimateCents / 100).toFixed(2));
  const [hours, setHours] = useState(request.timeEstimateHours === null ? '' : String(request.timeEstimateHours));
  const [notes, setNotes] = useState(request.notes ?? '');
  const { error, setError, busy, run } = useSubmit();
  const url = `/api/records/requests/${encodeURIComponent(request.id)}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const feeEstimateCents = parseDollars(fee);
    const timeEstimateHours = parseHours(hours);
    if (feeEstimateCents === undefined) {
      setError(invalid('Not saved.', 'body.feeEstimateCents', 'a sum in dollars and cents, such as 12.50'));
      return;
    }
    if (timeEstimateHours === undefined) {
      setError(invalid('Not saved.', 'body.timeEstimateHours', 'a number of hours, such as 2 or 1.5'));
      return;
    }
    await run(async () => {
      if (onLetter) {
        const answer = await api.post<{ letter: string }>(`${url}/acknowledge`, { feeEstimateCents, timeEstimateHours });
        onLetter(answer.letter);
        await onDone('Acknowledged. The acknowledgement letter to send is shown below.');
      } else {
        await api.post(`${url}/estimates`, { feeEstimateCents, timeEstimateHours, notes: notes.trim() || null });
        await onDone(`Saved: fee ${moneyWords(feeEstimateCents)}, time ${hoursWords(timeEstimateHours)}.`);
      }
    });
  };

  const fieldErrors = fieldErrorsOf(error);
  const ids = { feeEstimateCents: `${prefix}-fee`, timeEstimateHours: `${prefix}-hours`, notes: `${prefix}-notes` };
  const labels = { feeEstimateCents: 'Fee estimate (dollars)', timeEstimateHours: 'Time estimate (hours)', notes: 'Notes' };
  return (
    <>
      <ErrorSummary error={error} fieldIds={ids} labels={labels} />
      <form className="usa-form" onSubmit={submit} noValidate aria-label={acknowledge ? 'Acknowledge the request' : 'Estimates and notes'}>
        <TextField id={ids.feeEstimateCents} name="fee" label={labels.feeEstimateCents} optional hint="Empty: no estimate yet (the letter says any fee is told before it is incurred)." inputMode="text" autoComplete="off" value={fee} onChange={setFee} error={fieldErrors.feeEstimateCents} />
        <TextField id={ids.timeEstimateHours} name="hours" label={labels.timeEstimateHours} optional autoComplete="off" value={hours} onChange={setHours} error={fieldErrors.timeEstimateHours} />
        {acknowledge ? null : <TextAreaField id={ids.notes} name="notes" label={labels.notes} optional maxLength={5000} value={notes} onChange={setNotes} error={fieldErrors.notes} />}
        <button type="submit" className="usa-button margin-top-2" disabled={busy}>{acknowledge ? 'Acknowledge and write the letter' : 'Save the estimates and notes'}</button>
      </form>
    </>
  );
}

function StatusChange({ request, onDone }: { request: RecordsRequestSummary; onDone: OnDone }) {
  const choices = [
    ...(['received', 'acknowledged', 'in_review'].includes(request.status) ? [{ value: 'searching', label: 'Searching: paper files or other systems' }] : []),
    { value: 'withdrawn', label: 'Withdrawn by the requester' },
  ];
  const [status, setStatus] = useState('');
  const [reason, setReason] = useState('');
  const { error, setError, busy, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = [];
    if (!status) fields.push({ path: 'body.status', message: 'choose the new status' });
    if (!reason.trim()) fields.push({ path: 'body.reason', message: 'say why' });
    if (fields.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The status was not changed.', fields }));
      return;
    }
    await run(async () => {
      await api.post(`/api/records/requests/${encodeURIComponent(request.id)}/status`, { status, reason: reason.trim() });
      setStatus('');
      setReason('');
      await onDone(status === 'withdrawn' ? 'Marked as withdrawn by the requester.' : 'Marked as being searched.');
    });
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <>
      <ErrorSummary error={error} fieldIds={{ status: 'status-new', reason: 'status-reason' }} labels={{ status: 'New status', reason: 'Why' }} />
      <form className="usa-form" onSubmit={submit} noValidate aria-label="Change the status">
        <SelectField id="status-new" name="status" label="New status" placeholder="Choose" value={status} onChange={setStatus} options={choices} error={fieldErrors.status} />
        <TextAreaField id="status-reason" name="reason" label="Why" maxLength={2000} value={reason} onChange={setReason} error={fieldErrors.reason} />
        <button type="submit" className="usa-button usa-button--outline margin-top-2" disabled={busy}>Change the status</button>
      </form>
    </>
  );
}

function Close({ request, onDone }: { request: RecordsRequestSummary; onDone: OnDone }) {
  const unanswered = OPEN_STATUSES.includes(request.status);
  const [note, setNote] = useState('');
  const { error, setError, busy, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (unanswered && note.trim().length < 10) {
      setError(invalid('The request was not closed.', 'body.note', 'say why it is closed unanswered, in at least 10 characters (for example: no responsive records exist)'));
      return;
    }
    await run(async () => {
      await api.post(`/api/records/requests/${encodeURIComponent(request.id)}/close`, { note: note.trim() || null });
      await onDone(`Closed request ${request.number}.`);
    });
  };
  return (
    <>
      <ErrorSummary error={error} fieldIds={{ note: 'close-note' }} labels={{ note: 'Closing note' }} />
      <form className="usa-form" onSubmit={submit} noValidate aria-label="Close the request">
        <TextAreaField id="close-note" name="note" label="Closing note" optional={!unanswered}
          hint={unanswered ? 'It has not been answered: say why it is closed (for example, no responsive records exist).' : 'For the record: anything the requester said or paid.'}
          maxLength={2000} value={note} onChange={setNote} error={fieldErrorsOf(error).note} />
        <button type="submit" className="usa-button usa-button--secondary margin-top-2" disabled={busy}>Close the request</button>
      </form>
    </>
  );
}

export function RecordsActions({ request, onDone }: { request: RecordsRequestSummary; onDone: OnDone }) {
  // Kept here, not in the form: the form goes once the request is acknowledged, the letter stays.
  const [letter, setLetter] = useState<string | null>(null);
  const open = OPEN_STATUSES.includes(request.status);
  const closed = request.status === 'closed';
  return (
    <section aria-labelledby="actions-heading" className="margin-top-5" data-testid="request-actions">
      <h2 id="actions-heading">Acknowledge, estimate and track</h2>
      {request.status === 'received' ? (
        <>
          <h3>Acknowledge receipt</h3>
          <p>Tells the requester the request arrived, when the answer is due, and any fee and time estimate. The letter is plain text: send it as written.</p>
        </>
      ) : null}
      {request.status === 'received' ? <Estimates request={request} onDone={onDone} onLetter={setLetter} /> : null}
      {letter ? <LetterBlock kind="acknowledgement" number={request.number} text={letter} focus /> : null}
      {!closed && request.status !== 'received' ? (
        <details className="civic-details margin-top-3">
          <summary>Change the estimates or notes</summary>
          <Estimates request={request} onDone={onDone} />
        </details>
      ) : null}
      {open ? (
        <details className="civic-details margin-top-3">
          <summary>Change the status (searching, withdrawn)</summary>
          <StatusChange request={request} onDone={onDone} />
        </details>
      ) : null}
      {!closed ? (
        <details className="civic-details margin-top-3">
          <summary>Close the request</summary>
          <Close request={request} onDone={onDone} />
        </details>
      ) : <p>This request is closed.</p>}
    </section>
  );
}
