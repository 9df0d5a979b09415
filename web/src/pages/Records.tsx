// Public records requests: the custodian's dashboard (unanswered requests by due date, with days
// left or overdue in words, and the log of every request with filters in the address), taking a
// request in; and for every other staff member, forwarding one to the custodian (KA-14).
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, ApiErrorAlert, Loading } from '../components/Alerts.js';
import { CheckboxField, SelectField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { DeadlinesTable, RequestsLog } from '../components/RecordsBits.js';
import { RecordsIntakeForm } from '../components/RecordsIntake.js';
import { Sources } from '../components/Sources.js';
import { formatDate } from '../policyText.js';
import { useRecordsPolicy } from '../recordsPolicy.js';
import { clockWords, recordsRequestPath, recordsStatusWords } from '../recordsText.js';
import { RECORDS_STATUSES, type RecordsRequestSummary, type RecordsStatus } from '../recordsTypes.js';
import { hasPermission, useSignedIn } from '../session.js';
import { useApi } from '../useApi.js';

export function RecordsPage() {
  const session = useSignedIn();
  const canManage = hasPermission(session, 'records.request.manage');
  const canForward = hasPermission(session, 'records.request.forward');
  const policy = useRecordsPolicy(session);
  const navigate = useNavigate();
  const [forwarded, setForwarded] = useState<{ number: string; dueOn: string } | null>(null);
  const { rules, custodianTitle, isCustodian } = policy;

  return (
    <Page
      title="Records requests"
      lead={canManage
        ? 'Public records requests to the city: each answered completely, accurately and promptly, in an accessible format, by the date the law sets.'
        : `Received a request for public records? Forward it to the ${custodianTitle}, who answers every request for the city.`}
    >
      {rules ? (
        <p className="margin-top-0" data-testid="records-clock">
          Time to answer: {clockWords(rules.clock)} under {rules.clock.statute}. <Sources ids={rules.sources} />
        </p>
      ) : null}
      <div role="status" className="civic-status">
        {forwarded ? (
          <Alert kind="success" heading={`Forwarded request ${forwarded.number}`} headingLevel={2} focus>
            <p className="margin-0">The {custodianTitle} has been told. The answer is due by {formatDate(forwarded.dueOn)}.</p>
          </Alert>
        ) : null}
      </div>
      {canManage ? <ManageSections timeZone={policy.timeZone} /> : null}
      {canManage && isCustodian ? (
        <RecordsIntakeForm mode="intake" rules={rules} custodianTitle={custodianTitle} onDone={(c) => navigate(recordsRequestPath(c.id), { state: { created: c.number } })} />
      ) : null}
      {canForward && !(canManage && isCustodian) ? (
        <RecordsIntakeForm mode="forward" rules={rules} custodianTitle={custodianTitle} onDone={(c) => setForwarded({ number: c.number, dueOn: c.dueOn })} />
      ) : null}
    </Page>
  );
}

function isStatus(value: string): value is RecordsStatus {
  return (RECORDS_STATUSES as readonly string[]).includes(value);
}

function ManageSections({ timeZone }: { timeZone: string | undefined }) {
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get('status') ?? '';
  const status = isStatus(rawStatus) ? rawStatus : '';
  const open = params.get('open') === 'true';
  const q = params.get('q') ?? '';
  const [words, setWords] = useState(q);
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (open) query.set('open', 'true');
  if (q) query.set('q', q);
  const deadlines = useApi<RecordsRequestSummary[]>('/api/records/deadlines');
  const log = useApi<RecordsRequestSummary[]>(`/api/records/requests${query.toString() ? `?${query.toString()}` : ''}`);

  const setFilter = (name: 'status' | 'open' | 'q', value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const caption = [status ? recordsStatusWords(status) : 'All', open ? 'unanswered' : '', 'requests', q ? `matching “${q}”` : ''].filter(Boolean).join(' ');

  return (
    <>
      <section aria-labelledby="deadlines-heading" className="margin-top-4">
        <h2 id="deadlines-heading">Requests and deadlines</h2>
        {deadlines.state.status === 'loading' ? <Loading what="deadlines" /> : null}
        {deadlines.state.status === 'error' ? <ApiErrorAlert error={deadlines.state.error} /> : null}
        {deadlines.state.status === 'ready' ? <DeadlinesTable rows={deadlines.state.data} timeZone={timeZone} /> : null}
      </section>

      <section aria-labelledby="log-heading" className="margin-top-6">
        <h2 id="log-heading">Log of all requests</h2>
        <form
          className="usa-form civic-filter civic-records-filter"
          aria-label="Filter the log"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter('q', words.trim());
          }}
        >
          <div className="grid-row grid-gap">
            <div className="mobile-lg:grid-col-6">
              <SelectField id="log-status" name="status" label="Status" optional="quiet" placeholder="Any status" value={status}
                options={RECORDS_STATUSES.map((s) => ({ value: s, label: recordsStatusWords(s) }))} onChange={(v) => setFilter('status', v)} />
            </div>
            <div className="mobile-lg:grid-col-6">
              <TextField id="log-words" name="q" label="Words" hint="In the number, the requester or what they asked for." optional="quiet" autoComplete="off" value={words} onChange={setWords} />
            </div>
          </div>
          <div className="margin-top-2">
            <CheckboxField id="log-open" name="open" label="Only unanswered requests" checked={open} onChange={(c) => setFilter('open', c ? 'true' : '')} />
          </div>
          <button type="submit" className="usa-button usa-button--outline margin-top-2">Filter</button>
        </form>
        {log.state.status === 'loading' ? <Loading what="the log" /> : null}
        {log.state.status === 'error' ? <ApiErrorAlert error={log.state.error} /> : null}
        {log.state.status === 'ready' ? <RequestsLog rows={log.state.data} caption={caption.charAt(0).toUpperCase() + caption.slice(1)} timeZone={timeZone} /> : null}
      </section>
    </>
  );
}
