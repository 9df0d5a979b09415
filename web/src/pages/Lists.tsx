// The lists the city's policy requires it to keep (KA-6): approved platforms and tools, official
// accounts with their administrators, and staff who may submit content. Each as a table built from
// the live registry, with a CSV download for whoever keeps the paper copy.
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import type { ListKind, OfficialList } from '../types.js';
import { useApi } from '../useApi.js';

const KINDS: Array<{ kind: ListKind; title: string }> = [
  { kind: 'platforms', title: 'Approved platforms and tools' },
  { kind: 'accounts', title: 'Official accounts and their administrators' },
  { kind: 'submitters', title: 'Staff who may submit content' },
];

export function ListsPage() {
  return (
    <Page title="Lists" heading="Lists the policy requires" lead="Always current: each list is built from the registry when you open it or download it.">
      <nav aria-label="On this page" className="margin-y-3">
        <ul className="usa-list">
          {KINDS.map((k) => <li key={k.kind}><a className="usa-link" href={`#list-${k.kind}`}>{k.title}</a></li>)}
        </ul>
      </nav>
      {KINDS.map((k) => <ListSection key={k.kind} kind={k.kind} fallbackTitle={k.title} />)}
    </Page>
  );
}

function ListSection({ kind, fallbackTitle }: { kind: ListKind; fallbackTitle: string }) {
  const { state } = useApi<OfficialList>(`/api/lists/${kind}`);
  const headingId = `list-${kind}`;
  const title = state.status === 'ready' ? state.data.title : fallbackTitle;
  return (
    <section aria-labelledby={headingId} className="margin-bottom-5" data-testid={`list-${kind}`}>
      <h2 id={headingId} tabIndex={-1}>{title}</h2>
      {state.status === 'loading' ? <Loading what={fallbackTitle.toLowerCase()} /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? (
        <>
          <p>
            Required by the city's policy: <Sources ids={state.data.sources} />{' '}
            <a className="usa-link margin-left-1" href={`/api/lists/${kind}.csv`} download>
              Download CSV<span className="usa-sr-only"> of {title.toLowerCase()}</span>
            </a>
          </p>
          <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby={`${headingId}-caption`}>
            <table className="usa-table usa-table--striped usa-table--compact width-full civic-results">
              <caption id={`${headingId}-caption`}>{title} ({state.data.rows.length})</caption>
              <thead>
                <tr>{state.data.columns.map((c) => <th key={c.key} scope="col">{c.label}</th>)}</tr>
              </thead>
              <tbody>
                {state.data.rows.length === 0 ? (
                  <tr><td colSpan={state.data.columns.length}>Nothing on this list yet.</td></tr>
                ) : state.data.rows.map((row, i) => (
                  <tr key={i}>
                    {state.data.columns.map((c, j) => (j === 0
                      ? <th key={c.key} scope="row">{row[c.key] ?? ''}</th>
                      : <td key={c.key} className="civic-wrap">{row[c.key] ?? ''}</td>))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
