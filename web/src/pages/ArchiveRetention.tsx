// Retention and disposition: how long each series of records is kept (from the policy pack, or
// set by the City Clerk from the state schedule), the records whose period has ended, which of
// those a legal hold still protects, approving their destruction with a reason, and the
// disposition log, which is never destroyed.
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { kindWords, recordPath, retentionSourceWords, retentionWords, seriesWords } from '../archiveText.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { Actor, When } from '../components/Archive.js';
import { Dialog } from '../components/Dialog.js';
import { SelectField, TextAreaField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { formatDate } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { DispositionDue, DispositionLogEntry, DispositionResponse, RetentionSeries } from '../types.js';
import { useApi, type Loadable } from '../useApi.js';

type ScheduleResponse = RetentionSeries[] | { series: RetentionSeries[]; sources?: string[] };
type LogResponse = DispositionLogEntry[] | { entries: DispositionLogEntry[] } | { dispositions: DispositionLogEntry[] };

function scheduleOf(data: ScheduleResponse): RetentionSeries[] {
  return Array.isArray(data) ? data : data.series;
}

function logOf(data: LogResponse): DispositionLogEntry[] {
  if (Array.isArray(data)) return data;
  return 'entries' in data ? data.entries : data.dispositions;
}

export function ArchiveRetentionPage() {
  const session = useSignedIn();
  const canApprove = hasPermission(session, 'archive.disposition.approve');
  const schedule = useApi<ScheduleResponse>('/api/archive/retention');
  const disposition = useApi<DispositionResponse>('/api/archive/disposition');
  const log = useApi<LogResponse>('/api/archive/dispositions');
  const [status, setStatus] = useState('');
  const series = schedule.state.status === 'ready' ? scheduleOf(schedule.state.data) : [];

  return (
    <Page
      title="Retention and disposition"
      lead="How long each series of records is kept, and the records whose period has ended. Nothing is destroyed without the City Clerk's approval and a reason, nothing under a legal hold is destroyed at all, and the disposition log is kept for good."
    >
      <div role="status">
        {status ? <Alert kind="success" slim>{status}</Alert> : null}
      </div>

      <section aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">Retention schedule</h2>
        {schedule.state.status === 'loading' ? <Loading what="the retention schedule" /> : null}
        {schedule.state.status === 'error' ? <ApiErrorAlert error={schedule.state.error} /> : null}
        {schedule.state.status === 'ready' ? <ScheduleTable series={series} /> : null}
      </section>

      {canApprove && series.length ? (
        <SetPeriodForm
          series={series}
          onSaved={async (label) => {
            setStatus(`Saved the retention period for ${label}.`);
            await schedule.reload();
            await disposition.reload();
          }}
        />
      ) : null}

      <section className="margin-top-6" aria-labelledby="due-heading">
        <h2 id="due-heading">Records due for disposition</h2>
        {canApprove ? null : (
          <p className="text-base-dark">Only those with <code>archive.disposition.approve</code> (the City Clerk) approve disposition; this list is for information.</p>
        )}
        {disposition.state.status === 'loading' ? <Loading what="records due for disposition" /> : null}
        {disposition.state.status === 'error' ? <ApiErrorAlert error={disposition.state.error} /> : null}
        {disposition.state.status === 'ready' ? (
          <DueSection
            data={disposition.state.data}
            canApprove={canApprove}
            onDestroyed={async (count) => {
              setStatus(`Destroyed ${count} ${count === 1 ? 'record' : 'records'}; the disposition log records the approval.`);
              await disposition.reload();
              await log.reload();
            }}
          />
        ) : null}
      </section>

      <DispositionLog state={log.state} />
    </Page>
  );
}

function ScheduleTable({ series }: { series: RetentionSeries[] }) {
  if (series.length === 0) return <p>No series are defined.</p>;
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="schedule-caption">
      <table className="usa-table usa-table--striped width-full" data-testid="retention-schedule">
        <caption id="schedule-caption" className="usa-sr-only">Retention period of each series</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Kept for</th>
            <th scope="col">Set by</th>
            <th scope="col">Schedule item and authority</th>
            <th scope="col">Policy</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.series} data-series={s.series}>
              <th scope="row" className="text-normal civic-break">
                <span className="text-bold">{s.label || seriesWords(s.series)}</span>
                <span className="display-block font-sans-3xs"><code>{s.series}</code></span>
              </th>
              <td className="civic-nowrap">{retentionWords(s.retainYears)}</td>
              <td className="civic-break">
                {retentionSourceWords(s.source)}
                {s.setBy ? <span className="display-block font-sans-3xs text-base-dark"><Actor label={s.setBy} />{s.setAt ? <span className="display-block"><When iso={s.setAt} /></span> : null}</span> : null}
              </td>
              <td className="civic-break">
                {s.scheduleItem ? <span className="display-block">{s.scheduleItem}</span> : <span className="display-block text-base-dark">No schedule item recorded</span>}
                {s.authority ? <span className="display-block font-sans-3xs text-base-dark">{s.authority}</span> : null}
                {s.notes ? (
                  <details className="civic-details">
                    <summary>Notes<span className="usa-sr-only"> on {s.label}</span></summary>
                    <p className="font-sans-2xs margin-y-05">{s.notes}</p>
                  </details>
                ) : null}
              </td>
              <td>{s.sources.length ? <Sources ids={s.sources} /> : <span className="text-base-dark">None</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const PERIOD_IDS = { series: 'period-series', retainYears: 'period-years', mode: 'period-mode', scheduleItem: 'period-item' };
const PERIOD_LABELS = { series: 'Series', retainYears: 'Years', mode: 'Retention period', scheduleItem: 'Schedule item' };

function SetPeriodForm({ series, onSaved }: { series: RetentionSeries[]; onSaved: (label: string) => Promise<void> }) {
  const [chosen, setChosen] = useState('');
  const [mode, setMode] = useState<'years' | 'keep'>('years');
  const [years, setYears] = useState('');
  const [item, setItem] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const choose = (value: string) => {
    setChosen(value);
    const s = series.find((x) => x.series === value);
    if (s) {
      setMode(s.retainYears === null ? 'keep' : 'years');
      setYears(s.retainYears === null ? '' : String(s.retainYears));
      setItem(s.scheduleItem ?? '');
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = [];
    const n = Number(years);
    if (!chosen) problems.push({ path: 'params.series', message: 'Choose the series.' });
    if (mode === 'years' && (!/^\d{1,3}$/.test(years.trim()) || n < 1 || n > 200)) problems.push({ path: 'body.retainYears', message: 'Enter a whole number of years from 1 to 200, such as 3.' });
    if (!item.trim()) problems.push({ path: 'body.scheduleItem', message: 'Name the item of the records retention schedule that sets this period.' });
    if (problems.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The period was not saved. Correct the fields below.', fields: problems }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.put(`/api/archive/retention/${encodeURIComponent(chosen)}`, {
        retainYears: mode === 'keep' ? null : Number(years.trim()),
        scheduleItem: item.trim(),
      });
      const label = series.find((s) => s.series === chosen)?.label ?? seriesWords(chosen);
      await onSaved(label);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  return (
    <section className="margin-top-6" aria-labelledby="set-period-heading">
      <h2 id="set-period-heading">Set a series' retention period</h2>
      <p>From the state's records retention schedule. Records become due for disposition once their period ends; you still approve each disposition.</p>
      <ErrorSummary error={error} fieldIds={PERIOD_IDS} labels={PERIOD_LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby="set-period-heading">
        <SelectField id={PERIOD_IDS.series} name="series" label={PERIOD_LABELS.series} placeholder="- Choose a series -" value={chosen} onChange={choose}
          options={series.map((s) => ({ value: s.series, label: s.label || seriesWords(s.series) }))} error={fieldErrors.series} />
        <fieldset className="usa-fieldset margin-top-3" id={PERIOD_IDS.mode} tabIndex={-1}>
          <legend className="usa-legend">{PERIOD_LABELS.mode}</legend>
          <div className="usa-radio">
            <input className="usa-radio__input" id="period-mode-years" type="radio" name="mode" value="years" checked={mode === 'years'} onChange={() => setMode('years')} />
            <label className="usa-radio__label" htmlFor="period-mode-years">Keep for a number of years after capture</label>
          </div>
          {mode === 'years' ? (
            <div className="margin-left-4">
              <TextField id={PERIOD_IDS.retainYears} name="retainYears" label={PERIOD_LABELS.retainYears} inputMode="numeric" pattern="[0-9]*" maxLength={3} className="usa-input--xs" autoComplete="off" value={years} onChange={setYears} error={fieldErrors.retainYears} />
            </div>
          ) : null}
          <div className="usa-radio">
            <input className="usa-radio__input" id="period-mode-keep" type="radio" name="mode" value="keep" checked={mode === 'keep'} onChange={() => setMode('keep')} />
            <label className="usa-radio__label" htmlFor="period-mode-keep">
              Keep until a period is set
              <span className="usa-radio__label-description">Kept permanently: nothing in the series becomes due for disposition.</span>
            </label>
          </div>
        </fieldset>
        <TextField id={PERIOD_IDS.scheduleItem} name="scheduleItem" label={PERIOD_LABELS.scheduleItem} hint="The schedule and item number that sets this period, as the state publishes it." autoComplete="off" value={item} onChange={setItem} error={fieldErrors.scheduleItem} maxLength={500} />
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Saving…' : 'Save the period'}</button>
      </form>
    </section>
  );
}

function countWords(n: number, capped: boolean, one: string, many: string): string {
  return `${capped ? 'more than ' : ''}${n.toLocaleString('en-US')} ${n === 1 && !capped ? one : many}`;
}

function DueSection({ data, canApprove, onDestroyed }: {
  data: DispositionResponse;
  canApprove: boolean;
  onDestroyed: (count: number) => Promise<void>;
}) {
  const [selected, setSelected] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const closeConfirm = useCallback(() => setConfirming(false), []);
  const dueIds = useMemo(() => data.due.map((d) => d.id), [data.due]);
  const chosen = selected.filter((id) => dueIds.includes(id));
  const allChosen = dueIds.length > 0 && chosen.length === dueIds.length;
  const showText = data.due.some((d) => d.text !== undefined);
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)));

  return (
    <>
      {data.blocked.count > 0 ? (
        <Alert
          kind="info"
          heading={`${countWords(data.blocked.count, data.blocked.capped, 'record is', 'records are')} past retention but held`}
          headingLevel={3}
          role="region"
          id="blocked"
        >
          <p>A legal hold keeps {data.blocked.count === 1 && !data.blocked.capped ? 'it' : 'them'} until released:</p>
          <ul className="usa-list margin-bottom-0" data-testid="blocked-holds">
            {data.blocked.holds.map((hold) => (
              <li key={hold.id}>
                <Link className="usa-link" to={`/archive/holds#hold-${encodeURIComponent(hold.id)}`}>{hold.name}</Link>: {countWords(hold.count, hold.capped, 'record', 'records')}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {data.due.length === 0 ? (
        <p data-testid="nothing-due">No record is due for disposition.</p>
      ) : (
        <>
          <p>
            {data.due.length} {data.due.length === 1 ? 'record has' : 'records have'} reached the end of {data.due.length === 1 ? 'its' : 'their'} retention period.
            {canApprove ? ' Choose which to destroy.' : ''}
          </p>
          <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="due-caption">
            <table className="usa-table usa-table--striped width-full" data-testid="due">
              <caption id="due-caption" className="usa-sr-only">Records due for disposition</caption>
              <thead>
                <tr>
                  {canApprove ? (
                    <th scope="col">
                      <div className="usa-checkbox civic-checkbox-cell">
                        <input className="usa-checkbox__input" id="due-all" type="checkbox" checked={allChosen} onChange={(e) => setSelected(e.target.checked ? dueIds : [])} />
                        <label className="usa-checkbox__label" htmlFor="due-all"><span className="usa-sr-only">Choose all records due</span></label>
                      </div>
                    </th>
                  ) : null}
                  <th scope="col">Record</th>
                  <th scope="col">Series</th>
                  <th scope="col">Captured</th>
                  <th scope="col">Kept until</th>
                  {showText ? <th scope="col">Text</th> : null}
                </tr>
              </thead>
              <tbody>
                {data.due.map((d) => <DueRow key={d.id} due={d} checked={chosen.includes(d.id)} onToggle={canApprove ? toggle : null} showText={showText} />)}
              </tbody>
            </table>
          </div>
          {canApprove ? (
            <button type="button" className="usa-button usa-button--secondary margin-top-3" disabled={chosen.length === 0} onClick={() => setConfirming(true)}>
              Approve disposition of {chosen.length} selected {chosen.length === 1 ? 'record' : 'records'}
            </button>
          ) : null}
          <Dialog open={confirming} title={`Destroy ${chosen.length} ${chosen.length === 1 ? 'record' : 'records'}?`} onClose={closeConfirm}>
            {confirming ? (
              <ApproveForm
                ids={chosen}
                onCancel={closeConfirm}
                onDone={async () => {
                  const count = chosen.length;
                  setConfirming(false);
                  setSelected([]);
                  await onDestroyed(count);
                }}
              />
            ) : null}
          </Dialog>
        </>
      )}
    </>
  );
}

function DueRow({ due: d, checked, onToggle, showText }: {
  due: DispositionDue;
  checked: boolean;
  /** Null: the list is read only. */
  onToggle: ((id: string, on: boolean) => void) | null;
  showText: boolean;
}) {
  const inputId = `due-${d.id}`;
  return (
    <tr>
      {onToggle ? (
        <td>
          <div className="usa-checkbox civic-checkbox-cell">
            <input className="usa-checkbox__input" id={inputId} type="checkbox" checked={checked} onChange={(e) => onToggle(d.id, e.target.checked)} />
            <label className="usa-checkbox__label" htmlFor={inputId}>
              <span className="usa-sr-only">Choose {kindWords(d.kind).toLowerCase()}{d.leafIndex !== undefined ? ` record ${d.leafIndex}` : ''}, captured {formatDate(d.capturedAt)}</span>
            </label>
          </div>
        </td>
      ) : null}
      <th scope="row" className="text-normal">
        <Link className="usa-link" to={recordPath(d.id)}>{kindWords(d.kind)}{d.leafIndex !== undefined ? <><span className="usa-sr-only">, record</span> {d.leafIndex}</> : null}</Link>
        {d.accountId ? <span className="display-block font-sans-3xs text-base-dark">{d.accountId}</span> : null}
      </th>
      <td>{seriesWords(d.series)}</td>
      <td className="civic-nowrap"><When iso={d.capturedAt} /></td>
      <td className="civic-nowrap">{formatDate(d.retainUntil)}</td>
      {showText ? (
        <td className="civic-result-text">{d.text ? (d.text.length > 160 ? `${d.text.slice(0, 160).trimEnd()}…` : d.text) : <span className="text-base-dark">No text</span>}</td>
      ) : null}
    </tr>
  );
}

function ApproveForm({ ids, onCancel, onDone }: { ids: string[]; onCancel: () => void; onDone: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) {
      setError(new ApiError(400, { error: 'invalid', message: 'Nothing was destroyed.', fields: [{ path: 'body.reason', message: 'Give the reason for the disposition, such as the schedule item.' }] }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/archive/disposition', { recordIds: ids, reason: reason.trim() });
      await onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <form onSubmit={submit} noValidate aria-label="Approve disposition">
      <p>
        The text, author, raw payload and evidence of {ids.length === 1 ? 'this record' : `these ${ids.length} records`} will be destroyed. This cannot be undone.
        Each leaf hash stays in the log so the archive still verifies, and the disposition log keeps your approval and reason permanently.
      </p>
      <ErrorSummary error={error} fieldIds={{ reason: 'disposition-reason' }} labels={{ reason: 'Reason' }} />
      <TextAreaField id="disposition-reason" name="reason" label="Reason" hint="For example the retention schedule item whose period has ended." value={reason} onChange={setReason} error={fieldErrors.reason} maxLength={2000} />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button usa-button--secondary" disabled={busy}>{busy ? 'Destroying…' : `Destroy ${ids.length} ${ids.length === 1 ? 'record' : 'records'}`}</button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={onCancel}>Cancel</button>
        </li>
      </ul>
    </form>
  );
}

function DispositionLog({ state }: { state: Loadable<LogResponse> }) {
  return (
    <section className="margin-top-6" aria-labelledby="log-heading">
      <h2 id="log-heading">Disposition log</h2>
      <p>Every approved disposition: what was destroyed, under which schedule item, who approved it and why. This log is never destroyed.</p>
      {state.status === 'loading' ? <Loading what="the disposition log" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? (
        logOf(state.data).length === 0 ? <p data-testid="log-empty">No record has been destroyed.</p> : (
          <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="log-caption">
            <table className="usa-table usa-table--striped width-full" data-testid="disposition-log">
              <caption id="log-caption" className="usa-sr-only">Disposition log</caption>
              <thead>
                <tr>
                  <th scope="col">Destroyed</th>
                  <th scope="col">Record</th>
                  <th scope="col">Captured and kept until</th>
                  <th scope="col">Approved by</th>
                  <th scope="col">Reason and schedule item</th>
                </tr>
              </thead>
              <tbody>
                {logOf(state.data).map((e) => (
                  <tr key={e.id}>
                    <th scope="row" className="text-normal civic-nowrap"><When iso={e.destroyedAt} /></th>
                    <td>
                      <Link className="usa-link" to={recordPath(e.recordId)}>{kindWords(e.kind)}<span className="usa-sr-only">, record</span> {e.leafIndex}</Link>
                      <span className="display-block font-sans-3xs text-base-dark">{seriesWords(e.series)}</span>
                    </td>
                    <td className="civic-nowrap">
                      <When iso={e.capturedAt} />
                      <span className="display-block font-sans-3xs text-base-dark">until {formatDate(e.retainUntil)}</span>
                    </td>
                    <td className="civic-break"><Actor label={e.approvedBy} /></td>
                    <td className="civic-break">
                      {e.reason}
                      {e.scheduleItem ? <span className="display-block font-sans-3xs text-base-dark">{e.scheduleItem}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </section>
  );
}
