// Acting on several ticked comments at once. Every comment is its own decision: it has its own
// reason (and, to escalate or hide, its own clause), which a shared clause and reason may fill
// where still empty; the API runs each through the same checks as a single action and reports
// each outcome — done, refused and why, or warnings to read and acknowledge before sending it again.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api.js';
import { excerpt } from '../contentText.js';
import { authorOf, labelWords, moderationStateWords } from '../moderationText.js';
import type { BulkAction, BulkAnswer, BulkItemRequest, BulkOutcome, QueueItem } from '../moderationTypes.js';
import type { PolicyPack } from '../types.js';
import { Alert, ApiErrorAlert } from './Alerts.js';
import { Dialog } from './Dialog.js';
import { CheckboxField, SelectField, TextAreaField } from './Fields.js';
import { LabelTags } from './ModerationBits.js';
import { Sources } from './Sources.js';

interface ItemForm {
  clauseId: string;
  reason: string;
  acknowledged: boolean;
  outcome: BulkOutcome | null;
}

export function bulkTitle(action: BulkAction, count: number, attorney: string | null): string {
  const comments = `${count} comment${count === 1 ? '' : 's'}`;
  if (action === 'escalate') return attorney ? `Escalate ${comments} to the ${attorney}` : `Escalate ${comments}`;
  return action === 'hide' ? `Hide ${comments}` : `Keep ${comments}`;
}

function fieldError(outcome: BulkOutcome | null, field: string): string | undefined {
  return outcome?.error?.fields?.find((f) => f.path === `body.${field}`)?.message;
}

export function BulkDialog({ action, items, pack, attorney, onClose, onChanged }: {
  /** null: closed. */
  action: BulkAction | null;
  /** The ticked comments, as they were when the dialog opened. */
  items: QueueItem[];
  pack: PolicyPack | null;
  attorney: string | null;
  onClose: () => void;
  /** Some comments were acted on: the queue should be read again. */
  onChanged: (doneIds: string[]) => void;
}) {
  const [forms, setForms] = useState<Record<string, ItemForm>>({});
  const [sharedClause, setSharedClause] = useState('');
  const [sharedReason, setSharedReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState<{ done: number; failed: number; round: number } | null>(null);
  const rounds = useRef(0);
  const needsClause = action === 'escalate' || action === 'hide';
  const clauses = pack?.acceptableUse.clauses ?? [];

  useEffect(() => {
    if (action === null) return;
    setForms(Object.fromEntries(items.map((i) => [i.id, { clauseId: '', reason: '', acknowledged: false, outcome: null }])));
    setSharedClause('');
    setSharedReason('');
    setSummary(null);
    setError(null);
  }, [action, items]);

  if (action === null) return <Dialog open={false} title="" onClose={onClose}>{null}</Dialog>;

  const set = (id: string, patch: Partial<ItemForm>) => setForms((f) => ({ ...f, [id]: { ...f[id]!, ...patch } }));
  const pending = items.filter((i) => forms[i.id] && !forms[i.id]!.outcome?.ok);
  const fill = () => setForms((f) => Object.fromEntries(Object.entries(f).map(([id, form]) => [id, form.outcome?.ok ? form : {
    ...form, clauseId: form.clauseId || sharedClause, reason: form.reason.trim() ? form.reason : sharedReason,
  }])));

  const send = async () => {
    setBusy(true);
    setError(null);
    const body: BulkItemRequest[] = pending.map((i) => {
      const form = forms[i.id]!;
      return { itemId: i.id, action, reason: form.reason, ...(needsClause ? { clauseId: form.clauseId || null } : {}), ...(form.acknowledged ? { acknowledgeWarnings: true } : {}) };
    });
    try {
      const answer = await api.post<BulkAnswer>('/api/moderation/bulk', { items: body });
      setForms((f) => {
        const next = { ...f };
        for (const o of answer.outcomes) next[o.itemId] = { ...next[o.itemId]!, outcome: o, acknowledged: o.ok ? next[o.itemId]!.acknowledged : false };
        return next;
      });
      rounds.current += 1;
      setSummary({ done: answer.done, failed: answer.failed, round: rounds.current });
      const doneIds = answer.outcomes.filter((o) => o.ok).map((o) => o.itemId);
      if (doneIds.length) onChanged(doneIds);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open title={bulkTitle(action, items.length, attorney)} onClose={onClose} wide>
      <p>
        Each comment is decided on its own: write the reason for each one (it is kept with that comment's action
        {action === 'hide' ? ', and shown in the public log' : ''}){needsClause ? ' and choose the clause of the Acceptable Use Policy it breaks' : ''}.
        Criticism of the city, its officials or its policies is never a reason.
      </p>
      {needsClause && pack?.moderation.removalRequiresAttorneyApproval ? (
        <p>Under this city's policy the {attorney ?? 'attorney'} approves each removal. <Sources ids={pack.moderation.sources} /></p>
      ) : null}
      <div data-testid="bulk-summary">
        {summary ? (
          <Alert key={summary.round} kind={summary.failed ? 'warning' : 'success'} slim role="status" focus>
            {summary.failed ? `${summary.done} done, ${summary.failed} not done: see each comment below.` : `All ${summary.done} done.`}
          </Alert>
        ) : null}
      </div>
      <ApiErrorAlert error={error} focus />
      <fieldset className="usa-fieldset" data-testid="bulk-shared">
        <legend className="usa-legend">To fill the empty fields of every comment (optional)</legend>
        {needsClause ? (
          <SelectField id="bulk-shared-clause" name="sharedClause" label="Clause for every comment" optional="quiet" placeholder="Choose a clause"
            value={sharedClause} onChange={setSharedClause} options={clauses.map((c) => ({ value: c.id, label: `${labelWords(c.category)}: ${excerpt(c.text, 80)}` }))} />
        ) : null}
        <TextAreaField id="bulk-shared-reason" name="sharedReason" label="Reason to start from" optional="quiet" value={sharedReason} onChange={setSharedReason} maxLength={2000} rows={2}
          hint="Copied only into comments whose reason is still empty; edit each one so it says why for that comment." />
        <button type="button" className="usa-button usa-button--outline margin-top-1" onClick={fill}>Fill the empty fields</button>
      </fieldset>
      <ol className="civic-bulk-list" data-testid="bulk-items">
        {items.map((item, n) => {
          const form = forms[item.id];
          if (!form) return null;
          const o = form.outcome;
          const done = o?.ok === true;
          return (
            <li key={item.id} className="civic-bulk-item" data-item={item.id} data-outcome={o ? (o.ok ? 'done' : 'failed') : undefined}>
              <fieldset className="usa-fieldset" disabled={done || busy}>
                <legend>Comment {n + 1} of {items.length}{authorOf(item) ? ` by ${authorOf(item)}` : ''}</legend>
                <p className="civic-quote margin-y-1">{excerpt(item.text, 280)}</p>
                <LabelTags labels={item.labels} evidence={item.evidence} viewpoint={item.viewpoint} />
                {needsClause ? (
                  <SelectField id={`bulk-clause-${n}`} name={`clause-${n}`} label="Clause" optional="quiet" placeholder="Choose the clause it breaks" value={form.clauseId}
                    onChange={(v) => set(item.id, { clauseId: v })} error={fieldError(o, 'clauseId')}
                    options={clauses.map((c) => ({ value: c.id, label: `${labelWords(c.category)}: ${excerpt(c.text, 80)}` }))} />
                ) : null}
                <TextAreaField id={`bulk-reason-${n}`} name={`reason-${n}`} label="Reason" value={form.reason} onChange={(v) => set(item.id, { reason: v })} maxLength={2000} rows={2}
                  error={fieldError(o, 'reason')} hint="At least 10 characters, about this comment." />
              </fieldset>
              <div data-testid="bulk-outcome">
                {done ? <p className="margin-bottom-0"><strong>Done:</strong> {moderationStateWords(o.state ?? '')}.</p> : null}
                {o && !o.ok && o.warnings?.length ? (
                  <Alert kind="warning" heading="Read these warnings before sending it again" headingLevel={3}>
                    <ul className="usa-list" data-testid="bulk-warnings">{o.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
                    <CheckboxField id={`bulk-ack-${n}`} name={`ack-${n}`} label="I have read these warnings" checked={form.acknowledged} onChange={(v) => set(item.id, { acknowledged: v })} />
                  </Alert>
                ) : null}
                {o && !o.ok && !o.warnings?.length ? (
                  <p className="civic-text-bad margin-bottom-0" data-testid="bulk-error">Not done: {o.error?.message} <Sources ids={o.error?.sources} /></p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
      <ul className="usa-button-group">
        {pending.length ? (
          <li className="usa-button-group__item">
            <button type="button" className="usa-button" disabled={busy} onClick={() => void send()}>
              {busy ? 'Sending…' : `Send ${pending.length} decision${pending.length === 1 ? '' : 's'}`}
            </button>
          </li>
        ) : null}
        <li className="usa-button-group__item"><button type="button" className="usa-button usa-button--outline" onClick={onClose}>Close</button></li>
      </ul>
    </Dialog>
  );
}
