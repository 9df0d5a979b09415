// Writing or editing an emergency template: a title, the text with blanks written {{name}}, and
// optionally its category and the accounts it is for. Saving a new text asks the content chain's
// approvers to approve it; an approved template whose text changes must be approved again.
import { useState, type FormEvent } from 'react';
import { accountLabel } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import type { ContentCategory } from '../contentTypes.js';
import type { Account } from '../types.js';
import { blankLabel, type TemplateView } from '../templateTypes.js';
import { ErrorSummary } from './Alerts.js';
import { CheckboxGroup, SelectField, TextAreaField, TextField } from './Fields.js';

const BLANK = /\{\{\s*([a-z][a-z0-9_]{0,39})\s*\}\}/g;

export function TemplateForm({ template, accounts, categories, onSaved, onCancel }: {
  /** The template to edit, or null for a new one. */
  template: TemplateView | null;
  accounts: Account[];
  categories: ContentCategory[];
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [title, setTitle] = useState(template?.title ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const [category, setCategory] = useState(template?.category ?? '');
  const [accountIds, setAccountIds] = useState<string[]>(template?.accountIds ?? []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const prefix = template ? `template-edit-${template.id}` : 'template-new';
  const headingId = `${prefix}-heading`;
  const blanks = [...new Set([...body.matchAll(BLANK)].map((m) => m[1] as string))];
  const fe = fieldErrorsOf(error);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = [
      ...(title.trim().length < 3 ? [{ path: 'body.title', message: 'give the template a title of at least 3 characters' }] : []),
      ...(!body.trim() ? [{ path: 'body.body', message: 'write the template\'s text' }] : []),
    ];
    if (problems.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The template was not saved.', fields: problems }));
      return;
    }
    setBusy(true);
    setError(null);
    const payload = { title: title.trim(), body: body.trim(), category: category || null, accountIds };
    try {
      if (template) {
        const saved = await api.put<{ voided: boolean }>(`/api/content/templates/${encodeURIComponent(template.id)}`, payload);
        onSaved(saved.voided ? `The template "${payload.title}" was saved. Its text changed, so it must be approved again.` : `The template "${payload.title}" was saved.`);
      } else {
        await api.post('/api/content/templates', payload);
        onSaved(`The template "${payload.title}" was saved. Its approvers have been asked to approve it.`);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby={headingId} className="margin-top-3 padding-2 border-1px border-base-lighter radius-md" data-testid="template-form">
      <h3 id={headingId} className="margin-top-0">{template ? `Edit "${template.title}"` : 'New emergency template'}</h3>
      <ErrorSummary error={error} fieldIds={{ title: `${prefix}-title`, body: `${prefix}-body`, category: `${prefix}-category`, accountIds: `${prefix}-accounts` }}
        labels={{ title: 'Title', body: 'Template text', category: 'Category', accountIds: 'Accounts' }} />
      <form className="usa-form usa-form--large" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby={headingId}>
        <TextField id={`${prefix}-title`} name="title" label="Title" hint="For staff: how the template is found during an emergency." value={title} onChange={setTitle} error={fe.title} maxLength={200} />
        <TextAreaField id={`${prefix}-body`} name="body" label="Template text" rows={4} maxLength={3000} value={body} onChange={setBody} error={fe.body}
          hint={<>Write each detail that changes as a blank in double braces, e.g. {'{{location}}'} or {'{{time}}'}: lower-case letters, digits or underscores. Whoever posts an update fills every blank; any other change to the words needs the usual approval.</>} />
        <p className="margin-y-1" data-testid="template-blanks">
          {blanks.length ? <>Blanks: {blanks.map(blankLabel).join(', ')}.</> : 'No blanks yet.'}
        </p>
        {categories.length ? (
          <SelectField id={`${prefix}-category`} name="category" label="Category" optional placeholder="- None -" value={category} onChange={setCategory}
            options={categories.map((c) => ({ value: c.id, label: c.label }))} error={fe.category} />
        ) : null}
        {accounts.length ? (
          <CheckboxGroup id={`${prefix}-accounts`} legend="Accounts (optional)" hint="Leave all unticked for a template any account may use." error={fe.accountIds}
            options={accounts.map((a) => ({ value: a.id, label: accountLabel(a) }))} selected={accountIds} onChange={setAccountIds} />
        ) : null}
        <ul className="usa-button-group margin-top-3">
          <li className="usa-button-group__item">
            <button type="submit" className="usa-button" disabled={busy}>{busy ? 'Saving…' : 'Save the template'}</button>
          </li>
          <li className="usa-button-group__item">
            <button type="button" className="usa-button usa-button--unstyled" onClick={onCancel}>Cancel</button>
          </li>
        </ul>
      </form>
    </section>
  );
}
