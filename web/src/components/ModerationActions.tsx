// What the signed-in person may do with a comment: report it, keep it, escalate a removal (a clause
// and a reason), hide it (the same), delete it (the same, only where the platform lets the city
// delete replies), approve an escalated removal (as a hide or a deletion), or show it again. Only the
// actions their permissions and the comment's state allow are offered; the API has the final word
// (a refusal shows its message and the policy behind it). When the API answers with warnings, they
// are shown with "I have read these warnings", and the action is sent again acknowledged.
import { useState } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { excerpt } from '../contentText.js';
import { actionAllowedIn, doneWords, labelWords } from '../moderationText.js';
import type { ModerationAction, ModerationAnswer, ModerationDetail, ModerationRequest, Removal } from '../moderationTypes.js';
import { roleTitle } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { PolicyPack } from '../types.js';
import { Alert, ErrorSummary } from './Alerts.js';
import { CheckboxField, SelectField, TextAreaField } from './Fields.js';
import { Sources } from './Sources.js';

const FIELD_IDS = { clauseId: 'moderation-clause', reason: 'moderation-reason', acknowledgeWarnings: 'moderation-ack' };
const LABELS = { clauseId: 'Clause', reason: 'Reason', acknowledgeWarnings: 'Warnings' };

interface Offer {
  action: ModerationAction;
  /** approve_removal only: how the approved removal is carried out. */
  removal?: Removal;
  label: string;
  style: string;
}

const offerKey = (o: Offer) => `${o.action}${o.removal ? `-${o.removal}` : ''}`;

function offers(item: ModerationDetail, can: (p: string) => boolean, attorney: string | null): Offer[] {
  const list: Offer[] = [];
  const add = (action: ModerationAction, permission: string, label: string, style: string, removal?: Removal) => {
    if (can(permission) && actionAllowedIn(action, item.state)) list.push({ action, label, style, ...(removal ? { removal } : {}) });
  };
  add('approve_removal', 'comment.removal.approve', item.canDelete ? 'Approve: hide it' : 'Approve the removal', 'usa-button--secondary');
  // Only where the platform lets the city delete replies (Facebook); on Bluesky hiding is all there is.
  if (item.canDelete) add('approve_removal', 'comment.removal.approve', 'Approve: delete it', 'usa-button--secondary', 'delete');
  add('escalate', 'comment.hide', attorney ? `Escalate to the ${attorney}` : 'Escalate', '');
  add('hide', 'comment.hide', 'Hide the comment', 'usa-button--secondary');
  if (item.canDelete) add('delete', 'comment.hide', 'Delete the comment', 'usa-button--secondary');
  // A held comment (on a platform that holds replies) appears only when a person approves it.
  add('keep', 'comment.hide', item.state === 'held' ? 'Approve it (let it appear)' : 'Keep it', 'usa-button--outline');
  add('restore', 'comment.hide', 'Show it again', 'usa-button--outline');
  add('report', 'comment.report', 'Report', 'usa-button--outline');
  return list;
}

export function ModerationActions({ item, pack, onDone }: {
  item: ModerationDetail;
  pack: PolicyPack | null;
  onDone: (message: string) => Promise<void>;
}) {
  const session = useSignedIn();
  const rules = pack?.moderation ?? null;
  const attorney = rules?.attorneyRole && pack ? roleTitle(pack, rules.attorneyRole) : null;
  const available = offers(item, (p) => hasPermission(session, p), attorney);
  const [clauseId, setClauseId] = useState('');
  const [reason, setReason] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [asked, setAsked] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const needsClause = available.some((o) => o.action === 'escalate' || o.action === 'hide' || o.action === 'delete');
  const canDeleteHere = available.some((o) => o.action === 'delete' || o.removal === 'delete');
  const clauses = pack?.acceptableUse.clauses ?? [];

  const act = async ({ action, removal }: Offer) => {
    if (asked && !acknowledged) {
      setError(new ApiError(400, { error: 'invalid', message: 'Nothing was done: read the warnings first.', fields: [{ path: 'body.acknowledgeWarnings', message: 'tick "I have read these warnings" to go on' }] }));
      return;
    }
    setBusy(offerKey({ action, removal, label: '', style: '' }));
    setError(null);
    const body: ModerationRequest = { action, reason: reason.trim() || null };
    if (action === 'escalate' || action === 'hide' || action === 'delete') body.clauseId = clauseId || null;
    if (removal) body.removal = removal;
    if (asked && acknowledged) body.acknowledgeWarnings = true;
    try {
      await api.post<ModerationAnswer>(`/api/moderation/items/${encodeURIComponent(item.id)}/actions`, body);
      setAsked(null);
      setAcknowledged(false);
      setReason('');
      setClauseId('');
      await onDone(doneWords(action, attorney, removal));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'warnings') {
        setAsked(err.fields.map((f) => f.message));
        setAcknowledged(false);
      } else {
        setError(err);
      }
    } finally {
      setBusy(null);
    }
  };

  if (available.length === 0) {
    return (
      <section aria-labelledby="act-heading" data-testid="moderation-actions">
        <h2 id="act-heading">Your decision</h2>
        <p data-testid="no-actions">
          {hasPermission(session, 'comment.report') || hasPermission(session, 'comment.hide') || hasPermission(session, 'comment.removal.approve')
            ? 'Nothing you may do applies to a comment in this state.'
            : 'Your roles may read comments but not act on them.'}
        </p>
      </section>
    );
  }

  const fe = fieldErrorsOf(error);
  return (
    <section aria-labelledby="act-heading" data-testid="moderation-actions">
      <h2 id="act-heading">Your decision</h2>
      {rules?.removalRequiresAttorneyApproval && needsClause ? (
        <p data-testid="attorney-rule">
          Under this city's policy a comment is removed only once the {attorney ?? 'attorney'} approves: escalate it with the clause and your reason. <Sources ids={rules.sources} />
        </p>
      ) : null}
      {item.state === 'escalated' && hasPermission(session, 'comment.removal.approve') ? (
        <p>Approving hides the comment on the platform under the proposed clause. The original stays in the archive, and the removal is listed in the public log.</p>
      ) : null}
      {canDeleteHere ? (
        <p data-testid="delete-note">Deleting removes the comment from the platform for good: it cannot be shown again there. The archive keeps the original, and the deletion is listed in the public log.</p>
      ) : null}
      <ErrorSummary error={error} fieldIds={FIELD_IDS} labels={LABELS} />
      {asked ? (
        <Alert kind="warning" heading="Read these warnings before you go on" role="region" headingLevel={3} id="moderation-warnings-asked" focus>
          <ul className="usa-list" data-testid="asked-warnings">{asked.map((w) => <li key={w}>{w}</li>)}</ul>
          <CheckboxField id={FIELD_IDS.acknowledgeWarnings} name="acknowledgeWarnings" label="I have read these warnings" checked={acknowledged} onChange={setAcknowledged} />
        </Alert>
      ) : null}
      <form className="usa-form usa-form--large civic-moderation-form" aria-labelledby="act-heading" noValidate onSubmit={(e) => e.preventDefault()}>
        {needsClause ? (
          <SelectField id={FIELD_IDS.clauseId} name="clauseId" label="Clause of the Acceptable Use Policy" optional="quiet"
            hint="Needed to escalate, hide or delete. Criticism of the city, its officials or its policies is never a reason."
            placeholder="Choose the clause the comment breaks" value={clauseId} onChange={setClauseId} error={fe.clauseId}
            options={clauses.map((c) => ({ value: c.id, label: `${labelWords(c.category)}: ${excerpt(c.text, 90)}` }))} />
        ) : null}
        <TextAreaField id={FIELD_IDS.reason} name="reason" label="Reason" optional="quiet" value={reason} onChange={setReason} error={fe.reason} maxLength={2000}
          hint={item.state === 'escalated'
            ? 'Optional when approving: the reason given when it was escalated is kept otherwise.'
            : 'At least 10 characters to report, escalate, hide, delete or show it again; kept with the action, and shown in the public log when a comment is hidden or deleted.'} />
        <ul className="usa-button-group margin-top-3" data-testid="action-buttons">
          {available.map((o) => (
            <li className="usa-button-group__item" key={offerKey(o)}>
              <button type="button" className={`usa-button ${o.style}`} disabled={busy !== null} data-action={o.action} data-removal={o.removal} onClick={() => void act(o)}>
                {busy === offerKey(o) ? 'Sending…' : o.label}
              </button>
            </li>
          ))}
        </ul>
      </form>
    </section>
  );
}
