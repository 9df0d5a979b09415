// Redacting passages of a record's text for a request. The passage is chosen by selecting it with
// the mouse (or the keyboard's own selection) in the text, or, without a pointer, by typing the
// words and choosing which occurrence; then an exemption of the pack (label and citation shown) and
// the reason. Existing redactions are marked in the text. The archived original is never changed:
// producing the request makes a copy with [REDACTED: code] in place of each passage.
import { useEffect, useId, useMemo, useState, type FormEvent, type RefObject } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { around, exemptionOf, occurrences, overlaps, segments } from '../recordsText.js';
import type { Candidate, RecordsExemption, Redaction } from '../recordsTypes.js';
import { useSubmit, type OnDone } from '../recordsSubmit.js';
import { ErrorSummary } from './Alerts.js';
import { Actor } from './Archive.js';
import { SelectField, TextAreaField, TextField } from './Fields.js';

/** The record's text with each redacted passage marked; nothing else inside, so offsets are string indexes. */
export function RedactableText({ text, redactions, textRef, id }: {
  text: string;
  redactions: readonly Redaction[];
  textRef?: RefObject<HTMLDivElement | null>;
  id: string;
}) {
  return (
    <div ref={textRef} id={id} className="civic-quote civic-record-text civic-redactable" data-testid="candidate-text">
      {segments(text, redactions).map((s, i) => (s.redaction
        ? <mark key={i} className="civic-redaction" title={`Redacted under ${s.redaction.code}`}>{s.text}</mark>
        : <span key={i}>{s.text}</span>))}
    </div>
  );
}

export function RedactionList({ text, redactions, exemptions }: { text: string; redactions: readonly Redaction[]; exemptions: RecordsExemption[] }) {
  if (redactions.length === 0) return null;
  return (
    <>
      <p className="margin-bottom-05">
        Redacted passages, highlighted above. The archived original is never changed: the package holds a copy with <code>[REDACTED: code]</code> in their place.
      </p>
      <ul className="usa-list margin-top-0" data-testid="redactions">
        {redactions.map((r) => {
          const x = exemptionOf(exemptions, r.code);
          return (
            <li key={r.id}>
              Characters {r.start + 1}–{r.end}, “{text.slice(r.start, r.end)}”: {x ? `${x.label} ` : ''}<code>[{r.code}]</code>{x ? `, ${x.citation}` : ''}
              {r.note ? <>. Reason: {r.note}</> : null}
              <span className="display-block font-sans-3xs text-base-dark">by <Actor label={r.by} /></span>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** Offsets of the selection within `container`, trimmed of spaces at either end; null when it is not inside. */
function selectionIn(container: HTMLElement, text: string): { start: number; end: number } | null {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const offset = (node: Node, at: number) => {
    const r = document.createRange();
    r.selectNodeContents(container);
    r.setEnd(node, at);
    return r.toString().length;
  };
  let start = offset(range.startContainer, range.startOffset);
  let end = offset(range.endContainer, range.endOffset);
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return end > start ? { start, end } : null;
}

export function RedactForm({ requestId, candidate, text, exemptions, textRef, onDone }: {
  requestId: string;
  candidate: Candidate;
  text: string;
  exemptions: RecordsExemption[];
  textRef: RefObject<HTMLDivElement | null>;
  onDone: OnDone;
}) {
  const uid = useId().replace(/:/g, '');
  const ids = { words: `${uid}-words`, occurrence: `${uid}-which`, code: `${uid}-code`, note: `${uid}-note`, start: `${uid}-words`, end: `${uid}-words` };
  const [open, setOpen] = useState(false);
  const [words, setWords] = useState('');
  const [which, setWhich] = useState(0);
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const { error, setError, busy, run } = useSubmit();
  // Occurrences that do not overlap a passage already redacted.
  const found = useMemo(() => occurrences(text, words).filter((o) => !overlaps(o, candidate.redactions)), [text, words, candidate.redactions]);
  const span = found[Math.min(which, found.length - 1)] ?? null;

  // A selection in the record's text fills the form (and opens it).
  useEffect(() => {
    const onSelection = () => {
      const container = textRef.current;
      if (!container) return;
      const sel = selectionIn(container, text);
      if (!sel) return;
      const picked = text.slice(sel.start, sel.end);
      const index = occurrences(text, picked).filter((o) => !overlaps(o, candidate.redactions)).findIndex((o) => o.start === sel.start);
      setWords(picked);
      setWhich(Math.max(0, index));
      setOpen(true);
    };
    document.addEventListener('selectionchange', onSelection);
    return () => document.removeEventListener('selectionchange', onSelection);
  }, [text, textRef, candidate.redactions]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = [];
    if (!span) fields.push({ path: 'body.start', message: words ? 'these words are not in the text (or are already redacted)' : 'select a passage in the text, or type its words' });
    if (!code) fields.push({ path: 'body.code', message: 'choose the exemption that withholds it' });
    if (!note.trim()) fields.push({ path: 'body.note', message: 'say why this passage is withheld' });
    if (fields.length || !span) {
      setError(new ApiError(400, { error: 'invalid', message: 'The passage was not redacted.', fields }));
      return;
    }
    await run(async () => {
      await api.post(`/api/records/requests/${encodeURIComponent(requestId)}/redactions`, { recordId: candidate.recordId, start: span.start, end: span.end, code, note: note.trim() });
      setWords('');
      setNote('');
      await onDone(`Redacted characters ${span.start + 1}–${span.end} of record ${candidate.leafIndex ?? ''} under ${code}.`);
    });
  };
  const fieldErrors = fieldErrorsOf(error);
  const chosen = exemptionOf(exemptions, code);

  return (
    <details className="civic-details margin-top-2" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Redact a passage<span className="usa-sr-only"> of record {candidate.leafIndex}</span></summary>
      <p>Select the words in the text above, or type them here. The archived original is never changed.</p>
      <ErrorSummary error={error} fieldIds={ids} labels={{ start: 'Passage', end: 'Passage', code: 'Exemption', note: 'Reason' }} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-label={`Redact a passage of record ${candidate.leafIndex ?? ''}`}>
        <TextField id={ids.words} name="words" label="Words to redact" hint="Exactly as in the text; a selection fills this in." autoComplete="off" spellCheck={false}
          value={words} onChange={(v) => { setWords(v); setWhich(0); }} error={fieldErrors.start ?? fieldErrors.end} />
        {found.length > 1 ? (
          <SelectField id={ids.occurrence} name="occurrence" label="Which occurrence" value={String(Math.min(which, found.length - 1))} onChange={(v) => setWhich(Number(v))}
            options={found.map((o, i) => ({ value: String(i), label: `${i + 1}: ${around(text, o)}` }))} />
        ) : null}
        <p className="usa-hint" aria-live="polite" data-testid="redact-preview">
          {span ? `Will redact characters ${span.start + 1}–${span.end}: ${around(text, span)}` : words ? 'Not found in the text, or already redacted.' : ''}
        </p>
        <SelectField id={ids.code} name="code" label="Exemption" placeholder="Choose the exemption" value={code} onChange={setCode} error={fieldErrors.code}
          hint={chosen ? `${chosen.label}: ${chosen.citation}` : 'From the city’s policy; its citation goes in the letter.'}
          options={exemptions.map((x) => ({ value: x.code, label: `${x.label} [${x.code}]` }))} />
        <TextAreaField id={ids.note} name="note" label="Reason" hint="Why the law withholds this passage; kept in the request’s history." maxLength={2000} value={note} onChange={setNote} error={fieldErrors.note} />
        <button type="submit" className="usa-button usa-button--secondary margin-top-2" disabled={busy}>Redact this passage</button>
      </form>
    </details>
  );
}
