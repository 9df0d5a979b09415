// Training the city's policy requires (LX-11, BZ-4): people × modules, each complete (with its
// dates), expired or missing, and, for whoever holds training.manage, a form to record a
// completion. A policy with no modules requires none, and the page says so.
import { useState, type FormEvent } from 'react';
import { moduleStateWords } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { StatusTag } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { SelectField, TextAreaField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { formatDate, gateWords } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { ModuleStatus, TrainingMatrix } from '../types.js';
import { useApi } from '../useApi.js';

export function TrainingPage() {
  const session = useSignedIn();
  const { state, reload } = useApi<TrainingMatrix>('/api/training');
  const [status, setStatus] = useState('');
  return (
    <Page title="Training" lead="The training the city's policy requires, and who has completed it.">
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      {state.status === 'loading' ? <Loading what="training records" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' && state.data.modules.length === 0 ? (
        <Alert kind="info" heading="No training is required" role="region" id="no-training">
          <p className="margin-0" data-testid="no-modules">
            {session.city.name}'s policy names no training modules, so nobody needs training before using an account, opening one or submitting posts.
          </p>
        </Alert>
      ) : null}
      {state.status === 'ready' && state.data.modules.length > 0 ? (
        <>
          <section aria-labelledby="modules-heading">
            <h2 id="modules-heading">Modules</h2>
            <ul className="usa-list">
              {state.data.modules.map((m) => (
                <li key={m.id}>
                  <strong>{m.title}</strong>: required {m.requiredFor.map(gateWords).join(', ') || 'for nothing yet'}
                  {m.renewEveryMonths ? `, renewed every ${m.renewEveryMonths} months` : ''}. <Sources ids={m.sources} />
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="matrix-heading">
            <h2 id="matrix-heading">Who has done what</h2>
            <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="matrix-caption">
              <table className="usa-table usa-table--striped usa-table--compact width-full civic-results" data-testid="training-matrix">
                <caption id="matrix-caption">Staff and training modules ({state.data.people.length} people)</caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    {state.data.modules.map((m) => <th key={m.id} scope="col">{m.title}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {state.data.people.map((p) => (
                    <tr key={p.userId}>
                      <th scope="row">{p.displayName}<span className="display-block font-sans-3xs text-base-dark civic-break-any">{p.email}</span></th>
                      {state.data.modules.map((m) => <td key={m.id}><ModuleCell status={p.modules.find((x) => x.moduleId === m.id)} /></td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          {hasPermission(session, 'training.manage') ? (
            <CompletionForm
              data={state.data}
              onRecorded={async (message) => {
                setStatus(message);
                await reload();
              }}
            />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}

function ModuleCell({ status }: { status: ModuleStatus | undefined }) {
  if (!status) return <span className="text-base-dark">Unknown</span>;
  const tone = status.state === 'current' ? 'good' : status.state === 'expired' ? 'bad' : 'warn';
  return (
    <>
      <StatusTag tone={tone}>{moduleStateWords(status.state)}</StatusTag>
      {status.completedOn ? <span className="display-block font-sans-3xs">Completed {formatDate(status.completedOn)}</span> : null}
      {status.expiresOn ? <span className="display-block font-sans-3xs">{status.state === 'expired' ? 'Expired' : 'Valid until'} {formatDate(status.expiresOn)}</span> : null}
    </>
  );
}

const IDS = { userId: 'tc-person', moduleId: 'tc-module', completedOn: 'tc-date', evidence: 'tc-evidence' };
const LABELS = { userId: 'Person', moduleId: 'Module', completedOn: 'Completed on', evidence: 'Evidence' };

function CompletionForm({ data, onRecorded }: { data: TrainingMatrix; onRecorded: (message: string) => Promise<void> }) {
  const [userId, setUserId] = useState('');
  const [moduleId, setModuleId] = useState('');
  const [completedOn, setCompletedOn] = useState('');
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const missing = [];
    if (!userId) missing.push({ path: 'body.userId', message: 'Choose the person.' });
    if (!moduleId) missing.push({ path: 'body.moduleId', message: 'Choose the module.' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(completedOn)) missing.push({ path: 'body.completedOn', message: 'Give the date they completed it.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'Nothing was recorded. Correct the fields below.', fields: missing }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/training/completions', { userId, moduleId, completedOn, evidence: evidence.trim() || null });
      const person = data.people.find((p) => p.userId === userId)?.displayName ?? 'them';
      const module = data.modules.find((m) => m.id === moduleId)?.title ?? moduleId;
      setUserId('');
      setModuleId('');
      setCompletedOn('');
      setEvidence('');
      await onRecorded(`Recorded that ${person} completed “${module}”.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fe = fieldErrorsOf(error);
  return (
    <section aria-labelledby="record-heading" className="margin-top-4">
      <h2 id="record-heading">Record a completion</h2>
      <ErrorSummary error={error} fieldIds={IDS} labels={LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby="record-heading">
        <SelectField id={IDS.userId} name="userId" label={LABELS.userId} value={userId} onChange={setUserId} placeholder="- Choose -" options={data.people.map((p) => ({ value: p.userId, label: p.displayName }))} error={fe.userId} />
        <SelectField id={IDS.moduleId} name="moduleId" label={LABELS.moduleId} value={moduleId} onChange={setModuleId} placeholder="- Choose -" options={data.modules.map((m) => ({ value: m.id, label: m.title }))} error={fe.moduleId} />
        <TextField id={IDS.completedOn} name="completedOn" type="date" label={LABELS.completedOn} value={completedOn} onChange={setCompletedOn} error={fe.completedOn} />
        <TextAreaField id={IDS.evidence} name="evidence" label={LABELS.evidence} hint="For example the certificate number or who gave the session." optional value={evidence} onChange={setEvidence} error={fe.evidence} maxLength={2000} />
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Recording…' : 'Record the completion'}</button>
      </form>
    </section>
  );
}
