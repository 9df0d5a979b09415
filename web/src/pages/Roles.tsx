// The roles the city's policy defines, what each may do in plain words, and the approval chains
// (who signs off, in order) for posts, accounts and access. Each rule shows its POLICY-MAP ids.
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { CHAIN_LABELS, CHAIN_ORDER, grantWords, roleTitle } from '../policyText.js';
import type { PolicyPack, PolicyResponse } from '../types.js';
import { useApi } from '../useApi.js';

export function RolesPage() {
  const { state } = useApi<PolicyResponse>('/api/policy');
  return (
    <Page title="Roles and approvals" lead="Who may do what under the city's adopted social media policy, and who must approve each kind of change.">
      {state.status === 'loading' ? <Loading what="the policy" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? <RolesBody pack={state.data.pack} /> : null}
    </Page>
  );
}

function RolesBody({ pack }: { pack: PolicyPack }) {
  return (
    <>
      <nav aria-label="On this page" className="margin-y-3">
        <ul className="usa-list">
          <li><a className="usa-link" href="#roles-heading">Roles ({pack.roles.length})</a></li>
          <li><a className="usa-link" href="#chains-heading">Approval chains</a></li>
        </ul>
      </nav>
      <section aria-labelledby="roles-heading">
        <h2 id="roles-heading">Roles</h2>
        <ul className="usa-card-group" data-testid="roles">
          {pack.roles.map((role) => (
            <li key={role.id} className="usa-card tablet:grid-col-6 desktop:grid-col-4">
              <div className="usa-card__container">
                <div className="usa-card__header">
                  <h3 className="usa-card__heading">{role.title}</h3>
                  <p className="margin-y-05 text-base-dark font-sans-3xs">Role id <code>{role.id}</code></p>
                </div>
                <div className="usa-card__body">
                  <p>{role.description}</p>
                  {role.grants.length ? (
                    <>
                      <p className="text-bold margin-bottom-05">May:</p>
                      <ul className="usa-list margin-top-0">
                        {role.grants.map((g) => <li key={g}>{grantWords(g)}</li>)}
                      </ul>
                    </>
                  ) : (
                    <p>Holds no CivicDesk permissions of its own.</p>
                  )}
                </div>
                <div className="usa-card__footer">
                  <Sources ids={role.sources} />
                </div>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="chains-heading" className="margin-top-4">
        <h2 id="chains-heading">Approval chains</h2>
        <p>Each change goes through these steps in order. Nobody may approve their own request.</p>
        <div className="grid-row grid-gap">
          {CHAIN_ORDER.map((key) => {
            const chain = pack.approvalChains[key];
            if (!chain) return null;
            const label = CHAIN_LABELS[key];
            const headingId = `chain-${key}`;
            return (
              <section key={key} className="tablet:grid-col-6 margin-bottom-4" aria-labelledby={headingId}>
                <h3 id={headingId} className="margin-bottom-05">{label.title}</h3>
                <p className="margin-top-0 text-base-dark">{label.description} <Sources ids={chain.sources} /></p>
                <ol className="usa-process-list" data-testid={`chain-${key}`}>
                  {chain.steps.map((step, i) => (
                    <li key={`${step.role}-${i}`} className="usa-process-list__item padding-bottom-2">
                      <p className="usa-process-list__heading font-sans-sm">{step.label}</p>
                      <p className="margin-top-05">By the {roleTitle(pack, step.role)}</p>
                    </li>
                  ))}
                </ol>
                {chain.notes ? <p className="text-base-dark">{chain.notes}</p> : null}
              </section>
            );
          })}
        </div>
      </section>
    </>
  );
}
