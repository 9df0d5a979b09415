// A thread as the archive kept it: the post, then each comment, every version of each (oldest
// first), the deletions and hides with their times, and the moderation actions taken. Deleted and
// hidden items are marked as such, and their original text is still shown: nothing is lost.
import { Link, useSearchParams } from 'react-router-dom';
import { authorWords, kindWords, recordPath, threadPath } from '../archiveText.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { BackLink, RecordBadges, When, useCameFrom } from '../components/Archive.js';
import { Page } from '../components/Page.js';
import { humanize } from '../policyText.js';
import type { ArchiveRecord, ThreadItem, ThreadResponse } from '../types.js';
import { useApi } from '../useApi.js';

export function ArchiveThreadPage() {
  const [params] = useSearchParams();
  const id = params.get('id') ?? '';
  const { state } = useApi<ThreadResponse & { sources?: string[] }>(id ? `/api/archive/thread?id=${encodeURIComponent(id)}` : null);
  const from = useCameFrom();
  if (!id) {
    return (
      <Page title="Thread">
        <p>No thread was named. Find a post or comment with the <Link className="usa-link" to="/archive">archive search</Link> and open its thread from there.</p>
      </Page>
    );
  }
  return (
    <Page title="Archived thread" lead="The post and every comment on it as the archive kept them: every version, and every deletion, hide and moderation action with its time.">
      <BackLink to={from} />
      <p className="font-sans-2xs text-base-dark civic-break-any margin-top-0">Thread <code>{id}</code></p>
      {state.status === 'loading' ? <Loading what="the thread" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? <ThreadBody thread={state.data} /> : null}
    </Page>
  );
}

function ThreadBody({ thread }: { thread: ThreadResponse }) {
  const anchors = new Map<string, string>();
  if (thread.post) anchors.set(thread.post.platformId, 'thread-post');
  thread.comments.forEach((c, i) => anchors.set(c.platformId, `thread-comment-${i + 1}`));
  if (!thread.post && thread.comments.length === 0) {
    return <p>Nothing has been captured in this thread.</p>;
  }
  const here = threadPath(thread.threadId);
  return (
    <>
      <section aria-labelledby="post-heading">
        <h2 id="post-heading">Post</h2>
        {thread.post ? (
          <ItemCard item={thread.post} anchor="thread-post" headingLevel={3} anchors={anchors} threadId={thread.threadId} here={here} />
        ) : (
          <p>The post itself was not captured; its comments are below.</p>
        )}
      </section>
      <section className="margin-top-5" aria-labelledby="comments-heading">
        <h2 id="comments-heading">Comments ({thread.comments.length})</h2>
        {thread.comments.length ? (
          <ol className="civic-thread" data-testid="thread-comments">
            {thread.comments.map((c, i) => (
              <li key={c.platformId}>
                <ItemCard item={c} anchor={`thread-comment-${i + 1}`} number={i + 1} headingLevel={3} anchors={anchors} threadId={thread.threadId} here={here} />
              </li>
            ))}
          </ol>
        ) : <p>No comments were captured.</p>}
      </section>
    </>
  );
}

function itemTitle(item: ThreadItem, number?: number): string {
  const latest = item.versions.at(-1);
  const who = authorWords(latest?.author ?? item.versions[0]?.author);
  const what = item.kind === 'post' ? 'Post' : number !== undefined ? `Comment ${number}` : kindWords(item.kind);
  return who ? `${what} by ${who}` : what;
}

function visibilityOf(r: ArchiveRecord): string {
  const meta = r.canonical?.meta;
  if (meta && typeof meta === 'object' && 'visibility' in meta && typeof meta.visibility === 'string') return meta.visibility;
  return 'changed';
}

function metaWords(r: ArchiveRecord): string[] {
  const meta = r.canonical?.meta;
  if (!meta || typeof meta !== 'object') return [];
  return Object.entries(meta)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${humanize(k)}: ${String(v)}`);
}

function visibilityWords(r: ArchiveRecord): string {
  const v = visibilityOf(r);
  if (v === 'hidden') return 'Hidden';
  if (v === 'visible' || v === 'public' || v === 'shown') return 'Shown again';
  return `Visibility ${v}`;
}

type HistoryEntry = { what: 'deletion' | 'visibility' | 'moderation'; record: ArchiveRecord };

/** Deletions, hides and moderation actions together, in the order they were recorded. */
function historyOf(item: ThreadItem): HistoryEntry[] {
  const all: HistoryEntry[] = [
    ...item.deletions.map((record) => ({ what: 'deletion' as const, record })),
    ...item.visibilityChanges.map((record) => ({ what: 'visibility' as const, record })),
    ...item.moderationActions.map((record) => ({ what: 'moderation' as const, record })),
  ];
  return all.sort((a, b) => a.record.leafIndex - b.record.leafIndex);
}

function timeOf(r: ArchiveRecord): string {
  return r.platformTime ?? r.capturedAt;
}

function RecordLink({ record, here, label = 'Record' }: { record: ArchiveRecord; here: string; label?: string }) {
  return (
    <Link className="usa-link font-sans-2xs" to={recordPath(record.id)} state={{ from: here }}>
      {label} {record.leafIndex}
    </Link>
  );
}

function ItemCard({ item, anchor, number, headingLevel, anchors, threadId, here }: {
  item: ThreadItem;
  anchor: string;
  number?: number;
  headingLevel: 3;
  anchors: Map<string, string>;
  threadId: string;
  here: string;
}) {
  const H = `h${headingLevel}` as const;
  const headingId = `${anchor}-heading`;
  const lastDeletion = item.deletions.at(-1);
  const lastHide = [...item.visibilityChanges].reverse().find((v) => visibilityOf(v) === 'hidden');
  const replyTo = item.parentId && item.parentId !== threadId ? anchors.get(item.parentId) : undefined;
  const cls = `usa-card civic-item${item.deleted ? ' civic-item--deleted' : ''}${item.hidden ? ' civic-item--hidden' : ''}`;
  return (
    <article className={cls} id={anchor} aria-labelledby={headingId} data-testid="thread-item" data-platform-id={item.platformId}>
      <div className="usa-card__container">
        <div className="usa-card__header">
          <H className="usa-card__heading" id={headingId}>{itemTitle(item, number)}</H>
          <RecordBadges deleted={item.deleted} hidden={item.hidden} />
          {replyTo ? <p className="margin-y-05 font-sans-2xs">In reply to <a className="usa-link" href={`#${replyTo}`}>{replyTo.replace('thread-comment-', 'comment ').replace('thread-post', 'the post')}</a></p> : null}
        </div>
        <div className="usa-card__body">
          {item.deleted && lastDeletion ? (
            <p className="civic-flag civic-flag--deleted" data-testid="deleted-flag">
              <strong>Deleted on the platform <When iso={timeOf(lastDeletion)} /></strong>
              {lastDeletion.platformTime ? <> (captured <When iso={lastDeletion.capturedAt} />)</> : null}. The text below is what was archived before.
            </p>
          ) : null}
          {item.hidden && lastHide ? (
            <p className="civic-flag civic-flag--hidden" data-testid="hidden-flag">
              <strong>Hidden <When iso={timeOf(lastHide)} /></strong>. The public no longer sees it on the platform; the archive keeps it.
            </p>
          ) : null}

          <h4 className="margin-bottom-1">{item.versions.length === 1 ? 'Text' : `Versions (${item.versions.length}), oldest first`}</h4>
          {item.versions.length ? (
            <ol className="civic-versions">
              {item.versions.map((v, i) => (
                <li key={v.id} data-testid="version">
                  <p className="margin-y-05 font-sans-2xs text-base-dark">
                    {item.versions.length > 1 ? <strong className="text-ink">Version {i + 1}. </strong> : null}
                    Captured <When iso={v.capturedAt} />
                    {v.platformTime ? <>; on the platform <When iso={v.platformTime} /></> : null}. <RecordLink record={v} here={here} />
                  </p>
                  {v.destroyed ? (
                    <p className="text-base-dark">Destroyed under the retention schedule on <When iso={v.destroyed.at} />.</p>
                  ) : (
                    <blockquote className="civic-quote civic-record-text margin-top-05">{v.text || <span className="text-base-dark">No text</span>}</blockquote>
                  )}
                </li>
              ))}
            </ol>
          ) : <p>No version of this was captured, only what happened to it.</p>}

          {item.deletions.length || item.visibilityChanges.length || item.moderationActions.length ? (
            <>
              <h4 className="margin-bottom-1">What happened to it</h4>
              <ol className="usa-list civic-history">
                {historyOf(item).map(({ what, record: r }) => (
                  <li key={r.id} data-testid={what === 'moderation' ? 'moderation-action' : `history-${what}`}>
                    {what === 'deletion' ? <>Deleted on the platform <When iso={timeOf(r)} />.</> : null}
                    {what === 'visibility' ? <>{visibilityWords(r)} <When iso={timeOf(r)} />.</> : null}
                    {what === 'moderation' ? (
                      <>
                        Moderation action <When iso={timeOf(r)} />{r.author ? <> by {authorWords(r.author)}</> : null}: {r.text || 'no note'}
                        {metaWords(r).length ? <span className="display-block font-sans-2xs text-base-dark">{metaWords(r).join(' · ')}</span> : null}
                      </>
                    ) : null}
                    {' '}<RecordLink record={r} here={here} />
                  </li>
                ))}
              </ol>
            </>
          ) : null}
        </div>
      </div>
    </article>
  );
}
