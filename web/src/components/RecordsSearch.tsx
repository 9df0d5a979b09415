// Searching the archive for a request. The same criteria as the archive's own search; running it
// freezes the exact result list with the query, so the city can always show what it searched for
// and what it found. Searching again adds to the candidates; nothing found is ever dropped.
import { useState, type FormEvent } from 'react';
import { api, fieldErrorsOf } from '../api.js';
import { ARCHIVE_KINDS, kindWords } from '../archiveText.js';
import { queryWords } from '../recordsText.js';
import { OPEN_STATUSES, type CandidateQuery, type RecordsRequestSummary, type SavedSearch } from '../recordsTypes.js';
import { useSubmit, type OnDone } from '../recordsSubmit.js';
import { ErrorSummary } from './Alerts.js';
import { Actor, When } from './Archive.js';
import { SelectField, TextField } from './Fields.js';

const EMPTY = { text: '', kind: '', author: '', accountId: '', from: '', to: '', status: '' };
type Form = typeof EMPTY;

const IDS = {
  query: 'cand-text', 'query.text': 'cand-text', 'query.kind': 'cand-kind', 'query.author': 'cand-author',
  'query.accountId': 'cand-account', 'query.from': 'cand-from', 'query.to': 'cand-to', 'query.status': 'cand-status',
};
const LABELS = {
  query: 'Search', 'query.text': 'Words', 'query.kind': 'Kind', 'query.author': 'Author', 'query.accountId': 'Account id',
  'query.from': 'Captured from', 'query.to': 'Captured to', 'query.status': 'Status on the platform',
};

function queryOf(form: Form): CandidateQuery {
  const q: CandidateQuery = {};
  for (const key of ['text', 'kind', 'author', 'accountId', 'from', 'to'] as const) if (form[key].trim()) q[key] = form[key].trim();
  if (form.status === 'deleted' || form.status === 'hidden') q.status = form.status;
  return q;
}

export function RecordsSearch({ request, searches, onDone }: { request: RecordsRequestSummary; searches: SavedSearch[]; onDone: OnDone }) {
  const [form, setForm] = useState<Form>(EMPTY);
  const { error, busy, run } = useSubmit();
  const set = (key: keyof Form) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const canSearch = OPEN_STATUSES.includes(request.status);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const found = await api.post<{ total: number }>(`/api/records/requests/${encodeURIComponent(request.id)}/search`, { query: queryOf(form) });
      await onDone(`Searched the archive and froze the result list: ${found.total} ${found.total === 1 ? 'record' : 'records'} found. Review each one below.`);
    });
  };
  const fieldErrors = fieldErrorsOf(error);

  return (
    <section aria-labelledby="search-heading" className="margin-top-6" data-testid="candidate-search">
      <h2 id="search-heading">Search the archive</h2>
      {canSearch ? (
        <>
          <p>Every record matching the search becomes a candidate for this request, in the order found; the list and the search are kept as they were run. Give at least one criterion.</p>
          <ErrorSummary error={error} fieldIds={IDS} labels={LABELS} />
          <form className="civic-search-form" role="search" aria-label="Archive records for this request" onSubmit={submit} noValidate>
            <div className="grid-row grid-gap">
              <div className="tablet:grid-col-8">
                <TextField id={IDS['query.text']} name="text" label="Words" hint="Records whose text contains these words." optional="quiet" autoComplete="off" value={form.text} onChange={set('text')} error={fieldErrors['query.text'] ?? fieldErrors.query} />
              </div>
            </div>
            <div className="grid-row grid-gap">
              <div className="tablet:grid-col-4">
                <SelectField id={IDS['query.kind']} name="kind" label="Kind" optional="quiet" placeholder="Any kind" value={form.kind} onChange={set('kind')}
                  options={ARCHIVE_KINDS.map((k) => ({ value: k, label: kindWords(k) }))} error={fieldErrors['query.kind']} />
              </div>
              <div className="tablet:grid-col-4">
                <TextField id={IDS['query.author']} name="author" label="Author" hint="Handle, name or id." optional="quiet" autoComplete="off" spellCheck={false} value={form.author} onChange={set('author')} error={fieldErrors['query.author']} />
              </div>
              <div className="tablet:grid-col-4">
                <TextField id={IDS['query.accountId']} name="accountId" label="Account id" hint="The city account it was captured from." optional="quiet" autoComplete="off" spellCheck={false} value={form.accountId} onChange={set('accountId')} error={fieldErrors['query.accountId']} />
              </div>
              <div className="tablet:grid-col-4">
                <TextField id={IDS['query.from']} name="from" type="date" label="Captured from" optional="quiet" value={form.from} onChange={set('from')} error={fieldErrors['query.from']} />
              </div>
              <div className="tablet:grid-col-4">
                <TextField id={IDS['query.to']} name="to" type="date" label="Captured to" optional="quiet" value={form.to} onChange={set('to')} error={fieldErrors['query.to']} />
              </div>
              <div className="tablet:grid-col-4">
                <SelectField id={IDS['query.status']} name="status" label="Status on the platform" optional="quiet" placeholder="Any" value={form.status} onChange={set('status')}
                  options={[{ value: 'deleted', label: 'Deleted' }, { value: 'hidden', label: 'Hidden' }]} error={fieldErrors['query.status']} />
              </div>
            </div>
            <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Searching…' : 'Search and freeze the results'}</button>
          </form>
        </>
      ) : <p>The request has been answered: no more searches.</p>}
      {searches.length ? (
        <div className="usa-table-container--scrollable civic-table-scroll margin-top-3" tabIndex={0} role="region" aria-labelledby="searches-caption">
          <table className="usa-table usa-table--striped width-full" data-testid="searches">
            <caption id="searches-caption">Searches run for this request ({searches.length})</caption>
            <thead><tr><th scope="col">Searched for</th><th scope="col">Found</th><th scope="col">When</th><th scope="col">By</th></tr></thead>
            <tbody>
              {searches.map((s) => (
                <tr key={s.id}>
                  <th scope="row" className="text-normal civic-break">{queryWords(s.query)}</th>
                  <td>{s.total} {s.total === 1 ? 'record' : 'records'}</td>
                  <td className="civic-nowrap"><When iso={s.at} /></td>
                  <td className="civic-break"><Actor label={s.by} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
