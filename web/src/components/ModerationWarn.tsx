// Recording what a commenter was told: a warning, or the removal notice for a hidden comment (the
// clause and how to appeal). Nothing is posted from here: the person gives it through a reply or
// the city's contact route and records it, and this record is the "prior warning" a block needs.
import { useState } from 'react';
import { api } from '../api.js';
import { excerpt } from '../contentText.js';
import { labelWords } from '../moderationText.js';
import type { ModerationDetail } from '../moderationTypes.js';
import type { PolicyPack } from '../types.js';
import { ErrorSummary } from './Alerts.js';
import { SelectField, TextAreaField } from './Fields.js';

const FIELD_IDS = { clauseId: 'warn-clause', text: 'warn-text', kind: 'warn-kind' };
const LABELS = { clauseId: 'Clause', text: 'What they were told', kind: 'What was given' };

export function WarnCommenter({ item, pack, onDone }: { item: ModerationDetail; pack: PolicyPack | null; onDone: (message: string) => Promise<void> }) {
  const hidden = item.state === 'hidden' || item.state === 'deleted';
  const [kind, setKind] = useState<'warning' | 'removal_notice'>(hidden ? 'removal_notice' : 'warning');
  // The clause the comment was last acted on under, if any: usually what the commenter was told.
  const [clauseId, setClauseId] = useState(item.proposal?.clauseId ?? [...item.actions].reverse().find((a) => a.clauseId)?.clauseId ?? '');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const clauses = pack?.acceptableUse.clauses ?? [];

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/moderation/items/${encodeURIComponent(item.id)}/warnings`, { kind, clauseId, text: text.trim() || null });
      setText('');
      await onDone(kind === 'warning' ? 'The warning is recorded.' : 'The removal notice is recorded.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="warn-heading" data-testid="warn-commenter">
      <h2 id="warn-heading">Warn the commenter</h2>
      <p>Record what the commenter was told, through a reply or the city's contact route. Nothing is posted from here.</p>
      <ErrorSummary error={error} fieldIds={FIELD_IDS} labels={LABELS} />
      <form className="usa-form usa-form--large civic-moderation-form" aria-labelledby="warn-heading" noValidate onSubmit={(e) => { e.preventDefault(); void send(); }}>
        <SelectField id={FIELD_IDS.kind} name="kind" label="What was given" value={kind} onChange={(v) => setKind(v === 'removal_notice' ? 'removal_notice' : 'warning')}
          options={[{ value: 'warning', label: 'A warning' }, ...(hidden ? [{ value: 'removal_notice', label: 'The removal notice (clause and how to appeal)' }] : [])]} />
        <SelectField id={FIELD_IDS.clauseId} name="clauseId" label="Clause the warning is about" placeholder="Choose the clause" value={clauseId} onChange={setClauseId}
          options={clauses.map((c) => ({ value: c.id, label: `${labelWords(c.category)}: ${excerpt(c.text, 90)}` }))} />
        <TextAreaField id={FIELD_IDS.text} name="text" label="What they were told" optional={kind === 'removal_notice'} value={text} onChange={setText} maxLength={4000}
          hint={kind === 'removal_notice' ? 'Leave empty to record the city\'s standard removal notice for this clause.' : 'At least 10 characters.'} />
        <button type="submit" className="usa-button usa-button--outline margin-top-2" disabled={busy}>{busy ? 'Recording…' : 'Record it'}</button>
      </form>
    </section>
  );
}
