// Reviewing the candidate set: every record the request's searches found, each included or
// excluded with a written reason (and, when the law withholds it, the exemption), and passages of
// included records redacted. The latest decision on a record is the one in force; all are kept.
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { kindWords, recordPath } from '../archiveText.js';
import { exemptionOf } from '../recordsText.js';
import type { Candidate, RecordsExemption, RecordsRequestDetail } from '../recordsTypes.js';
import { useSubmit, type OnDone } from '../recordsSubmit.js';
import { hasPermission, useSignedIn } from '../session.js';
import { StatusTag } from './AccountBits.js';
import { ErrorSummary } from './Alerts.js';
import { Actor, When } from './Archive.js';
import { SelectField, TextAreaField } from './Fields.js';
import { RedactForm, RedactableText, RedactionList } from './RecordsRedact.js';

function DecisionTag({ candidate, exemptions }: { candidate: Candidate; exemptions: RecordsExemption[] }) {
  const d = candidate.decision;
  if (!d) return <StatusTag tone="warn" testId="decision">Not decided yet</StatusTag>;
  if (d.decision === 'include') return <StatusTag tone="good" testId="decision">Included</StatusTag>;
  const x = d.exemption ? exemptionOf(exemptions, d.exemption) : undefined;
  return <StatusTag tone="muted" testId="decision">{d.exemption ? `Withheld under ${x?.code ?? d.exemption}` : 'Excluded: not responsive'}</StatusTag>;
}

function DecisionForm({ requestId, candidate, exemptions, onDone, n }: {
  requestId: string;
  candidate: Candidate;
  exemptions: RecordsExemption[];
  onDone: OnDone;
  n: number;
}) {
  const [decision, setDecision] = useState<'' | 'include' | 'exclude'>('');
  const [reason, setReason] = useState('');
  const [exemption, setExemption] = useState('');
  const { error, setError, busy, run } = useSubmit();
  const ids = { decision: `cand-${n}-decision`, reason: `cand-${n}-reason`, exemption: `cand-${n}-exemption` };
  const label = `record ${candidate.leafIndex ?? n + 1}`;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = [];
    if (!decision) fields.push({ path: 'body.decision', message: 'choose include or exclude' });
    if (reason.trim().length < 3) fields.push({ path: 'body.reason', message: 'say why, in a few words' });
    if (fields.length || !decision) {
      setError(new ApiError(400, { error: 'invalid', message: 'The decision was not recorded.', fields }));
      return;
    }
    await run(async () => {
      await api.post(`/api/records/requests/${encodeURIComponent(requestId)}/review`, {
        recordId: candidate.recordId, decision, reason: reason.trim(), exemption: decision === 'exclude' && exemption ? exemption : null,
      });
      setReason('');
      await onDone(`${decision === 'include' ? 'Included' : 'Excluded'} ${label}.`);
    });
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <>
      <ErrorSummary error={error} fieldIds={ids} labels={{ decision: 'Decision', reason: 'Reason', exemption: 'Withheld under' }} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label={`Decision on ${label}`}>
        <div className={`usa-form-group${fieldErrors.decision ? ' usa-form-group--error' : ''}`}>
          <fieldset className="usa-fieldset" id={ids.decision} tabIndex={-1} aria-describedby={fieldErrors.decision ? `${ids.decision}-error` : undefined}>
            <legend className="usa-legend">Decision<span className="usa-sr-only"> on {label}</span></legend>
            {fieldErrors.decision ? <span className="usa-error-message" id={`${ids.decision}-error`}>{fieldErrors.decision}</span> : null}
            {(['include', 'exclude'] as const).map((v) => (
              <div className="usa-radio" key={v}>
                <input className="usa-radio__input" type="radio" id={`${ids.decision}-${v}`} name={ids.decision} value={v} checked={decision === v} onChange={() => setDecision(v)} />
                <label className="usa-radio__label" htmlFor={`${ids.decision}-${v}`}>{v === 'include' ? 'Include: produce it' : 'Exclude: not responsive, or withheld by law'}</label>
              </div>
            ))}
          </fieldset>
        </div>
        {decision === 'exclude' ? (
          <SelectField id={ids.exemption} name="exemption" label="Withheld under" optional placeholder="None: the record is not responsive" value={exemption} onChange={setExemption}
            hint={exemption ? exemptionOf(exemptions, exemption)?.citation : 'Choose an exemption only when the law withholds a responsive record; the denial letter cites it.'}
            options={exemptions.map((x) => ({ value: x.code, label: `${x.label} [${x.code}]` }))} error={fieldErrors.exemption} />
        ) : null}
        <TextAreaField id={ids.reason} name="reason" label="Reason" hint="Required. Kept with the decision in the request’s history." rows={2} maxLength={2000} value={reason} onChange={setReason} error={fieldErrors.reason} />
        <button type="submit" className="usa-button margin-top-2" disabled={busy}>Record the decision<span className="usa-sr-only"> on {label}</span></button>
      </form>
    </>
  );
}

function CandidateItem({ detail, candidate, exemptions, onDone, n }: {
  detail: RecordsRequestDetail;
  candidate: Candidate;
  exemptions: RecordsExemption[];
  onDone: OnDone;
  n: number;
}) {
  const session = useSignedIn();
  const textRef = useRef<HTMLDivElement>(null);
  const reviewing = detail.request.status === 'in_review';
  const c = candidate;
  const d = c.decision;
  return (
    <li className="usa-card civic-item civic-candidate" data-testid="candidate" data-record={c.recordId}>
      <div className="usa-card__container">
        <div className="usa-card__header">
          <h3 className="usa-card__heading">{kindWords(c.kind ?? 'record')}{c.author ? ` by ${c.author}` : ''}, record {c.leafIndex ?? '?'}</h3>
        </div>
        <div className="usa-card__body">
          <p className="margin-top-0">
            <DecisionTag candidate={c} exemptions={exemptions} />{' '}
            {c.capturedAt ? <>Captured <When iso={c.capturedAt} />.</> : null}{' '}
            {hasPermission(session, 'archive.search') ? <Link className="usa-link" to={recordPath(c.recordId)}>Open in the archive<span className="usa-sr-only"> (record {c.leafIndex})</span></Link> : null}
          </p>
          {d ? (
            <div className="margin-bottom-2">
              <p className="margin-y-0" data-testid="decision-reason">
                Reason: {d.reason}
                {d.exemption ? <> (<code>[{d.exemption}]</code> {exemptionOf(exemptions, d.exemption)?.citation})</> : null}
              </p>
              <div className="font-sans-3xs text-base-dark">Decided by <Actor label={d.by} /></div>
            </div>
          ) : null}
          {c.text === null ? <p className="text-base-dark">Its content was destroyed under an approved disposition: it cannot be produced.</p> : (
            <>
              <RedactableText id={`cand-${n}-text`} text={c.text} redactions={c.redactions} textRef={textRef} />
              <RedactionList text={c.text} redactions={c.redactions} exemptions={exemptions} />
            </>
          )}
          {reviewing && d ? (
            <details className="civic-details margin-top-2">
              <summary>Change the decision<span className="usa-sr-only"> on record {c.leafIndex}</span></summary>
              <DecisionForm requestId={detail.request.id} candidate={c} exemptions={exemptions} onDone={onDone} n={n} />
            </details>
          ) : null}
          {reviewing && !d ? <DecisionForm requestId={detail.request.id} candidate={c} exemptions={exemptions} onDone={onDone} n={n} /> : null}
          {reviewing && c.text && d?.decision !== 'exclude' ? (
            <RedactForm requestId={detail.request.id} candidate={c} text={c.text} exemptions={exemptions} textRef={textRef} onDone={onDone} />
          ) : null}
        </div>
      </div>
    </li>
  );
}

export function RecordsReview({ detail, exemptions, onDone }: { detail: RecordsRequestDetail; exemptions: RecordsExemption[]; onDone: OnDone }) {
  const all = detail.candidates;
  const included = all.filter((c) => c.decision?.decision === 'include').length;
  const excluded = all.filter((c) => c.decision?.decision === 'exclude').length;
  const left = all.length - included - excluded;
  return (
    <section aria-labelledby="review-heading" className="margin-top-6" data-testid="review">
      <h2 id="review-heading">Review the records found</h2>
      {all.length === 0 ? <p>No records yet: search the archive above.</p> : (
        <>
          <p data-testid="review-counts">
            {all.length} {all.length === 1 ? 'record' : 'records'} found: {included} included, {excluded} excluded, <strong>{left} still to decide</strong>.
            {' '}Every record needs a decision before the package can be produced.
          </p>
          <ol className="civic-thread">
            {all.map((c, i) => <CandidateItem key={c.recordId} detail={detail} candidate={c} exemptions={exemptions} onDone={onDone} n={i} />)}
          </ol>
        </>
      )}
    </section>
  );
}
