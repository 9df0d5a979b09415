// The registry of the city's official accounts (KA-6): platform, handle, who it speaks for, its
// status, its administrators and how many compliance checks it fails. Filtered by status.
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ACCOUNT_STATUSES, accountStatusWords, ownerWords, platformWords } from '../accountText.js';
import { AccountStatusTag } from '../components/AccountBits.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { SelectField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { Account, AccountStatus, FailingCheck, OfficialList } from '../types.js';
import { useApi } from '../useApi.js';

interface AdminName {
  name: string;
  it: boolean;
  disabled: boolean;
}

/** "Jane Doe <jane@city.gov> (IT); Sam Roe <sam@city.gov>" from the KA-6 accounts list, as names. */
export function parseAdministrators(cell: string | undefined): AdminName[] {
  if (!cell) return [];
  return cell.split('; ').filter(Boolean).map((part) => {
    const m = /^(.*?)\s*<[^>]*>(.*)$/.exec(part);
    const name = (m?.[1] ?? part).trim();
    const rest = m?.[2] ?? '';
    return { name, it: rest.includes('(IT)'), disabled: rest.includes('(disabled)') };
  });
}

const key = (platform: string, handle: string) => `${platform}\u0000${handle}`;

export function AccountsPage() {
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status') ?? '';
  const status = (ACCOUNT_STATUSES as string[]).includes(raw) ? (raw as AccountStatus) : '';
  const accounts = useApi<Account[]>(status ? `/api/accounts?status=${status}` : '/api/accounts');
  // The registry lists neither administrators nor compliance; the KA-6 list and the city-wide
  // compliance report carry them, keyed here by platform and handle (unique in a city).
  const list = useApi<OfficialList>('/api/lists/accounts');
  const compliance = useApi<FailingCheck[]>('/api/compliance');

  const admins = useMemo(() => {
    const out = new Map<string, AdminName[]>();
    if (list.state.status === 'ready') {
      for (const row of list.state.data.rows) out.set(key(row.platform ?? '', row.handle ?? ''), parseAdministrators(row.administrators));
    }
    return out;
  }, [list.state]);

  const failing = useMemo(() => {
    const out = new Map<string, { fail: number; warn: number }>();
    if (compliance.state.status === 'ready') {
      for (const f of compliance.state.data) {
        const c = out.get(f.accountId) ?? { fail: 0, warn: 0 };
        if (f.check.status === 'fail') c.fail++;
        if (f.check.status === 'warn') c.warn++;
        out.set(f.accountId, c);
      }
    }
    return out;
  }, [compliance.state]);

  return (
    <Page title="Accounts" heading="Official accounts" lead={`The social media accounts ${session.city.name} runs, who administers them, and whether each meets the city's policy.`}>
      {hasPermission(session, 'account.request') ? (
        <p>
          <Link className="usa-button" to="/requests/new?type=newAccount">Request a new account</Link>
        </p>
      ) : null}
      <form className="usa-form civic-filter" aria-label="Filter accounts" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="account-status-filter"
          name="status"
          label="Status"
          optional="quiet"
          value={status}
          placeholder="All statuses"
          options={ACCOUNT_STATUSES.map((s) => ({ value: s, label: accountStatusWords(s) }))}
          onChange={(value) => {
            const next = new URLSearchParams(params);
            if (value) next.set('status', value);
            else next.delete('status');
            setParams(next, { replace: true });
          }}
        />
      </form>
      {accounts.state.status === 'loading' ? <Loading what="accounts" /> : null}
      {accounts.state.status === 'error' ? <ApiErrorAlert error={accounts.state.error} /> : null}
      {compliance.state.status === 'error' ? <ApiErrorAlert error={compliance.state.error} /> : null}
      {accounts.state.status === 'ready' ? (
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="accounts-caption">
          <table className="usa-table usa-table--striped width-full civic-results" data-testid="accounts-table">
            <caption id="accounts-caption">
              {status ? `${accountStatusWords(status)} accounts` : 'All accounts'} ({accounts.state.data.length})
              {list.state.status === 'ready' ? <> <Sources ids={list.state.data.sources} /></> : null}
            </caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Department or board</th>
                <th scope="col">Status</th>
                <th scope="col">Administrators</th>
                <th scope="col">Compliance</th>
              </tr>
            </thead>
            <tbody>
              {accounts.state.data.length === 0 ? (
                <tr><td colSpan={5}>{status ? 'No accounts with this status.' : 'No accounts in the registry yet.'}</td></tr>
              ) : accounts.state.data.map((a) => (
                <tr key={a.id} data-account={a.handle}>
                  <th scope="row">
                    <Link className="usa-link" to={`/accounts/${encodeURIComponent(a.id)}`}>
                      {platformWords(a.platform)} <span className="civic-break-any">{a.handle}</span>
                    </Link>
                  </th>
                  <td>{ownerWords(a)}</td>
                  <td><AccountStatusTag status={a.status} /></td>
                  <td>
                    <AdminNames names={admins.get(key(a.platform, a.handle))} loading={list.state.status === 'loading'} />
                  </td>
                  <td data-testid="compliance-summary">
                    <ComplianceSummary status={a.status} counts={failing.get(a.id)} loading={compliance.state.status === 'loading'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}

function AdminNames({ names, loading }: { names: AdminName[] | undefined; loading: boolean }) {
  if (loading) return <span className="text-base-dark">Loading…</span>;
  if (!names || names.length === 0) return <span className="text-base-dark">None recorded</span>;
  return (
    <ul className="usa-list usa-list--unstyled">
      {names.map((n) => (
        <li key={n.name}>
          {n.name}
          {n.it ? <abbr title="Holds the IT role the policy requires on every account" className="civic-it"> (IT)</abbr> : null}
          {n.disabled ? <span className="text-base-dark"> (disabled)</span> : null}
        </li>
      ))}
    </ul>
  );
}

function ComplianceSummary({ status, counts, loading }: { status: AccountStatus; counts?: { fail: number; warn: number }; loading: boolean }) {
  if (status !== 'active' && status !== 'suspended') return <span className="text-base-dark">Checked once live</span>;
  if (loading) return <span className="text-base-dark">Loading…</span>;
  if (!counts || (counts.fail === 0 && counts.warn === 0)) return <>All checks pass</>;
  const parts = [];
  if (counts.fail) parts.push(`${counts.fail} failing`);
  if (counts.warn) parts.push(`${counts.warn} ${counts.warn === 1 ? 'warning' : 'warnings'}`);
  return <strong className={counts.fail ? 'civic-text-bad' : undefined}>{parts.join(', ')}</strong>;
}
