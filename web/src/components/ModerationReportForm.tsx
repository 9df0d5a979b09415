// The form under one comment on the "Report a comment" page: the reason (required: the people told
// of the report decide from it) and, optionally, the clause of the Acceptable Use Policy the
// reporter thinks it breaks. Sending it reports the comment; nothing is hidden or removed.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, fieldErrorsOf } from '../api.js';
import { excerpt } from '../contentText.js';
import { labelWords } from '../moderationText.js';
import type { ModerationAnswer, ReportableList } from '../moderationTypes.js';
import { ErrorSummary } from './Alerts.js';
import { SelectField, TextAreaField } from './Fields.js';

const FIELD_IDS = { clauseId: 'report-clause', reason: 'report-reason' };
const LABELS = { clauseId: 'Clause', reason: 'Why you are reporting it' };

export function ReportForm({ itemId, clauses, decidedBy, onDone, onCancel }: {
  itemId: string;
  clauses: ReportableList['clauses'];
  /** Who is told, in words ("the Communications Manager, … or the City Attorney"). */
  decidedBy: string;
  onDone: (message: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [clauseId, setClauseId] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // Opened from the comment's button: keyboard and screen-reader users land on the form.
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<ModerationAnswer>(`/api/moderation/items/${encodeURIComponent(itemId)}/report`, { reason: reason.trim() || null, clauseId: clauseId || null });
      await onDone(`You reported the comment. ${capitalise(decidedBy)} ${decidedBy.includes(' or ') ? 'have' : 'has'} been told and will decide what happens to it.`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const fe = fieldErrorsOf(error);
  return (
    <form className="usa-form usa-form--large civic-report-form" aria-labelledby="report-form-heading" noValidate onSubmit={(e) => void submit(e)} data-testid="report-form">
      <h3 id="report-form-heading" ref={heading} tabIndex={-1} className="margin-top-0">Report this comment</h3>
      <ErrorSummary error={error} fieldIds={FIELD_IDS} labels={LABELS} />
      <TextAreaField id={FIELD_IDS.reason} name="reason" label={LABELS.reason} value={reason} onChange={setReason} error={fe.reason} maxLength={2000}
        hint={`At least 10 characters. ${capitalise(decidedBy)} will read it.`} />
      <SelectField id={FIELD_IDS.clauseId} name="clauseId" label="Clause of the Acceptable Use Policy it may break" optional error={fe.clauseId}
        hint="Leave it if you are not sure: the people who review comments decide which clause, if any, applies."
        placeholder="Not sure" value={clauseId} onChange={setClauseId}
        options={clauses.map((c) => ({ value: c.id, label: `${labelWords(c.category)}: ${excerpt(c.text, 90)}` }))} />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button" disabled={busy}>{busy ? 'Sending…' : 'Send the report'}</button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105" onClick={onCancel}>Cancel</button>
        </li>
      </ul>
    </form>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
