// Approval requests: those waiting for one of my roles ("My approvals"), those I made ("My
// requests") and, with account.view, every request I may see, filtered by status and type.
import { Link, useSearchParams } from 'react-router-dom';
import { REQUEST_STATUSES, REQUEST_TYPES, requestStatusWords, requestTypeWords } from '../accountText.js';
import { RequestStatusTag } from '../components/AccountBits.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { SelectField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { formatDate } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { RequestStatus, RequestType, RequestView } from '../types.js';
import { useApi, type Loadable } from '../useApi.js';

export function RequestsPage() {
  const session = useSignedIn();
  const canSeeAll = hasPermission(session, 'account.view');
  const canRequest = hasPermission(session, ['account.request', 'access.request']);
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get('status') ?? '';
  const rawType = params.get('type') ?? '';
  const status = (REQUEST_STATUSES as string[]).includes(rawStatus) ? (rawStatus as RequestStatus) : '';
  const type = (REQUEST_TYPES as string[]).includes(rawType) ? (rawType as RequestType) : '';
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (type) query.set('type', type);
  const mine = useApi<RequestView[]>('/api/requests?queue=mine');
  const submitted = useApi<RequestView[]>('/api/requests?queue=submitted');
  const all = useApi<RequestView[]>(canSeeAll ? `/api/requests${query.toString() ? `?${query.toString()}` : ''}` : null);

  const setFilter = (name: 'status' | 'type', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <Page title="Requests" lead="New accounts, administrator changes, staff access, retirements and new platforms go through the approval chain the city's policy sets.">
      {canRequest ? <p><Link className="usa-button" to="/requests/new">Make a request</Link></p> : null}

      <section aria-labelledby="mine-heading" data-testid="my-approvals">
        <h2 id="mine-heading">My approvals</h2>
        <p>Requests waiting for a decision from one of your roles.</p>
        <RequestsTable id="mine" state={mine.state} caption="Waiting for your decision" empty="Nothing is waiting for you." />
      </section>

      <section aria-labelledby="submitted-heading" data-testid="my-requests">
        <h2 id="submitted-heading">My requests</h2>
        <RequestsTable id="submitted" state={submitted.state} caption="Requests you made" empty="You have not made any requests." />
      </section>

      {canSeeAll ? (
        <section aria-labelledby="all-heading" data-testid="all-requests">
          <h2 id="all-heading">All requests</h2>
          <form className="usa-form civic-filter grid-row grid-gap" aria-label="Filter all requests" onSubmit={(e) => e.preventDefault()}>
            <div className="mobile-lg:grid-col-6">
              <SelectField
                id="request-status-filter"
                name="status"
                label="Status"
                optional="quiet"
                value={status}
                placeholder="Any status"
                options={REQUEST_STATUSES.map((s) => ({ value: s, label: requestStatusWords(s) }))}
                onChange={(v) => setFilter('status', v)}
              />
            </div>
            <div className="mobile-lg:grid-col-6">
              <SelectField
                id="request-type-filter"
                name="type"
                label="Kind of request"
                optional="quiet"
                value={type}
                placeholder="Any kind"
                options={REQUEST_TYPES.map((t) => ({ value: t, label: requestTypeWords(t) }))}
                onChange={(v) => setFilter('type', v)}
              />
            </div>
          </form>
          <RequestsTable id="all" state={all.state} caption={status ? `${requestStatusWords(status)} requests` : 'All requests'} empty="No requests match." />
        </section>
      ) : null}
    </Page>
  );
}

function RequestsTable({ id, state, caption, empty }: { id: string; state: Loadable<RequestView[]>; caption: string; empty: string }) {
  if (state.status === 'loading') return <Loading what="requests" />;
  if (state.status === 'error') return <ApiErrorAlert error={state.error} />;
  const rows = state.data;
  const captionId = `${id}-caption`;
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
      <table className="usa-table usa-table--striped width-full civic-results" data-testid={`requests-${id}`}>
        <caption id={captionId}>{caption} ({rows.length})</caption>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
            <th scope="col">Waiting for</th>
            <th scope="col">Requested by</th>
            <th scope="col">Made on</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? <tr><td colSpan={5}>{empty}</td></tr> : rows.map((r) => (
            <tr key={r.id} data-request={r.id}>
              <th scope="row">
                <Link className="usa-link" to={`/requests/${encodeURIComponent(r.id)}`}>{r.summary}</Link>
                <span className="display-block font-sans-3xs text-base-dark">{requestTypeWords(r.type)}</span>
              </th>
              <td><RequestStatusTag status={r.status} /></td>
              <td>
                {r.awaiting ? (
                  <>The {r.awaiting.roleTitle} <span className="display-block font-sans-3xs text-base-dark">Step {r.awaiting.index + 1} of {r.chain.steps.length}: {r.awaiting.label}</span></>
                ) : <span className="text-base-dark">Nobody</span>}
              </td>
              <td>{r.requestedBy.name}</td>
              <td><time dateTime={r.createdAt}>{formatDate(r.createdAt)}</time></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
