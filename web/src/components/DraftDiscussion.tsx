// The discussion of a draft between its author and approvers: the comments so far, oldest first,
// and a form to add one (the author is told of approvers' comments).
import { useState, type FormEvent } from 'react';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import type { DraftComment } from '../contentTypes.js';
import { formatDateTime } from '../policyText.js';
import { ErrorSummary } from './Alerts.js';
import { TextAreaField } from './Fields.js';

export function DraftDiscussion({ draftId, comments, onDone }: { draftId: string; comments: DraftComment[]; onDone: (message: string) => Promise<void> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) {
      setError(new ApiError(400, { error: 'invalid', message: 'The comment was not added.', fields: [{ path: 'body.text', message: 'Write a comment.' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/content/drafts/${encodeURIComponent(draftId)}/comments`, { text: text.trim() });
      setText('');
      await onDone('Your comment was added.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="discussion-heading" data-testid="discussion">
      <h2 id="discussion-heading">Discussion</h2>
      {comments.length === 0 ? <p>No comments yet.</p> : (
        <ol className="usa-list usa-list--unstyled" data-testid="comments">
          {comments.map((c, i) => (
            <li key={`${c.at}-${i}`} className="border-left-05 border-base-lighter padding-left-2 margin-bottom-2">
              <p className="margin-y-05"><strong>{c.by}</strong>, <time dateTime={c.at}>{formatDateTime(c.at)}</time></p>
              <p className="margin-y-05 civic-record-text">{c.text}</p>
            </li>
          ))}
        </ol>
      )}
      <ErrorSummary error={error} fieldIds={{ text: 'comment-text' }} labels={{ text: 'Comment' }} />
      <form className="usa-form usa-form--large" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="discussion-heading">
        <TextAreaField id="comment-text" name="text" label="Add a comment" value={text} onChange={setText} error={fieldErrorsOf(error).text} maxLength={4000} />
        <button type="submit" className="usa-button usa-button--outline margin-top-2" disabled={busy}>{busy ? 'Adding…' : 'Add the comment'}</button>
      </form>
    </section>
  );
}
