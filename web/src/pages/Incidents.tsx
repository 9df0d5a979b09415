// Incidents: vandalism alerts (a post or a profile change on a city account that CivicDesk did not
// make) and emergencies, newest first, each linking to its account, where the account can be
// suspended. Open emergencies get their updates and the form to post one from an approved
// template; below, the city's pre-approved emergency templates (LX-5, BZ-6, BZ-8).
import { Link } from 'react-router-dom';
import { StatusTag } from '../components/AccountBits.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { EmergencyPanel, OpenEmergency } from '../components/EmergencyPanel.js';
import { IncidentTemplates } from '../components/IncidentTemplates.js';
import { Page } from '../components/Page.js';
import { formatDateTime, humanize } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import { leadRoleTitles, type IncidentPolicy, type IncidentWithUpdates, type TemplateView } from '../templateTypes.js';
import type { Account } from '../types.js';
import { useAccountNames } from '../useAccountNames.js';
import { useApi } from '../useApi.js';

const KIND_WORDS: Record<string, string> = {
  vandalism: 'Possible vandalism',
  emergency: 'Emergency',
};

/** Who works with templates: writers, approvers and emergency leads. */
const TEMPLATE_NEED = ['content.submit', 'content.approve', 'incident.lead'];

export function IncidentsPage() {
  const session = useSignedIn();
  const canPost = hasPermission(session, 'content.submit');
  const canLead = hasPermission(session, 'incident.lead');
  const incidents = useApi<IncidentWithUpdates[]>('/api/incidents');
  const templates = useApi<TemplateView[]>(hasPermission(session, TEMPLATE_NEED) ? '/api/content/templates' : null);
  const accounts = useApi<Account[]>(canPost ? '/api/content/accounts' : null);
  const policy = useApi<IncidentPolicy>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const nameOf = useAccountNames();
  const templateList = templates.state.status === 'ready' ? templates.state.data : [];
  const accountList = accounts.state.status === 'ready' ? accounts.state.data.filter((a) => a.status === 'active') : [];
  const categories = policy.state.status === 'ready' ? policy.state.data.pack.content?.categories ?? [] : [];
  const leaders = policy.state.status === 'ready' ? leadRoleTitles(policy.state.data) : null;
  const reload = async () => {
    await Promise.all([incidents.reload(), templates.reload()]);
  };
  const open = incidents.state.status === 'ready' ? incidents.state.data.filter((i) => i.kind === 'emergency' && i.status === 'open') : [];

  return (
    <Page title="Incidents" lead="Posts and profile changes on the city's accounts that did not come through CivicDesk, and emergencies. Open the account to suspend it if it may have been taken over.">
      {canLead ? <OpenEmergency onOpened={reload} /> : null}
      {incidents.state.status === 'loading' ? <Loading what="incidents" /> : null}
      {incidents.state.status === 'error' ? <ApiErrorAlert error={incidents.state.error} /> : null}
      {incidents.state.status === 'ready' ? (
        <div className="usa-table-container--scrollable civic-table-scroll margin-top-3" tabIndex={0} role="region" aria-labelledby="incidents-caption">
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
      {open.map((i) => (
        <EmergencyPanel key={i.id} incident={i} templates={templateList} accounts={accountList} canPost={canPost} canLead={canLead} onChanged={reload} />
      ))}
      {templates.state.status === 'error' ? <ApiErrorAlert error={templates.state.error} /> : null}
      {templates.state.status === 'ready' ? (
        <IncidentTemplates templates={templateList} accounts={accountList} categories={categories} leaders={leaders} canWrite={canPost} onChanged={templates.reload} />
      ) : null}
    </Page>
  );
}
