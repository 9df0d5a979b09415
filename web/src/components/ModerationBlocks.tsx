// What is on record about a comment's author on this account — the removals of their comments that
// stand, the warnings they were given, their blocks — and, only where the city's policy allows
// blocking, the form to block them for a limited time. The API checks every condition the pack
// sets; the form shows them first. No connector blocks on a platform: the answer says what to do there.
import { useState } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { excerpt } from '../contentText.js';
import { actionWords, labelWords } from '../moderationText.js';
import type { BlockAnswer, BlockView, ModerationDetail } from '../moderationTypes.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { PolicyPack } from '../types.js';
import { Alert, ErrorSummary } from './Alerts.js';
import { CheckboxField, CheckboxGroup, SelectField, TextAreaField, TextField } from './Fields.js';
import { Sources } from './Sources.js';

const STATUS_WORDS: Record<BlockView['status'], string> = { proposed: 'Awaiting approval', active: 'In force', expired: 'Ended', lifted: 'Lifted' };
const FIELD_IDS = { violations: 'block-violations', days: 'block-days', clauseId: 'block-clause', reason: 'block-why', acknowledgeWarnings: 'block-ack', warning: 'block-violations' };
const LABELS = { violations: 'Removals on record', days: 'Days', clauseId: 'Clause', reason: 'Why', acknowledgeWarnings: 'Warnings', warning: 'Warning on record' };

export function AuthorOnRecord({ item, pack, onDone }: { item: ModerationDetail; pack: PolicyPack | null; onDone: (message: string) => Promise<void> }) {
  const session = useSignedIn();
  // What to do on the platform, kept here: the form that produced it goes once a block is in force.
  const [told, setTold] = useState<string | null>(null);
  const record = item.authorRecord;
  if (!record) return null;
  const blocking = pack?.moderation.blocking;
  const who = item.author ?? item.authorId ?? 'The author';
  return (
    <section aria-labelledby="author-heading" data-testid="author-record">
      <h2 id="author-heading">{who} on this account</h2>
      <p>
        {record.removals.length} removal{record.removals.length === 1 ? '' : 's'} of their comments on record, {record.warnings.length} warning{record.warnings.length === 1 ? '' : 's'} recorded.
      </p>
      {record.removals.length || record.warnings.length ? (
        <ul className="usa-list" data-testid="author-history">
          {record.removals.map((r) => <li key={`r-${r.itemId}`}>{actionWords(r.action)} <time dateTime={r.at}>{formatDateTime(r.at)}</time>{r.clauseId ? ` under ${r.clauseId}` : ''}: <q>{excerpt(r.text, 100)}</q></li>)}
          {record.warnings.map((w) => <li key={`w-${w.id}`}>Warned <time dateTime={w.at}>{formatDateTime(w.at)}</time>{w.clauseId ? ` under ${w.clauseId}` : ''}: <q>{excerpt(w.text ?? '', 100)}</q></li>)}
        </ul>
      ) : null}
      {told ? <Alert kind="info" heading="On the platform" headingLevel={3}><p className="margin-0" data-testid="block-instructions">{told}</p></Alert> : null}
      {record.blocks.length ? <BlockList blocks={record.blocks} onDone={onDone} onTold={setTold} /> : null}
      {blocking?.enabled ? (
        hasPermission(session, 'comment.hide') && !record.blocks.some((b) => b.status === 'proposed' || b.status === 'active') ? <BlockForm item={item} pack={pack!} onDone={onDone} onTold={setTold} /> : null
      ) : record.removals.length === 0 ? null : (
        <p data-testid="blocking-off">This city's policy does not allow blocking people: hide the comments that break the Acceptable Use Policy instead. <Sources ids={blocking?.sources ?? pack?.moderation.sources} /></p>
      )}
    </section>
  );
}

function BlockList({ blocks, onDone, onTold }: { blocks: BlockView[]; onDone: (message: string) => Promise<void>; onTold: (instructions: string) => void }) {
  const session = useSignedIn();
  const [why, setWhy] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [ack, setAck] = useState(false);
  const act = async (block: BlockView, what: 'approve' | 'lift') => {
    setError(null);
    try {
      const res = await api.post<BlockAnswer>(`/api/moderation/blocks/${encodeURIComponent(block.id)}/${what}`, what === 'lift' ? { reason: why } : { acknowledgeWarnings: ack });
      onTold(res.platform.instructions);
      await onDone(what === 'lift' ? 'The block is lifted.' : 'The block is approved.');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <table className="usa-table usa-table--borderless width-full" data-testid="blocks">
        <caption>Blocks</caption>
        <thead><tr><th scope="col">Status</th><th scope="col">Days</th><th scope="col">Ends</th><th scope="col">Clause and why</th><th scope="col">Proposed by</th></tr></thead>
        <tbody>
          {blocks.map((b) => (
            <tr key={b.id} data-block={b.id} data-status={b.status}>
              <th scope="row">{STATUS_WORDS[b.status]}</th>
              <td>{b.days}</td>
              <td>{b.expiresAt ? <time dateTime={b.expiresAt}>{formatDateTime(b.expiresAt)}</time> : '—'}</td>
              <td><strong>{b.clauseId}</strong>: {b.reason}{b.liftReason ? <span className="display-block">Lifted: {b.liftReason}</span> : null}</td>
              <td>{b.proposedBy}{b.approvedBy ? `, approved by ${b.approvedBy}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorSummary error={error} fieldIds={{ reason: 'block-lift-why' }} labels={{ reason: 'Why it is lifted', acknowledgeWarnings: 'Warnings' }} />
      {blocks.filter((b) => b.status === 'proposed' || b.status === 'active').map((b) => (
        <div key={b.id} className="margin-bottom-3">
          {b.status === 'proposed' && hasPermission(session, 'comment.removal.approve') ? (
            <>
              <CheckboxField id="block-approve-ack" name="ack" label="I have read the warnings: blocking stops this person replying at all, and is never for a viewpoint" checked={ack} onChange={setAck} />
              <button type="button" className="usa-button margin-top-1" onClick={() => void act(b, 'approve')}>Approve the block</button>
            </>
          ) : null}
          {hasPermission(session, 'comment.hide') ? (
            <>
              <TextAreaField id="block-lift-why" name="liftWhy" label="Why it is lifted" value={why} onChange={setWhy} maxLength={2000} rows={2} error={fieldErrorsOf(error).reason} />
              <button type="button" className="usa-button usa-button--outline margin-top-1" onClick={() => void act(b, 'lift')}>{b.status === 'proposed' ? 'Withdraw the proposal' : 'Lift the block now'}</button>
            </>
          ) : null}
        </div>
      ))}
    </>
  );
}

function BlockForm({ item, pack, onDone, onTold }: { item: ModerationDetail; pack: PolicyPack; onDone: (message: string) => Promise<void>; onTold: (instructions: string) => void }) {
  const rules = pack.moderation.blocking!;
  const removals = item.authorRecord?.removals ?? [];
  const [violations, setViolations] = useState<string[]>(removals.map((r) => r.itemId));
  const [days, setDays] = useState('');
  const [clauseId, setClauseId] = useState('');
  const [reason, setReason] = useState('');
  const [asked, setAsked] = useState<string[] | null>(null);
  const [ack, setAck] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const attorney = rules.requiresAttorneyApproval;

  const send = async () => {
    setError(null);
    try {
      const res = await api.post<BlockAnswer>('/api/moderation/blocks', { itemId: item.id, violations, days: Number(days), clauseId, reason, acknowledgeWarnings: asked !== null && ack });
      onTold(res.platform.instructions);
      setAsked(null);
      await onDone(res.status === 'proposed' ? 'The block is proposed and awaits approval.' : 'The block is recorded.');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'warnings') setAsked(err.fields.map((f) => f.message));
      else setError(err);
    }
  };
  const fe = fieldErrorsOf(error);
  return (
    <div data-testid="block-form">
      <h3>Block {item.author ?? 'the author'} from this account</h3>
      <p>
        Under this city's policy a block needs at least {rules.minViolations} removals of their comments on record{rules.requiresPriorWarning ? ', a warning on record' : ''},
        lasts at most {rules.maxDays} days{attorney ? ', and is approved by the attorney before it applies' : ''}. <Sources ids={rules.sources} />
      </p>
      <p>CivicDesk records the block; it cannot apply it on the platform. You will be told what to do there.</p>
      <ErrorSummary error={error} fieldIds={FIELD_IDS} labels={LABELS} />
      {asked ? (
        <Alert kind="warning" heading="Read these warnings before you go on" headingLevel={3} focus>
          <ul className="usa-list">{asked.map((w) => <li key={w}>{w}</li>)}</ul>
          <CheckboxField id={FIELD_IDS.acknowledgeWarnings} name="ack" label="I have read these warnings" checked={ack} onChange={setAck} />
        </Alert>
      ) : null}
      <form className="usa-form usa-form--large civic-moderation-form" noValidate onSubmit={(e) => { e.preventDefault(); void send(); }}>
        <CheckboxGroup id={FIELD_IDS.violations} legend="Removals on record that this block rests on" error={fe.violations ?? fe.warning} selected={violations} onChange={setViolations}
          options={removals.map((r) => ({ value: r.itemId, label: excerpt(r.text, 80), description: `${actionWords(r.action)}${r.clauseId ? ` under ${r.clauseId}` : ''}` }))} />
        <TextField id={FIELD_IDS.days} name="days" label={`Days (1 to ${rules.maxDays})`} inputMode="numeric" value={days} onChange={setDays} error={fe.days} />
        <SelectField id={FIELD_IDS.clauseId} name="clauseId" label="Clause broken again and again" placeholder="Choose the clause" value={clauseId} onChange={setClauseId} error={fe.clauseId}
          options={pack.acceptableUse.clauses.map((c) => ({ value: c.id, label: `${labelWords(c.category)}: ${excerpt(c.text, 90)}` }))} />
        <TextAreaField id={FIELD_IDS.reason} name="reason" label="Why" value={reason} onChange={setReason} maxLength={2000} error={fe.reason} hint="At least 10 characters; kept with the block." />
        <button type="submit" className="usa-button usa-button--secondary margin-top-2">{attorney ? 'Propose the block' : 'Block'}</button>
      </form>
    </div>
  );
}
