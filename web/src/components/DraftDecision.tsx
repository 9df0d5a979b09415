// The decision of the person whose step it is: approve (acknowledging every finding that needs an
// approver's acknowledgement) or return the post to its author with a comment. The last approval
// publishes, and the answer says how each account went.
import { useState, type FormEvent } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import type { DecisionResponse, DraftDetail } from '../contentTypes.js';
import { ErrorSummary } from './Alerts.js';
import { TextAreaField } from './Fields.js';
import { FindingItem } from './Findings.js';

const ACK_ID = 'decision-ack';

export function DraftDecision({ draft, onDone }: { draft: DraftDetail; onDone: (message: string, answer: DecisionResponse) => Promise<void> }) {
  const [comment, setComment] = useState('');
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'approved' | 'rejected' | null>(null);
  const step = draft.chain?.steps[draft.currentStep];
  if (!draft.chain || !step) return null;
  const total = draft.chain.steps.length;
  const last = draft.currentStep === total - 1;
  const next = draft.chain.steps[draft.currentStep + 1];
  const toAcknowledge = [...new Map(draft.findings.filter((f) => f.severity === 'acknowledge').map((f) => [f.id, f])).values()];

  const decide = async (decision: 'approved' | 'rejected') => {
    const problems = [];
    if (decision === 'rejected' && !comment.trim()) problems.push({ path: 'body.comment', message: 'Say why: the author is told, and needs to know what to change.' });
    const missing = toAcknowledge.filter((f) => !acknowledged.includes(f.id));
    if (decision === 'approved' && missing.length) {
      problems.push(...missing.map((f) => ({ path: 'body.acknowledged', message: `Acknowledge: ${f.message}` })));
    }
    if (problems.length) {
      setError(new ApiError(400, { error: 'invalid', message: decision === 'approved' ? 'The post was not approved.' : 'The post was not returned.', fields: problems }));
      return;
    }
    setBusy(decision);
    setError(null);
    try {
      const answer = await api.post<DecisionResponse>(`/api/content/drafts/${encodeURIComponent(draft.id)}/decision`, {
        decision, comment: comment.trim() || null, acknowledged: decision === 'approved' ? acknowledged : [],
      });
      const message = decision === 'rejected'
        ? 'You returned the post to its author, with your comment.'
        : answer.status === 'scheduled' ? `You approved the last step: the post is scheduled for ${draft.scheduledAt ?? 'its time'}.`
          : last ? 'You approved the last step: the post is approved and has been sent to its accounts.'
            : `You approved step ${draft.currentStep + 1}.${next ? ` The ${next.roleTitle} has been told it is their turn.` : ''}`;
      setComment('');
      setAcknowledged([]);
      await onDone(message, answer);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void decide('approved');
  };

  const fe = fieldErrorsOf(error);
  return (
    <section aria-labelledby="decide-heading" data-testid="decision">
      <h2 id="decide-heading">Your decision as {step.roleTitle}</h2>
      <p>Step {draft.currentStep + 1} of {total}: the {step.roleTitle} {step.label}.{last ? ' Approving publishes the post.' : ''}</p>
      <ErrorSummary error={error} fieldIds={{ comment: 'decision-comment', acknowledged: ACK_ID }} labels={{ comment: 'Comment', acknowledged: 'Findings' }} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} noValidate aria-labelledby="decide-heading">
        {toAcknowledge.length ? (
          <div className={`usa-form-group${fe.acknowledged ? ' usa-form-group--error' : ''}`}>
            <fieldset className="usa-fieldset" id={ACK_ID} tabIndex={-1} aria-describedby={`${ACK_ID}-hint`}>
              <legend className="usa-legend">Acknowledge each finding</legend>
              <div className="usa-hint" id={`${ACK_ID}-hint`}>The policy asks the approver to see these before the post goes out. Required to approve.</div>
              {toAcknowledge.map((f) => (
                <div className="usa-checkbox margin-top-1" key={f.id} data-finding={f.id}>
                  <input className="usa-checkbox__input" id={`ack-${f.id}`} type="checkbox" name="acknowledged" value={f.id} checked={acknowledged.includes(f.id)}
                    onChange={(e) => setAcknowledged((a) => (e.target.checked ? [...a, f.id] : a.filter((x) => x !== f.id)))} />
                  <label className="usa-checkbox__label" htmlFor={`ack-${f.id}`}>
                    I acknowledge: {f.message}
                  </label>
                  <div className="margin-left-4 margin-top-05"><FindingItem finding={f} withMessage={false} /></div>
                </div>
              ))}
            </fieldset>
          </div>
        ) : null}
        <TextAreaField id="decision-comment" name="comment" label="Comment" optional
          hint="Optional when approving; required when returning the post. The author sees it."
          value={comment} onChange={setComment} error={fe.comment} maxLength={2000} />
        <ul className="usa-button-group margin-top-3">
          <li className="usa-button-group__item">
            <button type="submit" className="usa-button" disabled={busy !== null}>{busy === 'approved' ? 'Approving…' : 'Approve'}</button>
          </li>
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--secondary" disabled={busy !== null} onClick={() => void decide('rejected')}>
              {busy === 'rejected' ? 'Returning…' : 'Return to the author'}
            </button>
          </li>
        </ul>
      </form>
    </section>
  );
}
