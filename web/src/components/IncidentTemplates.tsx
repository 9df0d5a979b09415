// The city's emergency templates (LX-5, BZ-6, BZ-8): each with its text (blanks marked), where its
// approval stands, and, for the approver whose step waits, an Approve button with the findings to
// acknowledge. Writers add and edit templates; an edited text must be approved again.
import { useState } from 'react';
import { accountLabel } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import type { ContentCategory } from '../contentTypes.js';
import { formatDateTime } from '../policyText.js';
import type { Account } from '../types.js';
import { approvalWords, blankLabel, templateParts, type TemplateView } from '../templateTypes.js';
import { Alert, ErrorSummary } from './Alerts.js';
import { StatusTag } from './AccountBits.js';
import { FindingItem } from './Findings.js';
import { TemplateForm } from './TemplateForm.js';

export function TemplateText({ body }: { body: string }) {
  return (
    <p className="civic-break-any margin-y-1" data-testid="template-text">
      {templateParts(body).map((p, i) => (p.blank ? <mark key={i} className="text-bold">[{blankLabel(p.text)}]</mark> : <span key={i}>{p.text}</span>))}
    </p>
  );
}

/** " on <date>" of the last approval, for an approved template. */
function ApprovedOn({ template }: { template: TemplateView }) {
  const at = template.approval.approved ? template.approval.steps.at(-1)?.at : null;
  return at ? <> on <time dateTime={at}>{formatDateTime(at)}</time></> : null;
}

function ApproveTemplate({ template, onDone }: { template: TemplateView; onDone: (message: string) => void }) {
  const [acknowledged, setAcknowledged] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const toAcknowledge = template.findings.filter((f) => f.severity === 'acknowledge');
  const ackId = `template-ack-${template.id}`;
  const next = template.approval.steps.find((s) => !s.approvedBy);

  const approve = async () => {
    const missing = toAcknowledge.filter((f) => !acknowledged.includes(f.id));
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The template was not approved.', fields: missing.map((f) => ({ path: 'body.acknowledged', message: `Acknowledge: ${f.message}` })) }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const done = await api.post<{ approved: boolean }>(`/api/content/templates/${encodeURIComponent(template.id)}/approve`, { acknowledged });
      onDone(done.approved ? `You approved "${template.title}". Updates from it with only the blanks filled now take the fast path.` : `You approved your step of "${template.title}".`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="margin-top-2" data-testid="template-approve">
      <ErrorSummary error={error} fieldIds={{ acknowledged: ackId }} labels={{ acknowledged: 'Findings' }} />
      {toAcknowledge.length ? (
        <div className={`usa-form-group${fieldErrorsOf(error).acknowledged ? ' usa-form-group--error' : ''}`}>
          <fieldset className="usa-fieldset" id={ackId} tabIndex={-1}>
            <legend className="usa-legend">Acknowledge each finding</legend>
            {toAcknowledge.map((f) => (
              <div className="usa-checkbox margin-top-1" key={f.id} data-finding={f.id}>
                <input className="usa-checkbox__input" id={`${ackId}-${f.id}`} type="checkbox" name="acknowledged" value={f.id} checked={acknowledged.includes(f.id)}
                  onChange={(e) => setAcknowledged((a) => (e.target.checked ? [...a, f.id] : a.filter((x) => x !== f.id)))} />
                <label className="usa-checkbox__label" htmlFor={`${ackId}-${f.id}`}>I acknowledge: {f.message}</label>
                <div className="margin-left-4 margin-top-05"><FindingItem finding={f} withMessage={false} /></div>
              </div>
            ))}
          </fieldset>
        </div>
      ) : null}
      <button type="button" className="usa-button margin-top-1" disabled={busy} onClick={() => void approve()}>
        {busy ? 'Approving…' : `Approve as ${next?.roleTitle ?? 'approver'}`}
      </button>
    </div>
  );
}

export function IncidentTemplates({ templates, accounts, categories, leaders, canWrite, onChanged }: {
  templates: TemplateView[];
  accounts: Account[];
  categories: ContentCategory[];
  /** Titles of the roles that may lead an emergency (null: not known to this person). */
  leaders: string[] | null;
  canWrite: boolean;
  onChanged: () => Promise<void>;
}) {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [status, setStatus] = useState('');
  const names = new Map(accounts.map((a) => [a.id, accountLabel(a)]));
  const done = async (message: string) => {
    setEditing(null);
    setStatus(message);
    await onChanged();
  };

  return (
    <section aria-labelledby="templates-heading" id="templates" className="margin-top-5" data-testid="templates">
      <h2 id="templates-heading">Emergency templates</h2>
      <p>
        Texts approved ahead of time by the content chain&apos;s approvers. During an emergency, an update made from an approved template with only its
        blanks filled is approved at once and published; changing its words sends it for the usual emergency approval.
      </p>
      {leaders && leaders.length === 0 ? (
        <p data-testid="no-leads">No role in this city&apos;s policy leads an emergency, so no update can be made from a template until the policy names one.</p>
      ) : null}
      {leaders?.length ? <p>Emergencies are opened and led by the {leaders.join(' or the ')}.</p> : null}
      <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
      {templates.length === 0 ? <p>No templates yet.</p> : (
        <ul className="usa-list usa-list--unstyled">
          {templates.map((t) => (
            <li key={t.id} className="margin-bottom-3 padding-2 border-1px border-base-lighter radius-md" data-template={t.id} data-approved={t.approval.approved}>
              <h3 className="margin-y-0">{t.title}</h3>
              <p className="margin-y-1">
                <StatusTag tone={t.approval.approved ? 'good' : t.approval.stale ? 'bad' : 'warn'} testId="template-approval">{t.approval.approved ? 'Approved' : 'Not approved'}</StatusTag>{' '}
                <span data-testid="template-approval-words">{approvalWords(t)}</span>
                <ApprovedOn template={t} />.
              </p>
              <TemplateText body={t.body} />
              <p className="margin-y-05 font-sans-3xs text-base-dark">
                Version {t.version}, written by {t.editorName}{t.accountIds.length ? `; for ${t.accountIds.map((id) => names.get(id) ?? id).join(', ')}` : '; for any account'}.
              </p>
              {t.awaitsMe ? <ApproveTemplate template={t} onDone={(m) => void done(m)} /> : null}
              {t.mayEdit && editing !== t.id ? (
                <button type="button" className="usa-button usa-button--outline margin-top-1" onClick={() => { setStatus(''); setEditing(t.id); }}>
                  Edit<span className="usa-sr-only"> {t.title}</span>
                </button>
              ) : null}
              {editing === t.id ? <TemplateForm template={t} accounts={accounts} categories={categories} onSaved={(m) => void done(m)} onCancel={() => setEditing(null)} /> : null}
            </li>
          ))}
        </ul>
      )}
      {canWrite && editing !== 'new' ? (
        <button type="button" className="usa-button usa-button--outline" onClick={() => { setStatus(''); setEditing('new'); }}>Write a new template</button>
      ) : null}
      {editing === 'new' ? <TemplateForm template={null} accounts={accounts} categories={categories} onSaved={(m) => void done(m)} onCancel={() => setEditing(null)} /> : null}
    </section>
  );
}
