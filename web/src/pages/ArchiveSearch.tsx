// Searching the archive: words and filters in a form whose fields are the page's query string, so
// a search can be bookmarked and shared. Results link to each record, and posts and comments to
// their thread. Snippets highlight the matched words with <mark>, rendered as text, never as HTML.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api.js';
import {
  ARCHIVE_KINDS, EMPTY_SEARCH, authorWords, isEmptySearch, kindWords, recordPath, searchFormFrom, searchParamsFrom,
  threadIdOf, threadPath, type SearchForm,
} from '../archiveText.js';
import { ApiErrorAlert, Loading } from '../components/Alerts.js';
import { RecordBadges, Snippet } from '../components/Archive.js';
import { CheckboxField, SelectField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { dateTimeParts } from '../policyText.js';
import { useSignedIn } from '../session.js';
import type { ArchiveSearchResponse, ArchiveSearchResult } from '../types.js';

export const SEARCH_PAGE_SIZE = 25;
const TEXT_PREVIEW = 280;

/** `query` is the address's query string the results answer, so results of an older search never show as the current one's. */
type Results =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; query: string }
  | { status: 'ready'; data: ArchiveSearchResponse; offset: number; query: string };

export function ArchiveSearchPage() {
  const session = useSignedIn();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const query = params.toString();
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const [form, setForm] = useState<SearchForm>(() => searchFormFrom(params));
  const [answered, setResults] = useState<Results>({ status: 'loading' });
  const results: Results = answered.status !== 'loading' && answered.query !== query ? { status: 'loading' } : answered;
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const focusResults = useRef(false);

  // The address is the source of truth: back, forward and shared links fill the form again.
  useEffect(() => {
    setForm(searchFormFrom(new URLSearchParams(query)));
  }, [query]);

  useEffect(() => {
    const controller = new AbortController();
    const apiParams = searchParamsFrom(searchFormFrom(new URLSearchParams(query)), offset);
    apiParams.set('limit', String(SEARCH_PAGE_SIZE));
    api.get<ArchiveSearchResponse>(`/api/archive/search?${apiParams.toString()}`, { signal: controller.signal })
      .then((data) => {
        setResults({ status: 'ready', data, offset, query });
        if (focusResults.current) {
          focusResults.current = false;
          // After the results render: move to their heading (pagination replaced what was read).
          requestAnimationFrame(() => resultsHeading.current?.focus());
        }
      })
      .catch((error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setResults({ status: 'error', error, query });
      });
    return () => controller.abort();
  }, [query, offset]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate({ search: searchParamsFrom(form).toString() });
  };
  const clear = () => {
    setForm(EMPTY_SEARCH);
    navigate({ search: '' });
  };
  const set = <K extends keyof SearchForm>(key: K) => (value: SearchForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const searched = !isEmptySearch(searchFormFrom(params));
  const backTo = `${location.pathname}${location.search}`;

  return (
    <Page
      title="Archive search"
      heading="Search the archive"
      lead={`Every post, comment, edit, deletion, hide, moderation action and staff action on ${session.city.name}'s accounts, kept as a public record. Nothing is changed or removed except by an approved disposition.`}
    >
      <form className="civic-search-form" role="search" aria-label="Archive records" onSubmit={submit} noValidate>
        <div className="grid-row grid-gap">
          <div className="tablet:grid-col-8">
            <TextField
              id="search-text"
              name="text"
              label="Words"
              hint="Finds records whose text contains these words."
              optional="quiet"
              autoComplete="off"
              value={form.text}
              onChange={set('text')}
            />
          </div>
        </div>
        <fieldset className="usa-fieldset margin-top-2">
          <legend className="usa-legend usa-legend--large">Filters</legend>
          <div className="grid-row grid-gap">
            <div className="tablet:grid-col-4">
              <SelectField id="search-kind" name="kind" label="Kind" optional="quiet" placeholder="Any kind" value={form.kind} onChange={set('kind')}
                options={ARCHIVE_KINDS.map((k) => ({ value: k, label: kindWords(k) }))} />
            </div>
            <div className="tablet:grid-col-4">
              <TextField id="search-author" name="author" label="Author" hint="Handle, name or id." optional="quiet" autoComplete="off" spellCheck={false} value={form.author} onChange={set('author')} />
            </div>
            <div className="tablet:grid-col-4">
              <TextField id="search-account" name="accountId" label="Account id" hint="The city account it was captured from." optional="quiet" autoComplete="off" spellCheck={false} value={form.accountId} onChange={set('accountId')} />
            </div>
            <div className="tablet:grid-col-4">
              <TextField id="search-from" name="from" type="date" label="Captured from" optional="quiet" value={form.from} onChange={set('from')} />
            </div>
            <div className="tablet:grid-col-4">
              <TextField id="search-to" name="to" type="date" label="Captured to" optional="quiet" value={form.to} onChange={set('to')} />
            </div>
            <div className="tablet:grid-col-4">
              <SelectField id="search-status" name="status" label="Status on the platform" optional="quiet" placeholder="Any" value={form.status}
                onChange={(v) => set('status')(v === 'deleted' || v === 'hidden' ? v : '')}
                options={[{ value: 'deleted', label: 'Deleted' }, { value: 'hidden', label: 'Hidden' }]} />
            </div>
          </div>
          <div className="margin-top-3">
            <CheckboxField id="search-on-hold" name="onHold" label="Only records under a legal hold" checked={form.onHold} onChange={set('onHold')} />
          </div>
        </fieldset>
        <ul className="usa-button-group margin-top-3">
          <li className="usa-button-group__item"><button type="submit" className="usa-button">Search</button></li>
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={clear}>Clear the search</button>
          </li>
        </ul>
      </form>

      <section className="margin-top-5" aria-labelledby="results-heading">
        <h2 id="results-heading" ref={resultsHeading} tabIndex={-1} className="page-heading">
          {searched ? 'Results' : 'Latest records'}
        </h2>
        {results.status === 'loading' ? <Loading what="results" /> : null}
        {results.status === 'error' ? <ApiErrorAlert error={results.error} /> : null}
        {results.status === 'ready' ? (
          <SearchResults
            data={results.data}
            offset={results.offset}
            query={query}
            backTo={backTo}
            onPage={() => {
              focusResults.current = true;
            }}
          />
        ) : null}
      </section>
    </Page>
  );
}

function countWords(data: ArchiveSearchResponse, offset: number): string {
  const { total, results } = data;
  if (total === 0 || results.length === 0) return offset > 0 ? 'No more records.' : 'No records match.';
  const first = offset + 1;
  const last = offset + results.length;
  const of = data.totalCapped ? `more than ${total.toLocaleString('en-US')}` : total.toLocaleString('en-US');
  return `Showing ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')} of ${of} ${total === 1 && !data.totalCapped ? 'record' : 'records'}.`;
}

function SearchResults({ data, offset, query, backTo, onPage }: {
  data: ArchiveSearchResponse & { sources?: string[] };
  offset: number;
  query: string;
  backTo: string;
  onPage: () => void;
}) {
  return (
    <>
      <p role="status" data-testid="result-count">{countWords(data, offset)}</p>
      {data.sources?.length ? <p className="margin-top-0">Kept under <Sources ids={data.sources} /></p> : null}
      {data.results.length ? (
        <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="results-caption">
          <table className="usa-table usa-table--striped width-full civic-results" data-testid="results">
            <caption id="results-caption" className="usa-sr-only">Archived records</caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Captured</th>
                <th scope="col">Author</th>
                <th scope="col">Text</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.results.map((r) => <ResultRow key={r.id} result={r} backTo={backTo} />)}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pagination total={data.total} capped={Boolean(data.totalCapped)} offset={offset} shown={data.results.length} query={query} onPage={onPage} />
    </>
  );
}

function ResultText({ result }: { result: ArchiveSearchResult }) {
  if (result.destroyed) return <span className="text-base-dark">Destroyed under the retention schedule; the log keeps its hash.</span>;
  if (result.snippet) return <span className="civic-snippet"><Snippet snippet={result.snippet} /></span>;
  if (result.text) {
    const text = result.text.length > TEXT_PREVIEW ? `${result.text.slice(0, TEXT_PREVIEW).trimEnd()}…` : result.text;
    return <span className="civic-snippet">{text}</span>;
  }
  return <span className="text-base-dark">No text</span>;
}

function ResultRow({ result: r, backTo }: { result: ArchiveSearchResult; backTo: string }) {
  const thread = threadIdOf(r);
  const author = authorWords(r.author);
  const when = dateTimeParts(r.capturedAt);
  return (
    <tr data-kind={r.kind}>
      <th scope="row" className="text-normal">
        <Link className="usa-link text-bold" to={recordPath(r.id)} state={{ from: backTo }}>
          {kindWords(r.kind)}<span className="usa-sr-only">, record {r.leafIndex}</span>
        </Link>
        <span className="display-block font-sans-3xs text-base-dark" aria-hidden="true">Record {r.leafIndex}</span>
      </th>
      <td className="civic-nowrap">
        <time dateTime={r.capturedAt}>
          {when.date}
          <span className="display-block">{when.time}</span>
        </time>
      </td>
      <td className="civic-break">
        {author || <span className="text-base-dark">None</span>}
        {r.accountId ? <span className="display-block font-sans-3xs text-base-dark">on {r.accountId}</span> : null}
      </td>
      <td className="civic-result-text"><ResultText result={r} /></td>
      <td>
        <RecordBadges deleted={r.deleted} hidden={r.hidden} holds={r.holds} destroyed={r.destroyed} />
        {thread ? (
          <Link className="usa-link font-sans-2xs" to={threadPath(thread)} state={{ from: backTo }}>
            Open the thread<span className="usa-sr-only"> of {kindWords(r.kind).toLowerCase()} record {r.leafIndex}</span>
          </Link>
        ) : null}
      </td>
    </tr>
  );
}

/** Page numbers around the current one, with gaps: 1 … 4 5 [6] 7 8 … 20. */
function pageWindow(current: number, last: number | null): Array<number | 'gap'> {
  const end = last ?? current + 1;
  const pages = new Set<number>([1, end, current - 1, current, current + 1].filter((p) => p >= 1 && p <= end));
  const sorted = [...pages].sort((a, b) => a - b);
  const out: Array<number | 'gap'> = [];
  for (const [i, p] of sorted.entries()) {
    const prev = sorted[i - 1];
    if (prev !== undefined && p - prev > 1) out.push('gap');
    out.push(p);
  }
  return out;
}

function Pagination({ total, capped, offset, shown, query, onPage }: {
  total: number;
  capped: boolean;
  offset: number;
  shown: number;
  query: string;
  onPage: () => void;
}) {
  const current = Math.floor(offset / SEARCH_PAGE_SIZE) + 1;
  const hasNext = capped ? shown === SEARCH_PAGE_SIZE : offset + shown < total;
  const last = capped ? null : Math.max(1, Math.ceil(total / SEARCH_PAGE_SIZE));
  if (current === 1 && !hasNext) return null;
  const hrefFor = (page: number) => {
    const p = new URLSearchParams(query);
    p.delete('offset');
    if (page > 1) p.set('offset', String((page - 1) * SEARCH_PAGE_SIZE));
    const s = p.toString();
    return s ? `?${s}` : '?';
  };
  return (
    <nav aria-label="Result pages" className="usa-pagination">
      <ul className="usa-pagination__list">
        {current > 1 ? (
          <li className="usa-pagination__item usa-pagination__arrow">
            <Link to={hrefFor(current - 1)} className="usa-pagination__link usa-pagination__previous-page" onClick={onPage}>
              <span className="usa-pagination__link-text">Previous<span className="usa-sr-only"> page</span></span>
            </Link>
          </li>
        ) : null}
        {pageWindow(current, last).map((p, i) => (p === 'gap' ? (
          <li key={`gap-${i}`} className="usa-pagination__item usa-pagination__overflow" aria-hidden="true"><span>…</span></li>
        ) : (
          <li key={p} className="usa-pagination__item usa-pagination__page-no">
            <Link
              to={hrefFor(p)}
              className={`usa-pagination__button${p === current ? ' usa-current' : ''}`}
              aria-label={`Page ${p}${last !== null && p === last ? ', last page' : ''}`}
              aria-current={p === current ? 'page' : undefined}
              onClick={onPage}
            >
              {p}
            </Link>
          </li>
        )))}
        {hasNext ? (
          <li className="usa-pagination__item usa-pagination__arrow">
            <Link to={hrefFor(current + 1)} className="usa-pagination__link usa-pagination__next-page" onClick={onPage}>
              <span className="usa-pagination__link-text">Next<span className="usa-sr-only"> page</span></span>
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
