// Pieces the records pages share: status and deadline tags (the words say it; colour is a second
// cue only), and the two tables of requests (open ones by due date, and the log of all of them).
import { Link } from 'react-router-dom';
import { formatDate } from '../policyText.js';
import { cityDayWords, deadlineTone, deadlineWords, recordsRequestPath, recordsStatusTone, recordsStatusWords } from '../recordsText.js';
import type { DeadlineState, RecordsRequestSummary, RecordsStatus } from '../recordsTypes.js';
import { StatusTag } from './AccountBits.js';

export function RecordsStatusTag({ status, testId }: { status: RecordsStatus; testId?: string }) {
  return <StatusTag tone={recordsStatusTone(status)} testId={testId}>{recordsStatusWords(status)}</StatusTag>;
}

export function DeadlineTag({ deadline, business, testId }: { deadline: DeadlineState; business: boolean; testId?: string }) {
  return <StatusTag tone={deadlineTone(deadline)} testId={testId}>{deadlineWords(deadline, business)}</StatusTag>;
}

function excerpt(text: string, max = 140): string {
  return text.length > max ? `${text.slice(0, max).trimEnd()}…` : text;
}

/** Open requests, soonest due first (the server orders them; overdue ones come first). */
export function DeadlinesTable({ rows, timeZone }: { rows: RecordsRequestSummary[]; timeZone?: string }) {
  if (rows.length === 0) return <p data-testid="deadlines-empty">No request is waiting for an answer.</p>;
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="deadlines-caption">
      <table className="usa-table usa-table--striped width-full civic-results" data-testid="deadlines">
        <caption id="deadlines-caption">Unanswered requests, soonest due first ({rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">Requester</th>
            <th scope="col">Received</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-request={r.number}>
              <th scope="row" className="text-normal civic-break">
                <Link className="usa-link text-bold" to={recordsRequestPath(r.id)}>{r.number}</Link>
                <span className="display-block">{excerpt(r.scope)}</span>
              </th>
              <td className="civic-nowrap">
                <time dateTime={r.dueOn} data-testid="due-on">{formatDate(r.dueOn)}</time>
                {r.deadline ? <span className="display-block"><DeadlineTag deadline={r.deadline} business={r.clock.business} testId="days-left" /></span> : null}
              </td>
              <td><RecordsStatusTag status={r.status} /></td>
              <td className="civic-break">{r.requesterName}{r.forwardedBy ? <span className="display-block font-sans-3xs text-base-dark">Forwarded by staff</span> : null}</td>
              <td className="civic-nowrap"><time dateTime={r.receivedAt}>{cityDayWords(r.receivedAt, timeZone)}</time></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Every request the person may see, newest first, as the filters above it choose. */
export function RequestsLog({ rows, caption, timeZone }: { rows: RecordsRequestSummary[]; caption: string; timeZone?: string }) {
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="log-caption">
      <table className="usa-table usa-table--striped width-full civic-results" data-testid="requests-log">
        <caption id="log-caption">{caption} ({rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
            <th scope="col">Requester</th>
            <th scope="col">Received</th>
            <th scope="col">Due</th>
            <th scope="col">Answered</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? <tr><td colSpan={6}>No requests match.</td></tr> : rows.map((r) => (
            <tr key={r.id} data-request={r.number}>
              <th scope="row" className="text-normal civic-break">
                <Link className="usa-link text-bold" to={recordsRequestPath(r.id)}>{r.number}</Link>
                <span className="display-block">{excerpt(r.scope, 100)}</span>
              </th>
              <td><RecordsStatusTag status={r.status} /></td>
              <td className="civic-break">{r.requesterName}</td>
              <td className="civic-nowrap"><time dateTime={r.receivedAt}>{cityDayWords(r.receivedAt, timeZone)}</time></td>
              <td className="civic-nowrap">
                <time dateTime={r.dueOn}>{formatDate(r.dueOn)}</time>
                {r.deadline?.overdue ? <span className="display-block"><DeadlineTag deadline={r.deadline} business={r.clock.business} /></span> : null}
              </td>
              <td className="civic-nowrap">{r.answeredAt ? <time dateTime={r.answeredAt}>{cityDayWords(r.answeredAt, timeZone)}</time> : <span className="text-base-dark">Not yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
