// Making a request: choose what for (a new account, an administrator change, staff access,
// retiring an account, a new platform), fill in its form, and see the approval chain the city's
// policy applies (each step's role and the policy ids) before submitting. The server checks the
// rest (IT administrator on every account, training, approved platforms) and its refusals are shown
// with their citations.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { accountLabel, platformApprovers, REQUEST_TYPE_WORDS, REQUEST_TYPES } from '../accountText.js';
import { ApiError, api, fieldErrorsOf } from '../api.js';
import { ChainSteps, type ChainStepView } from '../components/AccountBits.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { CheckboxGroup, SelectField, TextAreaField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { roleTitle } from '../policyText.js';
import { hasPermission, scopeOf, useSignedIn } from '../session.js';
import type {
  Account, ApprovedPlatform, Department, PackPlatform, DirectoryPerson, PolicyPack, PolicyResponse, RequestType,
} from '../types.js';
import { useApi, type Loadable } from '../useApi.js';

interface Lookups {
  pack: PolicyPack | null;
  platforms: Array<{ id: string; name: string; sources: string[] }>;
  departments: Department[] | null;
  people: DirectoryPerson[] | null;
  accounts: Account[] | null;
}

function ready<T>(state: Loadable<T>): T | null {
  return state.status === 'ready' ? state.data : null;
}

export function RequestNewPage() {
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const allowed = REQUEST_TYPES.filter((t) => hasPermission(session, REQUEST_TYPE_WORDS[t].permission));
  const raw = params.get('type') ?? '';
  const type = (allowed as string[]).includes(raw) ? (raw as RequestType) : null;
  const accountId = params.get('accountId') ?? '';

  const policy = useApi<PolicyResponse>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const canSeeAccounts = hasPermission(session, 'account.view');
  const platforms = useApi<ApprovedPlatform[]>(canSeeAccounts ? '/api/platforms' : null);
  const departments = useApi<Department[]>(hasPermission(session, 'staff.view') ? '/api/departments' : null);
  const people = useApi<DirectoryPerson[]>('/api/people/directory');
  const accounts = useApi<Account[]>(canSeeAccounts ? '/api/accounts' : null);

  const pack = ready(policy.state)?.pack ?? null;
  const lookups: Lookups = useMemo(() => {
    // Without account.view the approved list is out of reach: the platforms the policy itself names
    // (from the pack) are offered instead.
    const fromPack: PackPlatform[] = pack?.platforms ?? [];
    const approved = ready(platforms.state);
    return {
      pack,
      platforms: approved ? approved.map((p) => ({ id: p.id, name: p.name, sources: p.sources })) : fromPack.map((p) => ({ id: p.id, name: p.name, sources: p.sources })),
      departments: ready(departments.state),
      people: ready(people.state) ?? null, // the directory lists active staff only
      accounts: ready(accounts.state)?.filter((a) => a.status !== 'retired') ?? null,
    };
  }, [pack, platforms.state, departments.state, people.state, accounts.state]);

  const loading = hasPermission(session, 'pack.view') && policy.state.status === 'loading';

  return (
    <Page title="Make a request" lead="Choose what you are asking for. The city's policy decides who must approve it, in order.">
      {allowed.length === 0 ? (
        <Alert kind="info">None of your roles may make requests here. Ask your department director or the Communications Manager.</Alert>
      ) : (
        <fieldset className="usa-fieldset" data-testid="request-types">
          <legend className="usa-legend usa-legend--large">What are you asking for?</legend>
          {allowed.map((t) => (
            <div className="usa-radio" key={t}>
              <input
                className="usa-radio__input usa-radio__input--tile"
                id={`type-${t}`}
                type="radio"
                name="type"
                value={t}
                checked={type === t}
                onChange={() => {
                  const next = new URLSearchParams(params);
                  next.set('type', t);
                  setParams(next, { replace: true });
                }}
              />
              <label className="usa-radio__label" htmlFor={`type-${t}`}>
                {REQUEST_TYPE_WORDS[t].title}
                <span className="usa-checkbox__label-description">{REQUEST_TYPE_WORDS[t].description}</span>
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {policy.state.status === 'error' ? <ApiErrorAlert error={policy.state.error} /> : null}
      {loading ? <Loading what="the policy" /> : null}
      {type ? (
        <div className="grid-row grid-gap-lg margin-top-4">
          <div className="desktop:grid-col-8">
            <RequestForm key={type} type={type} lookups={lookups} initialAccountId={accountId} />
          </div>
          <aside className="desktop:grid-col-4" aria-labelledby="chain-heading">
            <h2 id="chain-heading" className="margin-top-0">Who will approve it</h2>
            <ChainPreview type={type} pack={pack} />
          </aside>
        </div>
      ) : null}
    </Page>
  );
}

function ChainPreview({ type, pack }: { type: RequestType; pack: PolicyPack | null }) {
  if (!pack) return <p>The approval chain is in the city's policy; you will see it on the request once it is made.</p>;
  let steps: ChainStepView[];
  let sources: string[];
  let notes: string | undefined;
  if (type === 'platform') {
    const roles = platformApprovers(pack);
    const [first, ...rest] = roles;
    if (!first) return <p>No role in the city's policy approves new platforms, so this request cannot be made.</p>;
    steps = [{
      roleTitle: rest.length ? `${first.title} (or the ${rest.map((r) => r.title).join(', or the ')})` : first.title,
      label: 'approves the platform for city use and adds it to the approved list',
    }];
    sources = [...new Set(roles.flatMap((r) => r.sources))].sort();
  } else {
    const chain = pack.approvalChains[type];
    steps = chain.steps.map((s) => ({ roleTitle: roleTitle(pack, s.role), label: s.label }));
    sources = chain.sources;
    notes = chain.notes;
  }
  return (
    <>
      <p>In this order. Nobody approves their own request, and each step is decided by a different person.</p>
      <ChainSteps steps={steps} sources={sources} notes={notes} testId="chain-preview" />
    </>
  );
}

function RequestForm({ type, lookups, initialAccountId }: { type: RequestType; lookups: Lookups; initialAccountId: string }) {
  switch (type) {
    case 'newAccount': return <NewAccountForm lookups={lookups} />;
    case 'adminChange': return <AdminChangeForm lookups={lookups} initialAccountId={initialAccountId} />;
    case 'staffAccess': return <StaffAccessForm lookups={lookups} initialAccountId={initialAccountId} />;
    case 'accountDeletion': return <AccountDeletionForm lookups={lookups} initialAccountId={initialAccountId} />;
    case 'platform': return <PlatformForm />;
  }
}

/** Submits, then opens the new request; a refusal stays on the form with its citations. */
function useSubmit(type: RequestType) {
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (subject: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      const { id } = await api.post<{ id: string }>('/api/requests', { type, subject });
      navigate(`/requests/${encodeURIComponent(id)}`, { state: { submitted: true } });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}

/** Leaves out optional fields left blank: the server treats "" as a value, not as absent. */
function compact(subject: Record<string, string | string[] | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(subject)) {
    if (v === undefined) continue;
    if (typeof v === 'string' && !v.trim()) continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

function FormShell({ title, error, fieldIds, labels, busy, onSubmit, children, submitLabel = 'Submit the request' }: {
  title: string;
  error: unknown;
  fieldIds: Record<string, string>;
  labels: Record<string, string>;
  busy: boolean;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
  submitLabel?: string;
}) {
  return (
    <section aria-labelledby="request-form-heading">
      <h2 id="request-form-heading" className="margin-top-0">{title}</h2>
      <ErrorSummary error={error} fieldIds={fieldIds} labels={labels} />
      <form className="usa-form usa-form--large" onSubmit={onSubmit} noValidate aria-labelledby="request-form-heading">
        {children}
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>{busy ? 'Submitting…' : submitLabel}</button>
      </form>
    </section>
  );
}

function personOptions(pack: PolicyPack | null, people: DirectoryPerson[]) {
  const it = pack?.security.itAdminRole;
  return people.map((p) => ({
    value: p.id,
    label: <>{p.displayName}{it && p.roles.includes(it) ? <strong> (IT)</strong> : null}</>,
    description: [p.roleTitles.join(', ') || 'No roles', p.department].filter(Boolean).join(' · '),
  }));
}

const NA_IDS = {
  'subject.platform': 'na-platform',
  'subject.handle': 'na-handle',
  'subject.profileUrl': 'na-profile',
  'subject.departmentId': 'na-department',
  'subject.boardName': 'na-board',
  'subject.minutesReference': 'na-minutes',
  'subject.purpose': 'na-purpose',
  'subject.signupEmail': 'na-signup',
  'subject.administrators': 'na-admins',
};
const NA_LABELS = {
  'subject.platform': 'Platform',
  'subject.handle': 'Handle',
  'subject.profileUrl': 'Profile address',
  'subject.departmentId': 'Department',
  'subject.boardName': 'Board or committee',
  'subject.minutesReference': 'Minutes reference',
  'subject.purpose': 'Purpose',
  'subject.signupEmail': 'Sign-up e-mail',
  'subject.administrators': 'Administrators',
};

function NewAccountForm({ lookups }: { lookups: Lookups }) {
  const session = useSignedIn();
  const { pack } = lookups;
  const { error, setError, busy, submit } = useSubmit('newAccount');
  const [platform, setPlatform] = useState('');
  const [handle, setHandle] = useState('');
  const [profileUrl, setProfileUrl] = useState('');
  const [owner, setOwner] = useState<'department' | 'board'>('department');
  const [departmentId, setDepartmentId] = useState('');
  const [boardName, setBoardName] = useState('');
  const [minutesReference, setMinutesReference] = useState('');
  const [purpose, setPurpose] = useState('');
  const [signupEmail, setSignupEmail] = useState('');
  const [administrators, setAdministrators] = useState<string[]>([]);

  const departments = lookups.departments ?? [];
  // A department-scoped requester sees, and may ask for, their own department only.
  const onlyDepartment = departments.length === 1 ? departments[0] : undefined;
  const chosenDepartment = departmentId || (onlyDepartment?.id ?? '');
  const itTitle = pack?.security.itAdminRole ? roleTitle(pack, pack.security.itAdminRole) : null;
  const domain = pack?.city.emailDomain;
  const staffScope = scopeOf(session, 'staff.view');

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = [];
    if (!platform) missing.push({ path: 'body.subject.platform', message: 'Choose the platform.' });
    if (!handle.trim()) missing.push({ path: 'body.subject.handle', message: 'Give the account\'s handle or name.' });
    if (owner === 'department' && !chosenDepartment) missing.push({ path: 'body.subject.departmentId', message: 'Choose the department the account speaks for.' });
    if (owner === 'board' && !boardName.trim()) missing.push({ path: 'body.subject.boardName', message: 'Name the board or committee.' });
    if (owner === 'board' && !minutesReference.trim()) missing.push({ path: 'body.subject.minutesReference', message: 'Give the minutes reference of the decision to open it.' });
    if (!purpose.trim()) missing.push({ path: 'body.subject.purpose', message: 'Say what the account is for.' });
    if (!signupEmail.trim()) missing.push({ path: 'body.subject.signupEmail', message: 'Give the e-mail address the account will be opened with.' });
    if (administrators.length === 0) missing.push({ path: 'body.subject.administrators', message: 'Choose at least one administrator.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not submitted. Correct the fields below.', fields: missing }));
      return;
    }
    void submit({
      ...compact({
        platform,
        handle,
        profileUrl,
        // For a board, the staff liaison's department (optional): what the field shows is what is sent.
        departmentId: chosenDepartment,
        boardName: owner === 'board' ? boardName : undefined,
        minutesReference: owner === 'board' ? minutesReference : undefined,
        purpose,
        signupEmail,
      }),
      administrators,
    });
  };

  const fe = fieldErrorsOf(error);
  return (
    <FormShell title="A new official account" error={error} fieldIds={NA_IDS} labels={NA_LABELS} busy={busy} onSubmit={onSubmit}>
      <SelectField
        id={NA_IDS['subject.platform']}
        name="platform"
        label="Platform"
        hint={<>Only platforms on the city's approved list. <Sources ids={[...new Set(lookups.platforms.flatMap((p) => p.sources))]} /></>}
        value={platform}
        onChange={setPlatform}
        placeholder="- Choose -"
        options={lookups.platforms.map((p) => ({ value: p.id, label: p.name }))}
        error={fe['subject.platform']}
      />
      <TextField id={NA_IDS['subject.handle']} name="handle" label="Handle or page name" hint="For example @KalispellParks" autoComplete="off" spellCheck={false} value={handle} onChange={setHandle} error={fe['subject.handle']} maxLength={200} />
      <TextField id={NA_IDS['subject.profileUrl']} name="profileUrl" label="Profile address" hint="If it is known already, starting https://" optional autoComplete="off" spellCheck={false} value={profileUrl} onChange={setProfileUrl} error={fe['subject.profileUrl']} maxLength={500} />
      <fieldset className="usa-fieldset margin-top-3">
        <legend className="usa-legend">Who does it speak for?</legend>
        {(['department', 'board'] as const).map((o) => (
          <div className="usa-radio" key={o}>
            <input className="usa-radio__input" id={`na-owner-${o}`} type="radio" name="owner" value={o} checked={owner === o} onChange={() => setOwner(o)} />
            <label className="usa-radio__label" htmlFor={`na-owner-${o}`}>{o === 'department' ? 'A city department' : 'A board or committee'}</label>
          </div>
        ))}
      </fieldset>
      {lookups.departments ? (
        <SelectField
          id={NA_IDS['subject.departmentId']}
          name="departmentId"
          label={owner === 'department' ? 'Department' : 'Staff liaison\'s department'}
          hint={staffScope === 'department' ? 'You may request accounts for your own department.' : undefined}
          optional={owner === 'board'}
          value={chosenDepartment}
          onChange={setDepartmentId}
          placeholder={onlyDepartment && owner === 'department' ? undefined : '- Choose -'}
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          error={fe['subject.departmentId']}
        />
      ) : <Alert kind="info" slim>Your roles cannot list departments; ask the Communications Manager to make this request.</Alert>}
      {owner === 'board' ? (
        <>
          <TextField id={NA_IDS['subject.boardName']} name="boardName" label="Board or committee" autoComplete="off" value={boardName} onChange={setBoardName} error={fe['subject.boardName']} maxLength={200} />
          <TextField id={NA_IDS['subject.minutesReference']} name="minutesReference" label="Minutes reference" hint="Where the board's decision to open the account is minuted, for example “Park Board minutes, 4 March 2026, item 6”." autoComplete="off" value={minutesReference} onChange={setMinutesReference} error={fe['subject.minutesReference']} maxLength={500} />
        </>
      ) : null}
      <TextAreaField id={NA_IDS['subject.purpose']} name="purpose" label="Purpose" hint="What the account will be used for, and for whom." value={purpose} onChange={setPurpose} error={fe['subject.purpose']} maxLength={2000} />
      <TextField
        id={NA_IDS['subject.signupEmail']}
        name="signupEmail"
        type="email"
        label="Sign-up e-mail"
        hint={domain ? `The address the account is opened with; a shared city address (@${domain}) survives staff changes.` : 'The address the account is opened with.'}
        autoComplete="off"
        spellCheck={false}
        value={signupEmail}
        onChange={setSignupEmail}
        error={fe['subject.signupEmail']}
        maxLength={320}
      />
      {lookups.people ? (
        <CheckboxGroup
          id={NA_IDS['subject.administrators']}
          legend="Administrators"
          hint={<>
            {itTitle ? <>The city's policy requires the {itTitle} (marked IT) among them. </> : null}
            {pack ? <Sources ids={pack.security.sources} /> : null}
            {staffScope !== 'city' ? (
              <span className="display-block">
                Only your own department's staff are listed for you{itTitle ? `: if the ${itTitle} is not among them, ask the Communications Manager to make this request` : ''}.
              </span>
            ) : null}
          </>}
          options={personOptions(pack, lookups.people)}
          selected={administrators}
          onChange={setAdministrators}
          error={fe['subject.administrators']}
        />
      ) : <Alert kind="info" slim>Your roles cannot list staff, so you cannot name administrators here.</Alert>}
    </FormShell>
  );
}

function AccountPicker({ id, accounts, value, onChange, error }: {
  id: string;
  accounts: Account[] | null;
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  if (accounts) {
    return (
      <SelectField
        id={id}
        name="accountId"
        label="Account"
        value={value}
        onChange={onChange}
        placeholder="- Choose -"
        options={accounts.map((a) => ({ value: a.id, label: `${accountLabel(a)}${a.department ? ` (${a.department})` : ''}` }))}
        error={error}
      />
    );
  }
  // Without account.view the registry is out of reach: the account's id is typed in (from a link).
  return (
    <TextField
      id={id}
      name="accountId"
      label="Account ID"
      hint="Your roles cannot list the city's accounts. Follow the link from the account, or ask the Communications Manager for its ID."
      autoComplete="off"
      spellCheck={false}
      value={value}
      onChange={onChange}
      error={error}
      maxLength={100}
    />
  );
}

function PersonPicker({ id, label, people, pack, value, onChange, error, hint, placeholder = '- Choose -' }: {
  id: string;
  label: string;
  people: DirectoryPerson[] | null;
  pack: PolicyPack | null;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: ReactNode;
  placeholder?: string;
}) {
  if (!people) return <Alert kind="info" slim>Your roles cannot list staff, so you cannot name someone here.</Alert>;
  const it = pack?.security.itAdminRole;
  return (
    <SelectField
      id={id}
      name="userId"
      label={label}
      hint={hint}
      value={value}
      onChange={onChange}
      placeholder={placeholder}
      options={people.map((p) => ({ value: p.id, label: `${p.displayName}${it && p.roles.includes(it) ? ' (IT)' : ''} · ${p.roleTitles.join(', ') || 'no roles'}` }))}
      error={error}
    />
  );
}

const AC_IDS = { 'subject.accountId': 'ac-account', 'subject.change': 'ac-change', 'subject.userId': 'ac-person', 'subject.reason': 'ac-reason' };
const AC_LABELS = { 'subject.accountId': 'Account', 'subject.change': 'Change', 'subject.userId': 'DirectoryPerson', 'subject.reason': 'Reason' };

function AdminChangeForm({ lookups, initialAccountId }: { lookups: Lookups; initialAccountId: string }) {
  const { error, setError, busy, submit } = useSubmit('adminChange');
  const [accountId, setAccountId] = useState(initialAccountId);
  const [change, setChange] = useState<'add' | 'remove'>('add');
  const [userId, setUserId] = useState('');
  const [reason, setReason] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = [];
    if (!accountId.trim()) missing.push({ path: 'body.subject.accountId', message: 'Choose the account.' });
    if (!userId) missing.push({ path: 'body.subject.userId', message: 'Choose the person.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not submitted. Correct the fields below.', fields: missing }));
      return;
    }
    void submit(compact({ accountId, change, userId, reason }));
  };
  const fe = fieldErrorsOf(error);
  return (
    <FormShell title="A change of administrators" error={error} fieldIds={AC_IDS} labels={AC_LABELS} busy={busy} onSubmit={onSubmit}>
      <AccountPicker id={AC_IDS['subject.accountId']} accounts={lookups.accounts} value={accountId} onChange={setAccountId} error={fe['subject.accountId']} />
      <fieldset className="usa-fieldset margin-top-3" id={AC_IDS['subject.change']} tabIndex={-1}>
        <legend className="usa-legend">Change</legend>
        {(['add', 'remove'] as const).map((c) => (
          <div className="usa-radio" key={c}>
            <input className="usa-radio__input" id={`ac-change-${c}`} type="radio" name="change" value={c} checked={change === c} onChange={() => setChange(c)} />
            <label className="usa-radio__label" htmlFor={`ac-change-${c}`}>{c === 'add' ? 'Add an administrator' : 'Remove an administrator'}</label>
          </div>
        ))}
      </fieldset>
      <PersonPicker id={AC_IDS['subject.userId']} label={change === 'add' ? 'DirectoryPerson to add' : 'DirectoryPerson to remove'} people={lookups.people} pack={lookups.pack} value={userId} onChange={setUserId} error={fe['subject.userId']} />
      <TextAreaField id={AC_IDS['subject.reason']} name="reason" label="Reason" optional value={reason} onChange={setReason} error={fe['subject.reason']} maxLength={2000} />
    </FormShell>
  );
}

const SA_IDS = { 'subject.accountId': 'sa-account', 'subject.userId': 'sa-person', 'subject.proposal': 'sa-proposal' };
const SA_LABELS = { 'subject.accountId': 'Account', 'subject.userId': 'Staff member', 'subject.proposal': 'Proposal' };

function StaffAccessForm({ lookups, initialAccountId }: { lookups: Lookups; initialAccountId: string }) {
  const session = useSignedIn();
  const { error, setError, busy, submit } = useSubmit('staffAccess');
  const [accountId, setAccountId] = useState(initialAccountId);
  const [userId, setUserId] = useState('');
  const [proposal, setProposal] = useState('');
  const others = lookups.people?.filter((p) => p.id !== session.user.id) ?? null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = [];
    if (!accountId.trim()) missing.push({ path: 'body.subject.accountId', message: 'Choose the account.' });
    if (!proposal.trim()) missing.push({ path: 'body.subject.proposal', message: 'Say what they will post and why.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not submitted. Correct the fields below.', fields: missing }));
      return;
    }
    // No userId: the server takes the requester (the usual case, an employee asking for themself).
    void submit(compact({ accountId, userId: userId || undefined, proposal }));
  };
  const fe = fieldErrorsOf(error);
  return (
    <FormShell title="Staff access to an account" error={error} fieldIds={SA_IDS} labels={SA_LABELS} busy={busy} onSubmit={onSubmit}>
      <AccountPicker id={SA_IDS['subject.accountId']} accounts={lookups.accounts} value={accountId} onChange={setAccountId} error={fe['subject.accountId']} />
      {others ? (
        <PersonPicker
          id={SA_IDS['subject.userId']}
          label="Who would post"
          people={others}
          pack={lookups.pack}
          value={userId}
          onChange={setUserId}
          placeholder={`Me (${session.user.displayName})`}
          error={fe['subject.userId']}
        />
      ) : <p>You are asking for access for yourself ({session.user.displayName}).</p>}
      <TextAreaField id={SA_IDS['subject.proposal']} name="proposal" label="Proposal" hint="What they will post on the account, and why they need access." value={proposal} onChange={setProposal} error={fe['subject.proposal']} maxLength={4000} />
    </FormShell>
  );
}

const AD_IDS = { 'subject.accountId': 'ad-account', 'subject.reason': 'ad-reason' };
const AD_LABELS = { 'subject.accountId': 'Account', 'subject.reason': 'Reason' };

function AccountDeletionForm({ lookups, initialAccountId }: { lookups: Lookups; initialAccountId: string }) {
  const { error, setError, busy, submit } = useSubmit('accountDeletion');
  const [accountId, setAccountId] = useState(initialAccountId);
  const [reason, setReason] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = [];
    if (!accountId.trim()) missing.push({ path: 'body.subject.accountId', message: 'Choose the account.' });
    if (!reason.trim()) missing.push({ path: 'body.subject.reason', message: 'Say why the account should close.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not submitted. Correct the fields below.', fields: missing }));
      return;
    }
    void submit(compact({ accountId, reason }));
  };
  const fe = fieldErrorsOf(error);
  return (
    <FormShell title="Retiring an account" error={error} fieldIds={AD_IDS} labels={AD_LABELS} busy={busy} onSubmit={onSubmit}>
      <p>A retired account is never deleted from CivicDesk: it stays in the registry and the archive as a public record.</p>
      <AccountPicker id={AD_IDS['subject.accountId']} accounts={lookups.accounts} value={accountId} onChange={setAccountId} error={fe['subject.accountId']} />
      <TextAreaField id={AD_IDS['subject.reason']} name="reason" label="Reason" value={reason} onChange={setReason} error={fe['subject.reason']} maxLength={2000} />
    </FormShell>
  );
}

const PL_IDS = { 'subject.platform': 'pl-id', 'subject.name': 'pl-name', 'subject.note': 'pl-note' };
const PL_LABELS = { 'subject.platform': 'Platform ID', 'subject.name': 'Name', 'subject.note': 'Note' };

function PlatformForm() {
  const { error, setError, busy, submit } = useSubmit('platform');
  const [platform, setPlatform] = useState('');
  const [name, setName] = useState('');
  const [note, setNote] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const missing = [];
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(platform.trim())) missing.push({ path: 'body.subject.platform', message: 'Use lower-case letters, digits, dots and dashes, such as "bluesky".' });
    if (!name.trim()) missing.push({ path: 'body.subject.name', message: 'Give the platform\'s name.' });
    if (missing.length) {
      setError(new ApiError(400, { error: 'invalid', message: 'The request was not submitted. Correct the fields below.', fields: missing }));
      return;
    }
    void submit(compact({ platform, name, note }));
  };
  const fe = fieldErrorsOf(error);
  return (
    <FormShell title="A new platform or tool" error={error} fieldIds={PL_IDS} labels={PL_LABELS} busy={busy} onSubmit={onSubmit}>
      <TextField id={PL_IDS['subject.platform']} name="platform" label="Platform ID" hint="Lower case, for example bluesky or nextdoor." autoComplete="off" spellCheck={false} value={platform} onChange={setPlatform} error={fe['subject.platform']} maxLength={60} />
      <TextField id={PL_IDS['subject.name']} name="name" label="Name" hint="As people know it, for example Bluesky." autoComplete="off" value={name} onChange={setName} error={fe['subject.name']} maxLength={200} />
      <TextAreaField id={PL_IDS['subject.note']} name="note" label="Note" hint="What the city would use it for." optional value={note} onChange={setNote} error={fe['subject.note']} maxLength={2000} />
    </FormShell>
  );
}

