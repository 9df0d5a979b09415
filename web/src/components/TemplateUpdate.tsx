// Posting an update of an open emergency from an approved template: choose the template, fill each
// blank (all required), see the text as it will go out, choose the accounts. With only the blanks
// filled the update is pre-approved and published at once; changing the words sends it for the
// emergency approval instead, and the form says so before it is sent.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { accountLabel } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import type { Account } from '../types.js';
import { blankLabel, fillBlanks, type TemplateUpdateOutcome, type TemplateView } from '../templateTypes.js';
import { Alert, ErrorSummary } from './Alerts.js';
import { CheckboxField, CheckboxGroup, SelectField, TextAreaField, TextField } from './Fields.js';
import { TemplateText } from './IncidentTemplates.js';

function outcomeWords(o: TemplateUpdateOutcome): string {
  if (o.status === 'approved' || o.status === 'published' || o.published.length) {
    const failed = o.published.filter((p) => p.status !== 'published');
    return failed.length
      ? `The update was pre-approved, but publishing failed for ${failed.length} account(s): ${failed.map((f) => f.error ?? f.status).join('; ')}. Retry from the post's page.`
      : 'The update was pre-approved by the template\'s approval and published.';
  }
  return o.exact
    ? 'The update was sent for the emergency approval (see the post\'s page for why the fast path did not apply).'
    : 'Its words differ from the approved template, so the update was sent for the emergency approval.';
}

export function TemplateUpdate({ incidentId, templates, accounts, onPosted }: {
  incidentId: string;
  /** Approved templates only. */
  templates: TemplateView[];
  accounts: Account[];
  onPosted: () => Promise<void>;
}) {
  const accountsOf = (t: TemplateView | undefined) => (t?.accountIds.length ? t.accountIds.filter((a) => accounts.some((x) => x.id === a)) : []);
  // With one approved template, it is chosen already, with the accounts it is approved for.
  const [templateId, setTemplateId] = useState(templates.length === 1 ? templates[0]!.id : '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [accountIds, setAccountIds] = useState<string[]>(() => (templates.length === 1 ? accountsOf(templates[0]) : []));
  const [reword, setReword] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<TemplateUpdateOutcome | null>(null);
  const template = templates.find((t) => t.id === templateId) ?? null;
  const offered = template?.accountIds.length ? accounts.filter((a) => template.accountIds.includes(a.id)) : accounts;
  const prefix = `update-${incidentId}`;
  const headingId = `${prefix}-heading`;
  const fe = fieldErrorsOf(error);
  const filled = template ? fillBlanks(template.body, values) : '';

  const choose = (id: string) => {
    setTemplateId(id);
    setValues({});
    setReword(false);
    setAccountIds(accountsOf(templates.find((x) => x.id === id)));
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = [
      ...(!template ? [{ path: 'body.templateId', message: 'choose a template' }] : []),
      ...(template?.blanks ?? []).filter((b) => !values[b]?.trim()).map((b) => ({ path: `body.values.${b}`, message: 'fill in this blank' })),
      ...(accountIds.length === 0 ? [{ path: 'body.accountIds', message: 'choose at least one account' }] : []),
      ...(reword && !text.trim() ? [{ path: 'body.text', message: 'write the update' }] : []),
    ];
    if (problems.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The update was not posted.', fields: problems }));
      return;
    }
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const body = { templateId, values: Object.fromEntries((template?.blanks ?? []).map((b) => [b, values[b]?.trim() ?? ''])), accountIds, ...(reword ? { text: text.trim() } : {}) };
      const done = await api.post<TemplateUpdateOutcome>(`/api/incidents/${encodeURIComponent(incidentId)}/updates`, body);
      setOutcome(done);
      setValues({});
      setReword(false);
      await onPosted();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldIds: Record<string, string> = { templateId: `${prefix}-template`, accountIds: `${prefix}-accounts`, text: `${prefix}-text` };
  const labels: Record<string, string> = { templateId: 'Template', accountIds: 'Accounts', text: 'Update text' };
  for (const b of template?.blanks ?? []) {
    fieldIds[`values.${b}`] = `${prefix}-blank-${b}`;
    labels[`values.${b}`] = blankLabel(b);
  }

  return (
    <section aria-labelledby={headingId} className="margin-top-2" data-testid="template-update">
      <h3 id={headingId}>Post an update from a template</h3>
      <div role="status" className="civic-status">
        {outcome ? (
          <Alert kind={outcome.status === 'in_review' ? 'info' : 'success'} slim>
            <span data-testid="update-outcome" data-status={outcome.status}>{outcomeWords(outcome)}</span>{' '}
            <Link className="usa-link" to={`/content/${encodeURIComponent(outcome.id)}`}>Open the update</Link>
          </Alert>
        ) : null}
      </div>
      {templates.length === 0 ? <p>No template is approved yet: write one below and ask its approvers, or write the update as a post.</p> : (
        <>
          <ErrorSummary error={error} fieldIds={fieldIds} labels={labels} />
          <form className="usa-form usa-form--large" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={headingId}>
            <SelectField id={`${prefix}-template`} name="templateId" label="Template" placeholder="- Choose a template -" value={templateId} onChange={choose}
              options={templates.map((t) => ({ value: t.id, label: t.title }))} error={fe.templateId} />
            {template ? (
              <>
                <TemplateText body={template.body} />
                {template.blanks.map((b) => (
                  <TextField key={b} id={`${prefix}-blank-${b}`} name={b} label={blankLabel(b)} maxLength={200} value={values[b] ?? ''}
                    onChange={(v) => setValues((x) => ({ ...x, [b]: v }))} error={fe[`values.${b}`]} />
                ))}
                <h4 className="margin-bottom-05">The update as it will go out</h4>
                <p className="civic-break-any margin-top-0 padding-1 bg-base-lightest" data-testid="update-preview">{filled}</p>
                <CheckboxGroup id={`${prefix}-accounts`} legend="Accounts" error={fe.accountIds}
                  hint={template.accountIds.length ? 'The template is approved for these accounts.' : undefined}
                  options={offered.map((a) => ({ value: a.id, label: accountLabel(a) }))} selected={accountIds} onChange={setAccountIds} />
                <CheckboxField id={`${prefix}-reword`} name="reword" label="Change the wording" checked={reword}
                  description="The changed text is no longer the approved one: it waits for the emergency approval."
                  onChange={(on) => { setReword(on); if (on) setText(filled); }} />
                {reword ? (
                  <TextAreaField id={`${prefix}-text`} name="text" label="Update text" rows={4} value={text} onChange={setText} error={fe.text ?? fe['draft.text']} />
                ) : null}
              </>
            ) : null}
            <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Posting…' : 'Post the update'}</button>
          </form>
        </>
      )}
    </section>
  );
}
