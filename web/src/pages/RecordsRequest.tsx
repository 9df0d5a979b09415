// One public records request, worked from intake to answer: what was asked and by whom, the
// statutory clock (copied from the policy at intake, so the due date never moves), the custodian's
// actions and letters, the archive search that freezes the candidate set, review and redaction of
// each record, the production package, and the history of every change (each one an event).
import { useCallback, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Actor, When } from '../components/Archive.js';
import { Page } from '../components/Page.js';
import { RecordsActions } from '../components/RecordsActions.js';
import { RecordsAnswer } from '../components/RecordsAnswer.js';
import { DeadlineTag, RecordsStatusTag } from '../components/RecordsBits.js';
import { RecordsProduce } from '../components/RecordsProduce.js';
import { RecordsReview } from '../components/RecordsReview.js';
import { RecordsSearch } from '../components/RecordsSearch.js';
import { Sources } from '../components/Sources.js';
import { formatDate } from '../policyText.js';
import { useRecordsPolicy, type RecordsPolicy } from '../recordsPolicy.js';
import { cityDayWords, clockWords, historyDetail, historyWords, hoursWords, moneyWords, recordsStatusWords, statusOf } from '../recordsText.js';
import type { RecordsRequestDetail } from '../recordsTypes.js';
import { useSignedIn } from '../session.js';
import { useApi } from '../useApi.js';
import '../components/Records.css';

function createdJustNow(state: unknown): string | null {
  return state && typeof state === 'object' && 'created' in state && typeof state.created === 'string' ? state.created : null;
}

export function RecordsRequestPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const session = useSignedIn();
  const policy = useRecordsPolicy(session);
  const detail = useApi<RecordsRequestDetail>(`/api/records/requests/${encodeURIComponent(id)}`);
  const [status, setStatus] = useState('');
  const data = detail.state.status === 'ready' ? detail.state.data : null;
  const title = data ? `Records request ${data.request.number}` : 'Records request';
  const created = createdJustNow(location.state);

  const done = useCallback(async (message: string) => {
    setStatus(message);
    await detail.reload();
  }, [detail]);

  return (
    <Page title={title}>
      <p className="margin-top-0"><Link className="usa-link" to="/records">Back to records requests</Link></p>
      <div role="status" className="civic-status" data-testid="records-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      {created && !status ? <Alert kind="success" slim>Took in request {created}. Its due date is set below.</Alert> : null}
      {detail.state.status === 'loading' ? <Loading what="the request" /> : null}
      {detail.state.status === 'error' ? <ApiErrorAlert error={detail.state.error} /> : null}
      {data ? <RequestBody detail={data} policy={policy} onDone={done} /> : null}
    </Page>
  );
}

function RequestBody({ detail, policy, onDone }: { detail: RecordsRequestDetail; policy: RecordsPolicy; onDone: (m: string) => Promise<void> }) {
  const r = detail.request;
  const forwarder = detail.history.find((h) => h.action === 'records.request_forwarded')?.by;
  const exemptions = policy.rules?.exemptions ?? [];
  return (
    <>
      <p className="font-sans-md margin-top-1">
        <RecordsStatusTag status={r.status} testId="request-status" />{' '}
        from <strong>{r.requesterName}</strong>, received <time dateTime={r.receivedAt}>{cityDayWords(r.receivedAt, policy.timeZone)}</time>
      </p>

      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading">The request</h2>
        <div className="civic-quote civic-record-text" data-testid="request-scope">{r.scope}</div>
        <table className="usa-table usa-table--borderless civic-fields" data-testid="request-facts">
          <caption className="usa-sr-only">About the request</caption>
          <tbody>
            <tr><th scope="row">Requester</th><td className="civic-break-any">{r.requesterName}</td></tr>
            <tr><th scope="row">Answer them at</th><td className="civic-break-any">{r.requesterContact}</td></tr>
            <tr><th scope="row">Received</th><td><When iso={r.receivedAt} /></td></tr>
            <tr><th scope="row">Came in</th><td>{forwarder ? <>Forwarded by <Actor label={forwarder} /></> : 'Taken in by the custodian'}</td></tr>
            <tr><th scope="row">Fee estimate</th><td data-testid="fee-estimate">{moneyWords(r.feeEstimateCents)}</td></tr>
            <tr><th scope="row">Time estimate</th><td>{hoursWords(r.timeEstimateHours)}</td></tr>
            <tr><th scope="row">Acknowledged</th><td><When iso={r.acknowledgedAt} fallback="Not yet" /></td></tr>
            <tr><th scope="row">Answered</th><td><When iso={r.answeredAt} fallback="Not yet" /></td></tr>
            {r.closedAt ? <tr><th scope="row">Closed</th><td><When iso={r.closedAt} /></td></tr> : null}
            <tr><th scope="row">Notes</th><td className="civic-record-text">{r.notes ?? <span className="text-base-dark">None</span>}</td></tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="clock-heading" data-testid="clock">
        <h2 id="clock-heading">Time to answer</h2>
        <p className="margin-bottom-1">
          Due by <strong><time dateTime={r.dueOn} data-testid="due-on">{formatDate(r.dueOn)}</time></strong>:{' '}
          {clockWords(r.clock)} from the day the city received it, counting {r.clock.business ? 'weekdays only' : 'every day'}.{' '}
          {r.deadline ? <DeadlineTag deadline={r.deadline} business={r.clock.business} testId="days-left" /> : <span>Answered, so the clock has stopped.</span>}
        </p>
        <p className="margin-top-1">Law: {r.clock.statute} {policy.rules ? <Sources ids={policy.rules.sources} /> : null}</p>
        {policy.rules?.clock.note ? <p className="text-base-dark civic-statement">{policy.rules.clock.note}</p> : null}
      </section>

      <RecordsActions request={r} onDone={onDone} />
      <RecordsSearch request={r} searches={detail.searches} onDone={onDone} />
      <RecordsReview detail={detail} exemptions={exemptions} onDone={onDone} />
      <RecordsProduce detail={detail} exemptions={exemptions} onDone={onDone} />
      <RecordsAnswer detail={detail} exemptions={exemptions} onDone={onDone} />
      <History detail={detail} />
    </>
  );
}

function History({ detail }: { detail: RecordsRequestDetail }) {
  return (
    <section aria-labelledby="history-heading" className="margin-top-6">
      <h2 id="history-heading">History</h2>
      <p>Every change to this request, as the event log keeps it.</p>
      <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="history-caption">
        <table className="usa-table usa-table--striped width-full civic-results" data-testid="history">
          <caption id="history-caption" className="usa-sr-only">History of the request</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Status</th><th scope="col">Who</th></tr>
          </thead>
          <tbody>
            {detail.history.map((h, i) => {
              const before = statusOf(h.before);
              const after = statusOf(h.after);
              const extra = historyDetail(h.after);
              return (
                <tr key={`${h.at}-${i}`}>
                  <td className="civic-nowrap"><When iso={h.at} /></td>
                  <td className="civic-break">{historyWords(h.action)}{extra ? <span className="display-block font-sans-3xs">{extra}</span> : null}</td>
                  <td>{after && before !== after ? <>{before ? `${recordsStatusWords(before)} → ` : ''}{recordsStatusWords(after)}</> : <span className="text-base-dark">Unchanged</span>}</td>
                  <td className="civic-break"><Actor label={h.by} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
