// The letters to the requester (acknowledgement, denial or partial denial with the exemptions the
// pack cites, and the cover letter written into the package), as plain text to read, copy or save;
// and denying a whole request, citing the pack's exemptions.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { letterHref, recordsLetterUrl } from '../recordsText.js';
import { OPEN_STATUSES, type LetterKind, type RecordsExemption, type RecordsRequestDetail } from '../recordsTypes.js';
import { useSubmit, type OnDone } from '../recordsSubmit.js';
import { useApi } from '../useApi.js';
import { ApiErrorAlert, ErrorSummary, Loading } from './Alerts.js';
import { CheckboxGroup, TextAreaField } from './Fields.js';

const LETTER_WORDS: Record<LetterKind, string> = {
  acknowledgement: 'Acknowledgement letter',
  denial: 'Denial letter',
  cover: 'Cover letter',
};

export function LetterBlock({ kind, number, text, focus, title }: { kind: LetterKind; number: string; text: string; focus?: boolean; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  const name = title ?? LETTER_WORDS[kind];
  return (
    <div ref={ref} tabIndex={focus ? -1 : undefined} className="civic-letter margin-y-2" data-testid={`letter-${kind}`} aria-label={name} role="region">
      {focus ? <h3 className="margin-top-0">{name}</h3> : null}
      <pre className="civic-pre">{text}</pre>
      <a className="usa-link" href={letterHref(text)} download={`${number}-${kind}.txt`}>
        Download the {name.toLowerCase()}<span className="usa-sr-only"> of request {number}</span> (plain text)
      </a>
    </div>
  );
}

function LoadedLetter({ requestId, number, kind, title }: { requestId: string; number: string; kind: LetterKind; title: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="civic-details margin-y-2" onToggle={(e) => setOpen(e.currentTarget.open)} data-testid={`letter-details-${kind}`}>
      <summary>{title}</summary>
      {open ? <LetterText requestId={requestId} number={number} kind={kind} title={title} /> : null}
    </details>
  );
}

function LetterText({ requestId, number, kind, title }: { requestId: string; number: string; kind: LetterKind; title: string }) {
  const { state } = useApi<{ kind: LetterKind; text: string }>(recordsLetterUrl(requestId, kind));
  if (state.status === 'loading') return <Loading what="the letter" />;
  if (state.status === 'error') return <ApiErrorAlert error={state.error} />;
  return <LetterBlock kind={kind} number={number} text={state.data.text} title={title} />;
}

function Deny({ detail, exemptions, onDone }: { detail: RecordsRequestDetail; exemptions: RecordsExemption[]; onDone: OnDone }) {
  const [codes, setCodes] = useState<string[]>([]);
  const [explanation, setExplanation] = useState('');
  const { error, setError, busy, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = [];
    if (codes.length === 0) fields.push({ path: 'body.exemptions', message: 'cite at least one exemption' });
    if (!explanation.trim()) fields.push({ path: 'body.explanation', message: 'explain the denial to the requester' });
    if (fields.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not denied.', fields }));
      return;
    }
    await run(async () => {
      await api.post(`/api/records/requests/${encodeURIComponent(detail.request.id)}/deny`, { exemptions: codes, explanation: explanation.trim() });
      await onDone(`Denied request ${detail.request.number}. The denial letter is under Letters.`);
    });
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <details className="civic-details margin-top-3">
      <summary>Deny the whole request</summary>
      <p>Only when the law withholds every record asked for. To withhold some records or passages, exclude or redact them above and produce the rest.</p>
      <ErrorSummary error={error} fieldIds={{ exemptions: 'deny-codes', explanation: 'deny-explanation' }} labels={{ exemptions: 'Exemptions', explanation: 'Explanation' }} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label="Deny the whole request">
        <CheckboxGroup id="deny-codes" legend="Exemptions that withhold the records" error={fieldErrors.exemptions} selected={codes} onChange={setCodes}
          options={exemptions.map((x) => ({ value: x.code, label: <>{x.label} <code>[{x.code}]</code></>, description: x.citation }))} />
        <TextAreaField id="deny-explanation" name="explanation" label="Explanation" hint="Quoted in the letter to the requester." maxLength={5000} value={explanation} onChange={setExplanation} error={fieldErrors.explanation} />
        <button type="submit" className="usa-button usa-button--secondary margin-top-2" disabled={busy}>Deny the request</button>
      </form>
    </details>
  );
}

export function RecordsAnswer({ detail, exemptions, onDone }: { detail: RecordsRequestDetail; exemptions: RecordsExemption[]; onDone: OnDone }) {
  const r = detail.request;
  const denied = r.status === 'denied' || (r.answeredAt !== null && detail.withheld.length > 0);
  const whole = r.status === 'denied' || r.denial !== null;
  const letters: Array<{ kind: LetterKind; title: string }> = [
    ...(r.acknowledgedAt ? [{ kind: 'acknowledgement' as const, title: 'Acknowledgement letter' }] : []),
    ...(denied ? [{ kind: 'denial' as const, title: whole ? 'Denial letter' : 'Partial denial letter (the exemptions withheld under)' }] : []),
    ...(detail.productions.length ? [{ kind: 'cover' as const, title: 'Cover letter (in the package)' }] : []),
  ];
  return (
    <section aria-labelledby="letters-heading" className="margin-top-6" data-testid="letters">
      <h2 id="letters-heading">Letters and denial</h2>
      {r.denial ? (
        <p data-testid="denial-codes">Denied under: {r.denial.codes.map((c) => <code key={c} className="margin-right-1">[{c}]</code>)}</p>
      ) : null}
      {letters.length ? letters.map((l) => (
        <LoadedLetter key={`${l.kind}-${r.updatedAt}`} requestId={r.id} number={r.number} kind={l.kind} title={l.title} />
      )) : <p>No letter yet: the acknowledgement letter is written when the request is acknowledged.</p>}
      {OPEN_STATUSES.includes(r.status) && exemptions.length ? <Deny detail={detail} exemptions={exemptions} onDone={onDone} /> : null}
    </section>
  );
}
