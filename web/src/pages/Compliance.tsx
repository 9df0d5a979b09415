// Every failing or warning compliance check across the city's live accounts, failures first: which
// account, which check, what is wrong and the policy ids behind the rule.
import { Link } from 'react-router-dom';
import { accountLabel, accountStatusWords } from '../accountText.js';
import { CheckStatusTag } from '../components/AccountBits.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { useSignedIn } from '../session.js';
import type { FailingCheck } from '../types.js';
import { useApi } from '../useApi.js';

export function CompliancePage() {
  const session = useSignedIn();
  const { state } = useApi<FailingCheck[]>('/api/compliance');
  const failing = state.status === 'ready' ? state.data.filter((f) => f.check.status === 'fail').length : 0;
  const warnings = state.status === 'ready' ? state.data.length - failing : 0;
  return (
    <Page title="Compliance" lead={`Where ${session.city.name}'s live accounts fall short of the city's policy, and the rule each check comes from.`}>
      {state.status === 'loading' ? <Loading what="compliance checks" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? (
        <>
          <p data-testid="compliance-totals">
            {state.data.length === 0
              ? 'Every check passes on every live account.'
              : `${failing} failing ${failing === 1 ? 'check' : 'checks'} and ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}.`}
          </p>
          {state.data.length ? (
            <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="compliance-caption">
              <table className="usa-table usa-table--striped width-full civic-results" data-testid="failing-checks">
                <caption id="compliance-caption">Failing checks and warnings, failures first ({state.data.length})</caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Check</th>
                    <th scope="col">Result</th>
                    <th scope="col">What is wrong</th>
                    <th scope="col">Policy</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.map((f) => (
                    <tr key={`${f.accountId}-${f.check.id}`} data-check={f.check.id}>
                      <th scope="row">
                        <Link className="usa-link" to={`/accounts/${encodeURIComponent(f.accountId)}`}>{accountLabel(f)}</Link>
                        {f.accountStatus !== 'active' ? <span className="display-block font-sans-3xs text-base-dark">{accountStatusWords(f.accountStatus)}</span> : null}
                      </th>
                      <td>{f.check.label}</td>
                      <td><CheckStatusTag status={f.check.status} /></td>
                      <td>{f.check.detail}</td>
                      <td>{f.check.sources.length ? <Sources ids={f.check.sources} /> : <span className="text-base-dark">CivicDesk advice</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
