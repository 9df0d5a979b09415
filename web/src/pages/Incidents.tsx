// Incidents: vandalism alerts (a post on a city account that CivicDesk did not publish) and
// emergencies, newest first, each linking to its account, where the account can be suspended.
import { Link } from 'react-router-dom';
import { StatusTag } from '../components/AccountBits.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import type { Incident } from '../contentTypes.js';
import { formatDateTime, humanize } from '../policyText.js';
import { useAccountNames } from '../useAccountNames.js';
import { useApi } from '../useApi.js';

const KIND_WORDS: Record<string, string> = {
  vandalism: 'Possible vandalism',
  emergency: 'Emergency',
};

export function IncidentsPage() {
  const incidents = useApi<Incident[]>('/api/incidents');
  const nameOf = useAccountNames();
  return (
    <Page title="Incidents" lead="Posts on the city's accounts that did not come through CivicDesk, and emergencies. Open the account to suspend it if it may have been taken over.">
      {incidents.state.status === 'loading' ? <Loading what="incidents" /> : null}
      {incidents.state.status === 'error' ? <ApiErrorAlert error={incidents.state.error} /> : null}
      {incidents.state.status === 'ready' ? (
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="incidents-caption">
          <table className="usa-table usa-table--striped width-full civic-results" data-testid="incidents">
            <caption id="incidents-caption">Incidents ({incidents.state.data.length})</caption>
            <thead>
              <tr>
                <th scope="col">What happened</th>
                <th scope="col">Status</th>
                <th scope="col">Account</th>
                <th scope="col">Opened</th>
                <th scope="col">Resolved</th>
              </tr>
            </thead>
            <tbody>
              {incidents.state.data.length === 0 ? <tr><td colSpan={5}>No incidents.</td></tr> : incidents.state.data.map((i) => (
                <tr key={i.id} data-incident={i.id} data-kind={i.kind}>
                  <th scope="row">
                    {KIND_WORDS[i.kind] ?? humanize(i.kind)}
                    <span className="display-block text-normal civic-break-any">{i.summary}</span>
                  </th>
                  <td><StatusTag tone={i.status === 'open' ? 'bad' : 'muted'}>{humanize(i.status)}</StatusTag></td>
                  <td>
                    {i.accountId ? <Link className="usa-link" to={`/accounts/${encodeURIComponent(i.accountId)}`}>{nameOf(i.accountId)}</Link> : <span className="text-base-dark">None</span>}
                  </td>
                  <td><time dateTime={i.openedAt}>{formatDateTime(i.openedAt)}</time></td>
                  <td>{i.resolvedAt ? <time dateTime={i.resolvedAt}>{formatDateTime(i.resolvedAt)}</time> : <span className="text-base-dark">Not yet</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}
