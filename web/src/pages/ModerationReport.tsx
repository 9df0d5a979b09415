// "Report a comment", for staff whose roles may report a comment but not see the moderation queue
// (Kalispell's employees: KA-2, KA-10). It says who reports go to and that they cannot hide or
// remove anything themselves; lists the recent public comments on the city's accounts (the text as
// the public sees it, not the classifier's labels or the moderators' history), finds one by the
// link copied from the platform, and reports one with a reason and, optionally, a clause. The
// link and account filter live in the query string so a search can be shared or reloaded.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.js';
import { accountLabel } from '../accountText.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { SelectField, TextField } from '../components/Fields.js';
import { StatusTag } from '../components/AccountBits.js';
import { ReportForm } from '../components/ModerationReportForm.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { excerpt } from '../contentText.js';
import { authorOf, reportToWords } from '../moderationText.js';
import type { ReportableComment, ReportableList } from '../moderationTypes.js';
import { dateTimeParts } from '../policyText.js';
import { useApi } from '../useApi.js';
import '../components/Moderation.css';

type Rules = Omit<ReportableList, 'items'>;

export function ModerationReportPage() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const link = params.get('link') ?? '';
  const accountId = params.get('accountId') ?? '';
  const query = new URLSearchParams([...(link ? [['link', link]] : []), ...(accountId ? [['accountId', accountId]] : [])]).toString();
  const list = useApi<ReportableList>(`/api/moderation/reportable${query ? `?${query}` : ''}`);
  const [linkInput, setLinkInput] = useState(link);
  const [rules, setRules] = useState<Rules | null>(null);
  const [accounts, setAccounts] = useState<Array<{ id: string; label: string }>>([]);
  const [reporting, setReporting] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const reportButtons = useRef(new Map<string, HTMLButtonElement | null>());

  useEffect(() => setLinkInput(link), [link]);
  // What the page says around the list survives a failed search; the account filter keeps every account seen.
  useEffect(() => {
    if (list.state.status !== 'ready') return;
    const { items, ...rest } = list.state.data;
    setRules(rest);
    setAccounts((seen) => {
      const more = items.filter((i) => !seen.some((s) => s.id === i.accountId)).map((i) => ({ id: i.accountId, label: accountLabel(i.account) }));
      return more.length ? [...seen, ...new Map(more.map((m) => [m.id, m])).values()] : seen;
    });
  }, [list.state]);

  const decidedBy = reportToWords(rules?.reportTo.map((r) => r.title) ?? []);
  const go = (next: { link?: string; accountId?: string }) => {
    const out = new URLSearchParams();
    if (next.link) out.set('link', next.link);
    if (next.accountId) out.set('accountId', next.accountId);
    setStatus('');
    setReporting(null);
    navigate({ search: out.toString() });
  };
  const find = (e: FormEvent) => {
    e.preventDefault();
    go({ link: linkInput.trim(), accountId });
  };
  const cancel = useCallback(() => {
    const id = reporting;
    setReporting(null);
    if (id) reportButtons.current.get(id)?.focus();
  }, [reporting]);
  const done = useCallback(async (message: string) => {
    setReporting(null);
    setStatus(message);
    await list.reload();
  }, [list]);

  const linkError = list.state.status === 'error' && list.state.error instanceof ApiError && list.state.error.status === 400 ? list.state.error : null;
  const items = list.state.status === 'ready' ? list.state.data.items : [];

  return (
    <Page title="Report a comment" lead="If a comment on one of the city's accounts breaks the Acceptable Use Policy, report it here.">
      <Alert kind="info" heading="Who decides" role="region" id="report-who">
        <p className="margin-top-0" data-testid="report-to">
          Your report goes to {decidedBy}, who decide{rules && rules.reportTo.length === 1 ? 's' : ''} whether the comment stays or is hidden. <Sources ids={rules?.sources} />
        </p>
        <p className="margin-bottom-0" data-testid="report-limits">
          You cannot hide, remove or answer comments yourself, and reporting one changes nothing on the platform: it stays visible until they decide.
        </p>
      </Alert>
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim focus>{status}</Alert> : null}</div>

      <form className="usa-form usa-form--large civic-search-form" aria-labelledby="find-heading" noValidate onSubmit={find}>
        <h2 id="find-heading">Find a comment by its link</h2>
        {linkError ? <ErrorSummary error={linkError} fieldIds={{ link: 'report-link' }} labels={{ link: 'Link to the comment' }} /> : null}
        <TextField id="report-link" name="link" label="Link to the comment" value={linkInput} onChange={setLinkInput} optional="quiet" spellCheck={false}
          hint="Copy it from the platform: a Bluesky post link (bsky.app/profile/…/post/…) or at:// address, or a Facebook comment link or number."
          error={linkError?.fieldMessages().link} />
        <ul className="usa-button-group margin-top-2">
          <li className="usa-button-group__item"><button type="submit" className="usa-button">Find the comment</button></li>
          {link ? (
            <li className="usa-button-group__item">
              <button type="button" className="usa-button usa-button--unstyled padding-105" onClick={() => go({ accountId })}>Show recent comments</button>
            </li>
          ) : null}
        </ul>
      </form>

      <section className="margin-top-4" aria-labelledby="comments-heading">
        <h2 id="comments-heading">{link ? 'The comment at that link' : 'Recent comments on the city\'s accounts'}</h2>
        {accounts.length > 1 && !link ? (
          <div className="maxw-mobile-lg">
            <SelectField id="report-account" name="accountId" label="Account" optional="quiet" placeholder="All accounts" value={accountId}
              onChange={(value) => go({ accountId: value })} options={accounts.map((a) => ({ value: a.id, label: a.label }))} />
          </div>
        ) : null}
        {list.state.status === 'loading' ? <Loading what="the comments" /> : null}
        {list.state.status === 'error' && !linkError ? <ApiErrorAlert error={list.state.error} /> : null}
        {list.state.status === 'ready' && items.length === 0 ? (
          <p data-testid="reportable-none">
            {link ? 'No comment at that link is in the city\'s archive. CivicDesk has only the comments it captured on the city\'s own accounts.' : 'No comments on the city\'s accounts yet.'}
          </p>
        ) : null}
        {items.length ? (
          <ol className="civic-reportable" data-testid="reportable">
            {items.map((item) => (
              <li key={item.id} className="civic-reportable__item" data-item={item.id} data-reported={item.reported ? 'true' : undefined}>
                <CommentCard item={item} />
                {item.reported ? <p className="margin-y-1"><StatusTag tone="info" testId="reported">{item.reportedByYou ? 'Reported by you' : 'Reported'}</StatusTag></p> : null}
                {!item.canReport ? (
                  <p className="margin-bottom-0" data-testid="under-review">Already with the people who review comments.</p>
                ) : reporting === item.id ? (
                  <ReportForm itemId={item.id} clauses={rules?.clauses ?? []} decidedBy={decidedBy} onDone={done} onCancel={cancel} />
                ) : item.reportedByYou ? null : (
                  <button type="button" className="usa-button usa-button--outline margin-top-1" ref={(el) => { reportButtons.current.set(item.id, el); }}
                    onClick={() => { setStatus(''); setReporting(item.id); }}>
                    {item.reported ? 'Report it too' : 'Report this comment'}<span className="usa-sr-only">: {excerpt(item.text, 60)}</span>
                  </button>
                )}
              </li>
            ))}
          </ol>
        ) : null}
      </section>
    </Page>
  );
}

/** The comment as the public sees it: its words, who wrote it, where and when. */
function CommentCard({ item }: { item: ReportableComment }) {
  const when = dateTimeParts(item.createdAt);
  return (
    <>
      <blockquote className="civic-quote civic-record-text margin-top-0" data-testid="reportable-text">{item.text}</blockquote>
      <p className="margin-y-1">
        By <span className="civic-break-any">{authorOf(item) ?? 'an unknown author'}</span> on {accountLabel(item.account)}, <time dateTime={item.createdAt}>{when.date} {when.time}</time>
        {item.url ? <>. <a className="usa-link" href={item.url}>See it on Bluesky</a></> : null}
      </p>
    </>
  );
}
