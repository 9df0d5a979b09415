// Table types for Kysely. Timestamps are ISO-8601 UTC strings and JSON columns are text on both
// SQLite and PostgreSQL, so every query has one code path and one result shape.
import type { Generated } from 'kysely';

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  pack_id: string;
  pack_version: string;
  created_at: string;
}

export interface PolicyPacksTable {
  id: string;
  org_id: string;
  pack_id: string;
  version: string;
  sha256: string;
  body: string;
  installed_at: string;
}

export interface DepartmentsTable {
  id: string;
  org_id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  display_name: string;
  department_id: string | null;
  password_hash: string;
  password_changed_at: string;
  totp_secret: string | null;
  totp_enabled: number;
  /** The last 30-second TOTP step accepted: a code is never accepted twice (replay). */
  totp_last_step: number | null;
  /** A secret being enrolled: it replaces totp_secret only once a code from it is confirmed. */
  totp_pending_secret: string | null;
  recovery_codes: string;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

export interface UserRolesTable {
  org_id: string;
  user_id: string;
  role_id: string;
}

export interface SessionsTable {
  id: string;
  org_id: string;
  user_id: string;
  csrf_token: string;
  mfa_passed: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  org_id: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string;
  before: string | null;
  after: string | null;
  sources: string;
  pack_version: string | null;
  request_id: string | null;
  created_at: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  run_at: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  last_error: string | null;
  locked_until: string | null;
  created_at: string;
  updated_at: string;
}

export interface DB {
  organizations: OrganizationsTable;
  policy_packs: PolicyPacksTable;
  departments: DepartmentsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  events: EventsTable;
  jobs: JobsTable;
}
