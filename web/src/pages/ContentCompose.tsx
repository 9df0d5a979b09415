// Writing a post (/content/new) or changing one (/content/:id/edit): the text with a live length
// count per target platform, the accounts it goes to, optional per-platform texts, link, the city
// website page it repeats, category, emergency, images with their alt text, and when to publish.
// The city's policy is checked as it is typed; Save keeps it, Submit sends it to the first
// approver, and a refusal names each rule, the policy's words and the offending text.
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { accountLabel, ownerWords, platformWords } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { CharacterCounts } from '../components/CharacterCounts.js';
import { ComposeMedia, mediaFieldId } from '../components/ComposeMedia.js';
import { CheckboxField, CheckboxGroup, SelectField, TextField } from '../components/Fields.js';
import { FindingsList, findingsSummary } from '../components/Findings.js';
import { Page } from '../components/Page.js';
import { ACCOUNTS_ID, checkBody, composeFrom, draftBody, EMPTY_COMPOSE, summaryTargets, TEXT_ID, validate, variantId, type ComposeState } from '../composeDraft.js';
import { draftStatusWords, PLATFORM_LIMITS } from '../contentText.js';
import type { ContentCategory, ContentPolicy, DraftDetail, Finding } from '../contentTypes.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { Account } from '../types.js';
import { useApi } from '../useApi.js';
import { useLiveCheck } from '../useLiveCheck.js';

interface ComposeLocationState {
  /** Set when the URL changed because this form saved a new draft: keep the form as it is. */
  formKept?: string;
  saved?: string;
}

function locationState(state: unknown): ComposeLocationState {
  return state && typeof state === 'object' ? (state as ComposeLocationState) : {};
}

export function ContentComposePage() {
  const { id } = useParams();
  const location = useLocation();
  const kept = locationState(location.state).formKept;
  const mountKey = kept ?? location.key;
  return <ComposeLoader key={mountKey} mountKey={mountKey} id={id ?? null} />;
}

function ComposeLoader({ id, mountKey }: { id: string | null; mountKey: string }) {
  const session = useSignedIn();
  // The draft this form was opened for; a form that saves a new draft keeps going without reloading.
  const [openedFor] = useState(id);
  const draft = useApi<DraftDetail>(openedFor ? `/api/content/drafts/${encodeURIComponent(openedFor)}` : null);
  // The accounts this person may write for (their department's, or all with a city-wide grant).
  const accounts = useApi<Account[]>('/api/content/accounts');
  const policy = useApi<ContentPolicy>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const title = openedFor ? 'Edit the post' : 'Write a post';

  const categories = policy.state.status === 'ready' ? policy.state.data.pack.content?.categories ?? [] : [];
  const refused = accounts.state.status === 'error' && accounts.state.error instanceof ApiError && accounts.state.error.status === 403;
  const accountList = accounts.state.status === 'ready' ? accounts.state.data : refused ? [] : null;

  let body;
  if (openedFor && draft.state.status === 'loading') body = <Loading what="the draft" />;
  else if (openedFor && draft.state.status === 'error') body = <ApiErrorAlert error={draft.state.error} />;
  else if (accountList === null && accounts.state.status === 'error') body = <ApiErrorAlert error={accounts.state.error} />;
  else if (accountList === null) body = <Loading what="the city's accounts" />;
  else {
    const loaded = openedFor && draft.state.status === 'ready' ? draft.state.data : null;
    body = <ComposeForm draft={loaded} accounts={accountList} accountsRefused={refused} categories={categories} mountKey={mountKey} />;
  }

  return (
    <Page title={title} lead="Write the post once; CivicDesk checks it against the city's policy as you type, then sends it through the approval chain.">
      <p className="margin-top-0"><Link className="usa-link" to="/content">Back to content</Link></p>
      {body}
    </Page>
  );
}

function ComposeForm({ draft, accounts, accountsRefused, categories, mountKey }: {
  draft: DraftDetail | null;
  accounts: Account[];
  accountsRefused: boolean;
  categories: ContentCategory[];
  mountKey: string;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const [form, setForm] = useState<ComposeState>(() => (draft ? composeFrom(draft) : EMPTY_COMPOSE));
  const [draftId, setDraftId] = useState<string | null>(draft?.id ?? null);
  const [savedKey, setSavedKey] = useState<string | null>(() => (draft ? JSON.stringify(draftBody(composeFrom(draft))) : null));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const [status, setStatus] = useState(locationState(location.state).saved ?? '');
  const [draftStatus, setDraftStatus] = useState(draft?.status ?? 'draft');
  const set = <K extends keyof ComposeState>(key: K, value: ComposeState[K]) => setForm((f) => ({ ...f, [key]: value }));

  const live = useLiveCheck(useMemo(() => checkBody(form), [form]));
  const offered = useMemo(() => accounts.filter((a) => a.status === 'active' || form.accountIds.includes(a.id)), [accounts, form.accountIds]);
  const targetPlatforms = [...new Set(offered.filter((a) => form.accountIds.includes(a.id)).map((a) => a.platform))];
  const countPlatforms = targetPlatforms.length ? targetPlatforms : PLATFORM_LIMITS.map((l) => l.platform);
  const variantPlatforms = [...new Set([...targetPlatforms, ...Object.keys(form.variants)])];
  const mainPlatforms = countPlatforms.filter((p) => !(p in form.variants));
  const { fieldIds, labels } = summaryTargets(form);
  const fe = fieldErrorsOf(error);
  const mediaErrors = Object.fromEntries(form.images.map((_, i) => [mediaFieldId(i), fe[`media.${i}.alt`]]).filter((e): e is [string, string] => Boolean(e[1])));
  const textError = fe.text ?? fe['draft.text'];

  /** Saves when anything changed since the last save; resolves to the draft's id, or null when refused. */
  const save = async (): Promise<string | null> => {
    const problems = validate(form);
    if (problems.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The draft was not saved. Correct the fields below.', fields: problems }));
      return null;
    }
    const body = draftBody(form);
    const key = JSON.stringify(body);
    if (draftId && key === savedKey) return draftId;
    if (draftId) {
      await api.put<{ findings: Finding[]; returned: boolean }>(`/api/content/drafts/${encodeURIComponent(draftId)}`, body);
      setSavedKey(key);
      setDraftStatus('draft');
      return draftId;
    }
    const created = await api.post<{ id: string; findings: Finding[] }>('/api/content/drafts', body);
    setDraftId(created.id);
    setSavedKey(key);
    // The address now names the draft; the form stays as it is (no reload).
    navigate(`/content/${encodeURIComponent(created.id)}/edit`, { replace: true, state: { formKept: mountKey } });
    return created.id;
  };

  const onSave = async () => {
    setBusy('save');
    setError(null);
    setStatus('');
    try {
      const id = await save();
      if (!id) return;
      setStatus(['in_review', 'approved', 'scheduled', 'failed', 'rejected'].includes(draftStatus)
        ? 'Draft saved. It is back with you: submit it again for approval.'
        : 'Draft saved. Submit it for approval when it is ready.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy('submit');
    setError(null);
    setStatus('');
    try {
      const id = await save();
      if (!id) return;
      await api.post<{ status: string }>(`/api/content/drafts/${encodeURIComponent(id)}/submit`, {});
      navigate(`/content/${encodeURIComponent(id)}`, { state: { submitted: true } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const wasSubmitted = !['draft', 'rejected'].includes(draftStatus);
  return (
    <div className="grid-row grid-gap-lg">
      <div className="desktop:grid-col-7">
        <div role="status" className="civic-status">{status ? <Alert kind="success" slim>{status}</Alert> : null}</div>
        {wasSubmitted ? (
          <Alert kind="warning" heading={`This post is ${draftStatusWords(draftStatus).toLowerCase()}`}>
            <p className="margin-0">Saving a change sends it back to you: the approvals given so far were for the text as it was, so it must be submitted again.</p>
          </Alert>
        ) : null}
        <ErrorSummary error={error} fieldIds={fieldIds} labels={labels} />
        <form className="usa-form usa-form--large maxw-full" onSubmit={(e) => void onSubmit(e)} noValidate aria-label={draftId ? 'Edit the post' : 'Write a post'}>
          <div className={`usa-form-group${textError ? ' usa-form-group--error' : ''}`}>
            <label className={`usa-label${textError ? ' usa-label--error' : ''}`} htmlFor={TEXT_ID}>Post text</label>
            <div className="usa-hint" id={`${TEXT_ID}-hint`}>Every account gets this text unless you write a different one for its platform below.</div>
            {textError ? <span className="usa-error-message" id={`${TEXT_ID}-error`}>{textError}</span> : null}
            <textarea
              id={TEXT_ID}
              name="text"
              className={`usa-textarea${textError ? ' usa-input--error' : ''}`}
              rows={6}
              maxLength={63_206}
              required
              value={form.text}
              aria-invalid={textError ? true : undefined}
              aria-describedby={[`${TEXT_ID}-hint`, `${TEXT_ID}-counts`, textError ? `${TEXT_ID}-error` : ''].filter(Boolean).join(' ')}
              onChange={(e) => set('text', e.target.value)}
            />
            <CharacterCounts id={`${TEXT_ID}-counts`} text={form.text} platforms={mainPlatforms} />
            {form.text.trim() && live.current ? (
              <p className="font-sans-2xs margin-y-05" data-testid="check-inline">
                <a className="usa-link" href="#check-heading" onClick={(e) => {
                  e.preventDefault();
                  const h = document.getElementById('check-heading');
                  h?.focus();
                  h?.scrollIntoView();
                }}>{findingsSummary(live.findings)}</a>
              </p>
            ) : null}
          </div>

          {offered.length ? (
            <CheckboxGroup
              id={ACCOUNTS_ID}
              legend="Post to these accounts"
              hint="Only the city's active accounts."
              error={fe.accountIds}
              options={offered.map((a) => ({ value: a.id, label: accountLabel(a), description: ownerWords(a) }))}
              selected={form.accountIds}
              onChange={(v) => set('accountIds', v)}
            />
          ) : (
            <Alert kind="warning" heading="No account to post to" headingLevel={2}>
              <p className="margin-0" id={ACCOUNTS_ID} tabIndex={-1}>
                {accountsRefused
                  ? 'Your roles may not list the city\'s accounts (account.view), so there is nothing to choose here. Ask the Communications Manager.'
                  : 'The city has no active account yet. An account must be approved and marked live before posts can go to it.'}
              </p>
            </Alert>
          )}

          <Variants form={form} platforms={variantPlatforms} onChange={(v) => set('variants', v)} />

          <TextField id="draft-link" name="link" label="Link" hint="A web address to share with the post, starting https://" optional autoComplete="off" spellCheck={false}
            value={form.link} onChange={(v) => set('link', v)} error={fe.link} maxLength={2000} />
          <TextField id="draft-website" name="websiteUrl" label="Page on the city website with the same content (website first)"
            hint="Where the city website already says this, starting https://" optional autoComplete="off" spellCheck={false}
            value={form.websiteUrl} onChange={(v) => set('websiteUrl', v)} error={fe.websiteUrl} maxLength={2000} />
          {categories.length ? (
            <SelectField id="draft-category" name="category" label="Category" optional value={form.category} onChange={(v) => set('category', v)}
              placeholder="- None -" options={categories.map((c) => ({ value: c.id, label: c.label }))} error={fe.category} />
          ) : (
            <TextField id="draft-category" name="category" label="Category" hint="For example: road work, events, public safety." optional
              value={form.category} onChange={(v) => set('category', v)} error={fe.category} maxLength={60} />
          )}
          <div className="margin-top-3">
            <CheckboxField id="draft-emergency" name="emergency" label="This is an emergency notice" description="Some policies let emergency notices go out before the city website has them; the policy check says what applies here."
              checked={form.emergency} onChange={(v) => set('emergency', v)} />
          </div>

          <ComposeMedia images={form.images} onChange={(v) => set('images', v)} errors={mediaErrors} />

          <div className={`usa-form-group${fe.scheduledAt ? ' usa-form-group--error' : ''}`}>
            <label className="usa-label" htmlFor="draft-schedule">Publish at <span className="usa-hint">(optional)</span></label>
            <div className="usa-hint" id="draft-schedule-hint">Leave blank to publish as soon as the last approver approves. In your time zone.</div>
            {fe.scheduledAt ? <span className="usa-error-message" id="draft-schedule-error">{fe.scheduledAt}</span> : null}
            <input id="draft-schedule" name="scheduledAt" type="datetime-local" className="usa-input" value={form.scheduledAt}
              aria-describedby={`draft-schedule-hint${fe.scheduledAt ? ' draft-schedule-error' : ''}`} onChange={(e) => set('scheduledAt', e.target.value)} />
          </div>

          <ul className="usa-button-group margin-top-4">
            <li className="usa-button-group__item">
              <button type="button" className="usa-button usa-button--outline" disabled={busy !== null} onClick={() => void onSave()}>
                {busy === 'save' ? 'Saving…' : 'Save draft'}
              </button>
            </li>
            <li className="usa-button-group__item">
              <button type="submit" className="usa-button" disabled={busy !== null}>{busy === 'submit' ? 'Submitting…' : 'Submit for approval'}</button>
            </li>
          </ul>
        </form>
      </div>
      <aside className="desktop:grid-col-5" aria-labelledby="check-heading" data-testid="live-check">
        <h2 id="check-heading" className="margin-top-0" tabIndex={-1}>Policy check</h2>
        <p className="usa-hint margin-top-0">Checked as you type, against the city's adopted policy. Blocks must be fixed before the post can be submitted.</p>
        <div role="status" aria-live="polite" className="usa-sr-only" data-testid="check-summary">
          {live.checking || !form.text.trim() ? '' : findingsSummary(live.findings)}
        </div>
        <p className="text-base-dark font-sans-2xs margin-y-1" aria-hidden="true" data-testid="check-state">
          {!form.text.trim() ? 'Start writing to check the post.' : live.checking ? 'Checking…' : live.current ? 'Up to date.' : ''}
        </p>
        <ApiErrorAlert error={live.error} />
        {form.text.trim() ? <FindingsList findings={live.findings} /> : null}
      </aside>
    </div>
  );
}

function Variants({ form, platforms, onChange }: { form: ComposeState; platforms: string[]; onChange: (v: Record<string, string>) => void }) {
  if (platforms.length === 0) return null;
  return (
    <fieldset className="usa-fieldset margin-top-3" data-testid="variants">
      <legend className="usa-legend">A different text for one platform</legend>
      <p className="usa-hint margin-top-05">Optional: for example a shorter text that fits Bluesky's 300 characters.</p>
      {platforms.map((p) => {
        const on = p in form.variants;
        const id = variantId(p);
        return (
          <div key={p} className="margin-top-2">
            <CheckboxField id={`${id}-on`} name={`${id}-on`} label={`Write a different text for ${platformWords(p)}`} checked={on}
              onChange={(checked) => {
                const next = { ...form.variants };
                if (checked) next[p] = form.text;
                else delete next[p];
                onChange(next);
              }} />
            {on ? (
              <div className="usa-form-group margin-top-1">
                <label className="usa-label" htmlFor={id}>{platformWords(p)} text</label>
                <textarea id={id} className="usa-textarea" rows={4} value={form.variants[p] ?? ''} aria-describedby={`${id}-counts`}
                  onChange={(e) => onChange({ ...form.variants, [p]: e.target.value })} />
                <CharacterCounts id={`${id}-counts`} text={form.variants[p] ?? ''} platforms={[p]} />
              </div>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}
