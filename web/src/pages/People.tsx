// Staff of the city: who they are, their department, their roles under the policy pack, whether
// they have two-step verification, and whether they can sign in. Administrators (staff.manage) add
// people and departments, change roles and disable sign-ins here; every change is an event.
import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { api, fieldErrorsOf } from '../api.js';
import { Alert, ApiErrorAlert, ErrorSummary, Loading } from '../components/Alerts.js';
import { Dialog } from '../components/Dialog.js';
import { CheckboxGroup, SelectField, TextField } from '../components/Fields.js';
import { Page } from '../components/Page.js';
import { Sources } from '../components/Sources.js';
import { formatDateTime } from '../policyText.js';
import { hasPermission, useSignedIn } from '../session.js';
import type { Department, Person, PolicyResponse } from '../types.js';
import { useApi, type Loadable } from '../useApi.js';

interface RoleOption {
  id: string;
  title: string;
  description?: string;
  sources?: string[];
}

export function PeoplePage() {
  const session = useSignedIn();
  const canManage = hasPermission(session, 'staff.manage');
  const people = useApi<Person[]>('/api/people');
  const departments = useApi<Department[]>('/api/departments');
  const policy = useApi<PolicyResponse>(hasPermission(session, 'pack.view') ? '/api/policy' : null);
  const [status, setStatus] = useState<string>('');
  const [editing, setEditing] = useState<Person | null>(null);
  const [disabling, setDisabling] = useState<Person | null>(null);

  const roleOptions: RoleOption[] = useMemo(() => {
    if (policy.state.status === 'ready') {
      return policy.state.data.pack.roles.map((r) => ({ id: r.id, title: r.title, description: r.description, sources: r.sources }));
    }
    // Without pack.view, offer the roles seen on staff so far.
    const seen = new Map<string, string>();
    if (people.state.status === 'ready') {
      for (const p of people.state.data) p.roles.forEach((id, i) => seen.set(id, p.roleTitles[i] ?? id));
    }
    return [...seen].map(([id, title]) => ({ id, title }));
  }, [policy.state, people.state]);

  const closeEditing = useCallback(() => setEditing(null), []);
  const closeDisabling = useCallback(() => setDisabling(null), []);

  return (
    <Page title="People" lead={`Staff of ${session.city.name} who use CivicDesk, and the roles the policy gives them.`}>
      <div role="status" className="civic-status">
        {status ? <Alert kind="success" slim>{status}</Alert> : null}
      </div>
      {people.state.status === 'loading' ? <Loading what="staff" /> : null}
      {people.state.status === 'error' ? <ApiErrorAlert error={people.state.error} /> : null}
      {people.state.status === 'ready' ? (
        <PeopleTable
          people={people.state.data}
          cityName={session.city.name}
          selfId={session.user.id}
          canManage={canManage}
          onEditRoles={setEditing}
          onDisable={setDisabling}
        />
      ) : null}

      {canManage ? (
        <AddPersonForm
          departments={departments.state.status === 'ready' ? departments.state.data : []}
          roles={roleOptions}
          onAdded={async (name) => {
            setStatus(`Added ${name}.`);
            await people.reload();
          }}
        />
      ) : null}

      <DepartmentsSection
        state={departments.state}
        canManage={canManage}
        onAdded={async (name) => {
          setStatus(`Added the ${name} department.`);
          await departments.reload();
        }}
      />

      {canManage ? (
        <>
          <Dialog open={editing !== null} title={editing ? `Change roles: ${editing.displayName}` : ''} onClose={closeEditing}>
            {editing ? (
              <RolesForm
                person={editing}
                roles={roleOptions}
                onCancel={closeEditing}
                onSaved={async () => {
                  setStatus(`Roles for ${editing.displayName} updated.`);
                  setEditing(null);
                  await people.reload();
                }}
              />
            ) : null}
          </Dialog>
          <Dialog open={disabling !== null} title={disabling ? `Disable ${disabling.displayName}?` : ''} onClose={closeDisabling}>
            {disabling ? (
              <DisableConfirm
                person={disabling}
                onCancel={closeDisabling}
                onDone={async () => {
                  setStatus(`${disabling.displayName} can no longer sign in.`);
                  setDisabling(null);
                  await people.reload();
                }}
              />
            ) : null}
          </Dialog>
        </>
      ) : null}
    </Page>
  );
}

function statusText(p: Person): string {
  if (p.status === 'disabled') return 'Disabled';
  if (p.lockedUntil && p.lockedUntil > new Date().toISOString()) return `Locked until ${formatDateTime(p.lockedUntil)}`;
  return 'Active';
}

function PeopleTable({ people, cityName, selfId, canManage, onEditRoles, onDisable }: {
  people: Person[];
  cityName: string;
  selfId: string;
  canManage: boolean;
  onEditRoles: (p: Person) => void;
  onDisable: (p: Person) => void;
}) {
  return (
    <div className="usa-table-container--scrollable civic-table-scroll" tabIndex={0} role="region" aria-labelledby="people-caption">
      <table className="usa-table usa-table--striped usa-table--compact width-full" data-testid="people-table">
        <caption id="people-caption">Staff of {cityName} ({people.length})</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Department</th>
            <th scope="col">Roles</th>
            <th scope="col">Two-step<br />verification</th>
            <th scope="col">Status</th>
            {canManage ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.displayName}{p.id === selfId ? <span className="text-base-dark"> (you)</span> : null}</th>
              <td className="civic-break">{p.email}</td>
              <td>{p.department ?? <span className="text-base-dark">None</span>}</td>
              <td>{p.roleTitles.length ? p.roleTitles.join(', ') : <span className="text-base-dark">No roles</span>}</td>
              <td>{p.totpEnabled ? 'Set up' : 'Not set up'}</td>
              <td>{statusText(p)}</td>
              {canManage ? (
                <td>
                  {p.status === 'active' ? (
                    <ul className="usa-list usa-list--unstyled civic-actions">
                      <li>
                        <button type="button" className="usa-button usa-button--unstyled" onClick={() => onEditRoles(p)}>
                          Change roles<span className="usa-sr-only"> for {p.displayName}</span>
                        </button>
                      </li>
                      {p.id !== selfId ? (
                        <li>
                          <button type="button" className="usa-button usa-button--unstyled civic-danger-link" onClick={() => onDisable(p)}>
                            Disable<span className="usa-sr-only"> {p.displayName}</span>
                          </button>
                        </li>
                      ) : null}
                    </ul>
                  ) : (
                    <span className="text-base-dark">None</span>
                  )}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const ADD_IDS = {
  displayName: 'person-name',
  email: 'person-email',
  password: 'person-password',
  departmentId: 'person-department',
  roles: 'person-roles',
};
const ADD_LABELS = {
  displayName: 'Full name',
  email: 'E-mail address',
  password: 'Temporary password',
  departmentId: 'Department',
  roles: 'Roles',
};

function roleCheckboxOptions(roles: RoleOption[]) {
  return roles.map((r) => ({
    value: r.id,
    label: r.title,
    description: r.description ? <>{r.description} <Sources ids={r.sources} /></> : undefined,
  }));
}

function AddPersonForm({ departments, roles, onAdded }: {
  departments: Department[];
  roles: RoleOption[];
  onAdded: (name: string) => Promise<void>;
}) {
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [departmentId, setDepartmentId] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/people', {
        displayName: displayName.trim(),
        email: email.trim(),
        password,
        roles: selected,
        departmentId: departmentId || null,
      });
      const name = displayName.trim();
      setDisplayName('');
      setEmail('');
      setPassword('');
      setDepartmentId('');
      setSelected([]);
      await onAdded(name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const fieldErrors = fieldErrorsOf(error);
  return (
    <section className="margin-top-6" aria-labelledby="add-person-heading">
      <h2 id="add-person-heading">Add a person</h2>
      <p>They sign in with this e-mail address and temporary password, then set up two-step verification.</p>
      <ErrorSummary error={error} fieldIds={ADD_IDS} labels={ADD_LABELS} />
      <form className="usa-form usa-form--large" onSubmit={submit} noValidate aria-labelledby="add-person-heading">
        <TextField id={ADD_IDS.displayName} name="displayName" label={ADD_LABELS.displayName} autoComplete="off" value={displayName} onChange={setDisplayName} error={fieldErrors.displayName} />
        <TextField id={ADD_IDS.email} name="email" type="email" label={ADD_LABELS.email} autoComplete="off" spellCheck={false} value={email} onChange={setEmail} error={fieldErrors.email} />
        <TextField
          id={ADD_IDS.password}
          name="password"
          type="password"
          label={ADD_LABELS.password}
          hint="Give it to them in person, never by e-mail. It must meet your city's password rules."
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={fieldErrors.password}
        />
        <SelectField
          id={ADD_IDS.departmentId}
          name="departmentId"
          label={ADD_LABELS.departmentId}
          optional
          value={departmentId}
          onChange={setDepartmentId}
          placeholder="No department"
          options={departments.map((d) => ({ value: d.id, label: d.name }))}
          error={fieldErrors.departmentId}
        />
        <CheckboxGroup
          id={ADD_IDS.roles}
          legend="Roles"
          hint="What the city's policy lets this person do. You can change this later."
          options={roleCheckboxOptions(roles)}
          selected={selected}
          onChange={setSelected}
          error={fieldErrors.roles}
        />
        <button type="submit" className="usa-button margin-top-3" disabled={busy}>
          {busy ? 'Adding…' : 'Add person'}
        </button>
      </form>
    </section>
  );
}

function RolesForm({ person, roles, onCancel, onSaved }: {
  person: Person;
  roles: RoleOption[];
  onCancel: () => void;
  onSaved: () => Promise<void>;
}) {
  const [selected, setSelected] = useState<string[]>(person.roles);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.put(`/api/people/${encodeURIComponent(person.id)}/roles`, { roles: selected });
      await onSaved();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <form onSubmit={submit} noValidate aria-label={`Roles for ${person.displayName}`}>
      <ErrorSummary error={error} fieldIds={{ roles: 'edit-roles' }} labels={{ roles: 'Roles' }} />
      <CheckboxGroup
        id="edit-roles"
        legend={`Roles for ${person.displayName}`}
        options={roleCheckboxOptions(roles)}
        selected={selected}
        onChange={setSelected}
        error={fieldErrors.roles}
      />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button type="submit" className="usa-button" disabled={busy}>{busy ? 'Saving…' : 'Save roles'}</button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={onCancel}>Cancel</button>
        </li>
      </ul>
    </form>
  );
}

function DisableConfirm({ person, onCancel, onDone }: { person: Person; onCancel: () => void; onDone: () => Promise<void> }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <>
      <p>
        {person.displayName} ({person.email}) will be signed out everywhere and will no longer be able to sign in. Their record and everything they did stay in the event log.
      </p>
      <ApiErrorAlert error={error} focus />
      <ul className="usa-button-group margin-top-3">
        <li className="usa-button-group__item">
          <button
            type="button"
            className="usa-button usa-button--secondary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await api.post(`/api/people/${encodeURIComponent(person.id)}/disable`, {});
                await onDone();
              } catch (err) {
                setError(err);
                setBusy(false);
              }
            }}
          >
            {busy ? 'Disabling…' : 'Disable sign-in'}
          </button>
        </li>
        <li className="usa-button-group__item">
          <button type="button" className="usa-button usa-button--unstyled padding-105 text-center" onClick={onCancel}>Cancel</button>
        </li>
      </ul>
    </>
  );
}

function DepartmentsSection({ state, canManage, onAdded }: {
  state: Loadable<Department[]>;
  canManage: boolean;
  onAdded: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/departments', { name: name.trim() });
      const added = name.trim();
      setName('');
      await onAdded(added);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fieldErrors = fieldErrorsOf(error);
  return (
    <section className="margin-top-6" aria-labelledby="departments">
      <h2 id="departments">Departments</h2>
      {state.status === 'loading' ? <Loading what="departments" /> : null}
      {state.status === 'error' ? <ApiErrorAlert error={state.error} /> : null}
      {state.status === 'ready' ? (
        state.data.length ? (
          <ul className="usa-list" data-testid="departments">
            {state.data.map((d) => <li key={d.id}>{d.name}</li>)}
          </ul>
        ) : <p>No departments yet.</p>
      ) : null}
      {canManage ? (
        <>
          <ErrorSummary error={error} fieldIds={{ name: 'department-name' }} labels={{ name: 'Department name' }} />
          <form className="usa-form" onSubmit={submit} noValidate aria-label="Add a department">
            <TextField id="department-name" name="name" label="New department name" autoComplete="off" value={name} onChange={setName} error={fieldErrors.name} />
            <button type="submit" className="usa-button usa-button--outline margin-top-2" disabled={busy}>
              {busy ? 'Adding…' : 'Add department'}
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}
