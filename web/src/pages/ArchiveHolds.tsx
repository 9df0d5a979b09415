// Legal holds: while a hold is in force, no record it covers can be destroyed, whatever the
// retention schedule says. A hold names what it covers (an account, an author, words, a period);
// people with archive.hold place and release them, each with a reason that the event log keeps.
import { useCallback, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { criteriaParts, searchParamsFrom, EMPTY_SEARCH } from '../archiveText.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { Actor, When } from '../components/Archive.js';
import { Dialog } from '../components/Dialog.js';
import { TextAreaField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { HoldCriteria, LegalHold } from '../types.js';
import { useApi } from '../useApi.js';

type HoldsResponse = LegalHold[] | { holds: LegalHold[]; sources?: string[] };

function holdsOf(data: HoldsResponse): { holds: LegalHold[]; sources: string[] } {
  return Array.isArray(data) ? { holds: data, sources: [] } : { holds: data.holds, sources: data.sources ?? [] };
}

export function ArchiveHoldsPage() {
  const session = useSignedIn();
  const canHold = hasPermission(session, 'archive.hold');
  const { state, reload } = useApi<HoldsResponse>('/api/archive/holds');
  const [status, setStatus] = useState('');
  const [releasing, setReleasing] = useState<LegalHold | null>(null);
  const closeReleasing = useCallback(() => setReleasing(null), []);
  const data = state.status === 'ready' ? holdsOf(state.data) : null;
  const active = data?.holds.filter((h) => !h.releasedAt) ?? [];
  const released = data?.holds.filter((h) => h.releasedAt) ?? [];

  return (
    <Page
      title="Legal holds"
      lead="While a legal hold is in force, no record it covers can be destroyed, even after its retention period ends. Releasing a hold never deletes anything."
    >
      {data?.sources.length ? <p className="margin-top-0">Policy: <Sources ids={data.sources} /></p> : null}
      <div role="status">
        {status ? <Alert kind="success" slim>{status}</Alert> : null}
      </div>
      {state.status === 'loading' ? <Loading what="legal holds" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {data ? (
        <>
          <section aria-labelledby="active-heading">
            <h2 id="active-heading">In force ({active.length})</h2>
            {active.length ? (
              <HoldsTable holds={active} caption="Legal holds in force" canRelease={canHold} onRelease={setReleasing} testId="holds-active" />
            ) : <p>No legal hold is in force.</p>}
          </section>
          {released.length ? (
            <section className="margin-top-5" aria-labelledby="released-heading">
              <h2 id="released-heading">Released ({released.length})</h2>
              <HoldsTable holds={released} caption="Released legal holds" canRelease={false} onRelease={setReleasing} testId="holds-released" />
            </section>
          ) : null}
        </>
      ) : null}

      {canHold ? (
        <PlaceHoldForm
          onPlaced={async (name) => {
            setStatus(`Placed the legal hold “${name}”.`);
            await reload();
          }}
        />
      ) : (
        <p className="margin-top-5 text-base-dark">Placing and releasing holds needs <code>archive.hold</code> (the City Attorney and the City Clerk have it).</p>
      )}

      {canHold ? (
        <Dialog open={releasing !== null} title={releasing ? `Release the hold “${releasing.name}”?` : ''} onClose={closeReleasing}>
          {releasing ? (
            <ReleaseForm
              hold={releasing}
              onCancel={closeReleasing}
              onDone={async () => {
                setStatus(`Released the legal hold “${releasing.name}”. Its records follow the retention schedule again.`);
                setReleasing(null);
                await reload();
              }}
            />
          ) : null}
        </Dialog>
      ) : null}
    </Page>
  );
}

function Criteria({ criteria }: { criteria: HoldCriteria }) {
  const parts = criteriaParts(criteria);
  if (parts.length === 0) return <span className="text-base-dark">Everything</span>;
  const search = searchParamsFrom({ ...EMPTY_SEARCH, accountId: criteria.accountId ?? '', author: criteria.author ?? '', text: criteria.query ?? '', from: criteria.from ?? '', to: criteria.to ?? '' });
  return (
    <>
      <ul className="usa-list usa-list--unstyled">
        {parts.map((p) => <li key={p.label}><span className="text-bold">{p.label}:</span> {p.value}</li>)}
      </ul>
      <Link className="usa-link font-sans-2xs" to={`/archive?${search.toString()}`}>Search these records</Link>
    </>
  );
}

function HoldsTable({ holds, caption, canRelease, onRelease, testId }: {
  holds: LegalHold[];
  caption: string;
  canRelease: boolean;
  onRelease: (h: LegalHold) => void;
  testId: string;
}) {
  const captionId = `${testId}-caption`;
  const released = holds.some((h) => h.releasedAt);
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby={captionId}>
      <table className="usa-table usa-table--striped width-full" data-testid={testId}>
        <caption id={captionId} className="usa-sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Hold</th>
            <th scope="col">Covers</th>
            <th scope="col">Placed</th>
            {released ? <th scope="col">Released</th> : null}
            {canRelease ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {holds.map((h) => (
            <tr key={h.id} id={`hold-${h.id}`}>
              <th scope="row" className="text-normal civic-break">
                <span className="text-bold">{h.name}</span>
                <span className="display-block">{h.reason}</span>
                {typeof h.records === 'number' ? <span className="display-block font-sans-3xs text-base-dark">{h.records.toLocaleString('en-US')} {h.records === 1 ? 'record' : 'records'}</span> : null}
              </th>
              <td className="civic-break"><Criteria criteria={h.criteria} /></td>
              <td className="civic-break">
                <When iso={h.createdAt} />
                <span className="display-block font-sans-3xs text-base-dark">by <Actor label={h.createdBy} /></span>
              </td>
              {released ? (
                <td className="civic-break">
                  <When iso={h.releasedAt} fallback="In force" />
                  {h.releasedBy ? <span className="display-block font-sans-3xs text-base-dark">by <Actor label={h.releasedBy} /></span> : null}
                  {h.releaseReason ? <span className="display-block font-sans-3xs">{h.releaseReason}</span> : null}
                </td>
              ) : null}
              {canRelease ? (
                <td>
                  <button type="button" className="usa-button usa-button--unstyled civic-danger-link" onClick={() => onRelease(h)}>
                    Release<span className="usa-sr-only"> the hold {h.name}</span>
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const HOLD_IDS = {
  name: 'hold-name',
  reason: 'hold-reason',
  criteria: 'hold-criteria',
  'criteria.accountId': 'hold-account',
  'criteria.author': 'hold-author',
  'criteria.query': 'hold-query',
  'criteria.from': 'hold-from',
  'criteria.to': 'hold-to',
};
const HOLD_LABELS = {
  name: 'Name',
  reason: 'Reason',
  criteria: 'What it covers',
  'criteria.accountId': 'Account id',
  'criteria.author': 'Author',
  'criteria.query': 'Words',
  'criteria.from': 'Captured from',
  'criteria.to': 'Captured to',
};

function PlaceHoldForm({ onPlaced }: { onPlaced: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [criteria, setCriteria] = useState<Required<HoldCriteria>>({ accountId: '', author: '', query: '', from: '', to: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const setCriterion = (key: keyof HoldCriteria) => (value: string) => setCriteria((c) => ({ ...c, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen: HoldCriteria = {};
    for (const [k, v] of Object.entries(criteria) as Array<[keyof HoldCriteria, string]>) {
      if (v.trim()) chosen[k] = v.trim();
    }
    // The same checks the server makes, so the person hears about all of them at once.
    const missing = [];
    if (!name.trim()) missing.push({ path: 'body.name', message: 'Give the hold a name, such as the case or request it is for.' });
    if (!reason.trim()) missing.push({ path: 'body.reason', message: 'Say why the records must be kept.' });
    if (Object.keys(chosen).length === 0) missing.push({ path: 'body.criteria', message: 'Say what the hold covers: at least one of account, author, words or dates.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The hold was not placed. Correct the fields below.', fields: missing }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/archive/holds', { name: name.trim(), reason: reason.trim(), criteria: chosen });
      const placed = name.trim();
      setName('');
      setReason('');
      setCriteria({ accountId: '', author: '', query: '', from: '', to: '' });
      await onPlaced(placed);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  return (
    <section className="margin-top-6" aria-labelledby="place-hold-heading">
      <h2 id="place-hold-heading">Place a legal hold</h2>
      <p>For litigation, an investigation or a public records request: the records it covers are kept until the hold is released.</p>
      <ErrorSummary error={error} fieldIds={HOLD_IDS} labels={HOLD_LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby="place-hold-heading">
        <TextField id={HOLD_IDS.name} name="name" label={HOLD_LABELS.name} hint="For example the case name or the request number." autoComplete="off" value={name} onChange={setName} error={fieldErrors.name} maxLength={200} />
        <TextAreaField id={HOLD_IDS.reason} name="reason" label={HOLD_LABELS.reason} value={reason} onChange={setReason} error={fieldErrors.reason} maxLength={2000} />
        <div className={`usa-form-group${fieldErrors.criteria ? ' usa-form-group--error' : ''}`}>
          <fieldset className="usa-fieldset" id={HOLD_IDS.criteria} tabIndex={-1} aria-describedby={`${HOLD_IDS.criteria}-hint${fieldErrors.criteria ? ` ${HOLD_IDS.criteria}-error` : ''}`}>
            <legend className={`usa-legend${fieldErrors.criteria ? ' usa-label--error' : ''}`}>{HOLD_LABELS.criteria}</legend>
            <div className="usa-hint" id={`${HOLD_IDS.criteria}-hint`}>At least one. Records matching all you give are held.</div>
            {fieldErrors.criteria ? <span className="usa-error-message" id={`${HOLD_IDS.criteria}-error`}>{fieldErrors.criteria}</span> : null}
            <TextField id={HOLD_IDS['criteria.accountId']} name="accountId" label={HOLD_LABELS['criteria.accountId']} optional="quiet" autoComplete="off" spellCheck={false} value={criteria.accountId} onChange={setCriterion('accountId')} error={fieldErrors['criteria.accountId']} />
            <TextField id={HOLD_IDS['criteria.author']} name="author" label={HOLD_LABELS['criteria.author']} hint="Handle, name or id." optional="quiet" autoComplete="off" spellCheck={false} value={criteria.author} onChange={setCriterion('author')} error={fieldErrors['criteria.author']} />
            <TextField id={HOLD_IDS['criteria.query']} name="query" label={HOLD_LABELS['criteria.query']} hint="Records whose text contains these words." optional="quiet" autoComplete="off" value={criteria.query} onChange={setCriterion('query')} error={fieldErrors['criteria.query']} />
            <TextField id={HOLD_IDS['criteria.from']} name="from" type="date" label={HOLD_LABELS['criteria.from']} optional="quiet" value={criteria.from} onChange={setCriterion('from')} error={fieldErrors['criteria.from']} />
            <TextField id={HOLD_IDS['criteria.to']} name="to" type="date" label={HOLD_LABELS['criteria.to']} optional="quiet" value={criteria.to} onChange={setCriterion('to')} error={fieldErrors['criteria.to']} />
          </fieldset>
        </div>
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Placing…' : 'Place the hold'}</button>
      </form>
    </section>
  );
}

function ReleaseForm({ hold, onCancel, onDone }: { hold: LegalHold; onCancel: () => void; onDone: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(new ApiError(400, { error: 'invalid', message: 'The hold was not released.', fields: [{ path: 'body.reason', message: 'Say why the hold can end.' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/archive/holds/${encodeURIComponent(hold.id)}/release`, { reason: reason.trim() });
      await onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <form onSubmit={submit} noValidate aria-label={`Release the hold ${hold.name}`}>
      <p>
        Its records will again be destroyed when their retention period ends, unless another hold covers them. Nothing is deleted now.
      </p>
      <ErrorSummary error={error} fieldIds={{ reason: 'release-reason' }} labels={{ reason: 'Reason' }} />
      <TextAreaField id="release-reason" name="reason" label="Why can the hold end?" hint="For example: the case was closed on a given date." value={reason} onChange={setReason} error={fieldErrors.reason} maxLength={2000} />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button usa-button--secondary" disabled={busy}>{busy ? 'Releasing…' : 'Release the hold'}</button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={onCancel}>Cancel</button>
        </li>
      </ul>
    </form>
  );
}
