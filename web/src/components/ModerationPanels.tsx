// The consistency panel (comments with the same labels and how each was handled, so like comments
// are treated alike) and a comment's action history (who, what, clause, reason, policy version, when).
import { Link } from 'react-router-dom';
import { excerpt } from '../contentText.js';
import { actionWords, labelWords } from '../moderationText.js';
import type { ModerationActionView, SimilarComment } from '../moderationTypes.js';
import { dateTimeParts, shortDigest } from '../policyText.js';
import { ModerationStateTag } from './ModerationBits.js';

export function SimilarComments({ similar }: { similar: SimilarComment[] }) {
  return (
    <section aria-labelledby="similar-heading">
      <h2 id="similar-heading">Similar comments</h2>
      <p>Comments with the same labels, and how each was handled. Treat like comments alike.</p>
      {similar.length === 0 ? <p data-testid="similar-none">No other comment has these labels.</p> : (
        <table className="usa-table usa-table--borderless width-full" data-testid="similar">
          <caption className="usa-sr-only">Similar comments ({similar.length})</caption>
          <thead><tr><th scope="col">Comment</th><th scope="col">Labels</th><th scope="col">State</th></tr></thead>
          <tbody>
            {similar.map((s) => (
              <tr key={s.id} data-item={s.id}>
                <th scope="row"><Link className="usa-link" to={`/moderation/${encodeURIComponent(s.id)}`}>{excerpt(s.text, 100)}</Link></th>
                <td>{s.labels.map(labelWords).join(', ')}</td>
                <td><ModerationStateTag state={s.state} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ModerationHistory({ actions, clauseText }: { actions: ModerationActionView[]; clauseText: (id: string) => string | undefined }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {actions.length === 0 ? <p data-testid="history-none">No one has acted on this comment yet.</p> : (
        <div className="usa-table-container--scrollable civic-table-scroll">
          <table className="usa-table usa-table--borderless width-full" data-testid="history">
            <caption className="usa-sr-only">Actions on this comment, oldest first</caption>
            <thead>
              <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Clause</th><th scope="col">Reason</th><th scope="col">Policy version</th></tr>
            </thead>
            <tbody>
              {actions.map((a, i) => {
                const when = dateTimeParts(a.at);
                const text = a.clauseId ? clauseText(a.clauseId) : undefined;
                return (
                  <tr key={`${a.at}-${i}`} data-action={a.action}>
                    <td><time dateTime={a.at}>{when.date} <span className="civic-nowrap">{when.time}</span></time></td>
                    <td>{a.by}</td>
                    <th scope="row">{actionWords(a.action)}</th>
                    <td>{a.clauseId ? <><strong>{a.clauseId}</strong>{text ? <span className="display-block">{excerpt(text, 120)}</span> : null}</> : '—'}</td>
                    <td>{a.reason ?? '—'}</td>
                    <td><code title={a.packVersion}>{shortDigest(a.packVersion)}</code></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
