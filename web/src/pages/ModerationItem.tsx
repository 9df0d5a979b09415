// One comment: its text, author and account, the classifier's labels and evidence, the warnings a
// moderator must read, a proposed removal awaiting approval, the actions the person may take, the
// warning given to the commenter, what is on record about the author (and blocking, where the
// policy allows it), the consistency panel (comments with the same labels and how each was
// handled), and the history of every action (who, clause, reason, policy version, when).
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { threadPath } from '../archiveText.js';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { ModerationActions } from '../components/ModerationActions.js';
import { LabelTags, ModerationStateTag } from '../components/ModerationBits.js';
import { ModerationHistory, SimilarComments } from '../components/ModerationPanels.js';
import { WarnCommenter } from '../components/ModerationWarn.js';
import { AuthorOnRecord } from '../components/ModerationBlocks.js';
import { Page } from '../components/Page.js';
import { excerpt } from '../contentText.js';
import { authorOf } from '../moderationText.js';
import type { ModerationDetail } from '../moderationTypes.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { PolicyPack, PolicyResponse } from '../types.js';
import { useAccountNames } from '../useAccountNames.js';
import { useApi } from '../useApi.js';
import '../components/Moderation.css';

export function ModerationItemPage() {
  const { id = '' } = useParams();
  const session = useSignedIn();
  const detail = useApi<ModerationDetail>(`/api/moderation/items/${encodeURIComponent(id)}`);
  const policy = useApi<PolicyResponse>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const nameOf = useAccountNames();
  const [status, setStatus] = useState('');
  const title = detail.state.status === 'ready' ? `Comment: ${excerpt(detail.state.data.text, 60)}` : 'Comment';
  const pack = policy.state.status === 'ready' ? policy.state.data.pack : null;

  const done = useCallback(async (message: string) => {
    setStatus(message);
    await detail.reload();
  }, [detail]);

  return (
    <Page title={title}>
      <p className="margin-top-0"><Link className="usa-link" to="/moderation">Back to the queue</Link></p>
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      {detail.state.status === 'loading' ? <Loading what="the comment" /> : null}
      {detail.state.status === 'error' ? <ApiErrorAlert error={detail.state.error} /> : null}
      {detail.state.status === 'ready' ? <ItemBody item={detail.state.data} pack={pack} nameOf={nameOf} onDone={done} /> : null}
    </Page>
  );
}

function ItemBody({ item, pack, nameOf, onDone }: {
  item: ModerationDetail;
  pack: PolicyPack | null;
  nameOf: (id: string, platform?: string) => string;
  onDone: (message: string) => Promise<void>;
}) {
  const session = useSignedIn();
  const clause = (clauseId: string | null | undefined) => pack?.acceptableUse.clauses.find((c) => c.id === clauseId);
  const proposedBy = [...item.actions].reverse().find((a) => a.action === 'escalate')?.by;
  const proposed = item.proposal ? clause(item.proposal.clauseId) : undefined;

  return (
    <>
      <p className="font-sans-md margin-top-1">
        <ModerationStateTag state={item.state} testId="item-state" />{' '}
        by <span className="civic-break-any" data-testid="item-author">{authorOf(item) ?? 'an unknown author'}</span> on {nameOf(item.accountId, item.platform)}, received <time dateTime={item.createdAt}>{formatDateTime(item.createdAt)}</time>
      </p>

      <section aria-labelledby="comment-heading">
        <h2 id="comment-heading">The comment</h2>
        <div className="civic-quote civic-record-text" data-testid="item-text">{item.text}</div>
        {hasPermission(session, 'archive.search') && item.threadId ? (
          <p><Link className="usa-link" to={threadPath(item.threadId)}>See the thread in the archive</Link></p>
        ) : null}
        <h3>Labels</h3>
        <p className="margin-top-0">A classifier's hint, never a reason to act. Open a label to see its evidence.</p>
        <LabelTags labels={item.labels} evidence={item.evidence} viewpoint={item.viewpoint} />
      </section>

      {item.warnings.length ? (
        <Alert kind="warning" heading="Before removing this comment" role="region" id="item-warnings">
          <ul className="usa-list margin-bottom-0" data-testid="item-warnings">{item.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </Alert>
      ) : null}

      {item.proposal ? (
        <section aria-labelledby="proposal-heading" data-testid="proposal">
          <h2 id="proposal-heading">Proposed removal</h2>
          <p>
            {proposedBy ? `${proposedBy} proposed` : 'Proposed'} removing it under clause <strong>{item.proposal.clauseId}</strong>
            {proposed ? <>: <q>{proposed.text}</q></> : null}
          </p>
          <p>Reason: <q data-testid="proposal-reason">{item.proposal.reason}</q></p>
        </section>
      ) : null}

      <ModerationActions item={item} pack={pack} onDone={onDone} />
      {hasPermission(session, 'comment.hide') ? <WarnCommenter key={`${item.id}-${item.state}`} item={item} pack={pack} onDone={onDone} /> : null}
      <AuthorOnRecord item={item} pack={pack} onDone={onDone} />
      <SimilarComments similar={item.similar} />
      <ModerationHistory actions={item.actions} clauseText={(id) => clause(id)?.text} />
    </>
  );
}
