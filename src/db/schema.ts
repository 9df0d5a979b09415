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

export interface ArchiveLogsTable {
  org_id: string;
  origin: string;
  key_name: string;
  /** hex of the 32-byte Ed25519 public key */
  public_key: string;
  size: number;
  /** Complete subtree nodes are stored for leaves [0, nodes_size). */
  nodes_size: number;
  /** The highest events.seq already archived as a staff_event record. */
  events_archived: number;
  created_at: string;
}

export interface ArchiveRecordsTable {
  org_id: string;
  leaf_index: number;
  id: string;
  kind: string;
  series: string;
  platform: string | null;
  account_id: string | null;
  platform_id: string | null;
  platform_version: string | null;
  subject_id: string | null;
  parent_id: string | null;
  thread_id: string | null;
  captured_at: string;
  platform_time: string | null;
  dedupe_key: string;
  leaf_hash: string;
  mac: string;
}

export interface ArchiveContentsTable {
  record_id: string;
  org_id: string;
  canonical: string;
  payload: Uint8Array | null;
  evidence: Uint8Array | null;
  text: string | null;
  author_id: string | null;
  author_handle: string | null;
  author_name: string | null;
  /** Copies of the record's account, kind (for search) and leaf index (for verify's scan), 0004; verify checks them. */
  account_id: string | null;
  kind: string | null;
  leaf_index: number | null;
}

export type DraftStatus = 'draft' | 'in_review' | 'approved' | 'scheduled' | 'publishing' | 'published' | 'failed' | 'rejected' | 'withdrawn';

export interface DraftsTable {
  id: string;
  org_id: string;
  author_id: string;
  department_id: string | null;
  text: string;
  /** JSON: [{ platform, text }] */
  variants: string;
  /** JSON: [{ sha256, mime, alt, size }] */
  media: string;
  link: string | null;
  website_url: string | null;
  category: string | null;
  emergency: number;
  /** The emergency incident this post is an update of (fast path, published as one thread). */
  incident_id: string | null;
  /** JSON: [accountId] */
  account_ids: string;
  status: DraftStatus;
  version: number;
  /** JSON ChainSnapshot, taken at submission. */
  chain: string | null;
  current_step: number;
  /** JSON Finding[] of the current version. */
  findings: string;
  scheduled_at: string | null;
  submitted_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface DraftDecisionsTable {
  id: string;
  org_id: string;
  draft_id: string;
  version: number;
  step: number;
  role: string;
  user_id: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  /** JSON: finding ids the approver acknowledged. */
  acknowledged: string;
  created_at: string;
}

export interface DraftCommentsTable {
  id: string;
  org_id: string;
  draft_id: string;
  user_id: string;
  text: string;
  created_at: string;
}

export interface PublicationsTable {
  id: string;
  org_id: string;
  draft_id: string;
  version: number;
  account_id: string;
  platform: string;
  idempotency_key: string;
  first_attempt_at: string;
  expected_id: string | null;
  platform_id: string | null;
  url: string | null;
  status: 'pending' | 'published' | 'failed';
  attempts: number;
  last_error: string | null;
  published_at: string | null;
  updated_at: string;
}

export interface PublishingControlsTable {
  org_id: string;
  paused: number;
  reason: string | null;
  changed_by: string;
  changed_at: string;
}

export interface IncidentsTable {
  id: string;
  org_id: string;
  kind: 'vandalism' | 'emergency';
  account_id: string | null;
  status: 'open' | 'resolved';
  summary: string;
  platform_id: string | null;
  lead_id: string | null;
  opened_at: string;
  resolved_at: string | null;
  /** What the after-incident review found (required to close an emergency). */
  review: string | null;
}

/** A pre-approved emergency template (0011): text with named blanks such as {{location}}. */
export interface ContentTemplatesTable {
  id: string;
  org_id: string;
  title: string;
  /** The text, blanks written {{name}}. */
  body: string;
  category: string | null;
  /** JSON: [accountId]; empty when the template names no accounts. */
  account_ids: string;
  department_id: string | null;
  author_id: string;
  /** Who wrote the current version: they may not approve it. */
  editor_id: string;
  /** Goes up with every change of the text, category or accounts: approvals are of one version. */
  version: number;
  /** JSON Finding[] of the current version, checked with each blank as a placeholder. */
  findings: string;
  created_at: string;
  updated_at: string;
}

/** One approver's step on one version of a template, under one pack version (append-only). */
export interface ContentTemplateApprovalsTable {
  id: string;
  org_id: string;
  template_id: string;
  version: number;
  step: number;
  role: string;
  user_id: string;
  pack_version: string;
  /** JSON: finding ids the approver acknowledged. */
  acknowledged: string;
  created_at: string;
}

/** An emergency update started from a template (append-only): which version, whose approvals, what went in the blanks. */
export interface ContentTemplateUsesTable {
  id: string;
  org_id: string;
  draft_id: string;
  draft_version: number;
  template_id: string;
  template_version: number;
  /** JSON: { blank: value } */
  blank_values: string;
  /** 1 when the text is the template's with only the blanks filled. */
  exact: number;
  /** JSON: the approvals the update relied on, as they were [{ userId, name, role, at, packVersion }]. */
  approvals: string;
  created_at: string;
}

/** 'held': on a platform that holds replies until the account approves them (capability hold_replies). */
export type ModerationState = 'new' | 'held' | 'flagged' | 'in_review' | 'escalated' | 'kept' | 'hidden' | 'deleted' | 'restored';

export interface ModerationItemsTable {
  id: string;
  org_id: string;
  account_id: string;
  platform: string;
  platform_id: string;
  thread_id: string | null;
  record_id: string;
  author_id: string | null;
  author_handle: string | null;
  text: string;
  state: ModerationState;
  /** JSON: the classifier's categories (a triage hint, never a reason to act). */
  labels: string;
  viewpoint: number;
  /** JSON: the classifier's evidence per category. */
  evidence: string;
  /** JSON: { clauseId, reason, by, at } of an escalated removal awaiting the attorney. */
  proposal: string | null;
  created_at: string;
  updated_at: string;
}

export interface ModerationActionsTable {
  id: string;
  org_id: string;
  item_id: string;
  action: 'report' | 'review' | 'keep' | 'escalate' | 'approve_removal' | 'hide' | 'delete' | 'restore' | 'appeal' | 'warn' | 'block' | 'approve_block' | 'lift_block';
  user_id: string;
  clause_id: string | null;
  reason: string | null;
  pack_version: string;
  /** JSON: the warnings the person was shown and acknowledged. */
  warnings: string;
  created_at: string;
}

export interface ModerationSettingsTable {
  org_id: string;
  /** JSON string[] */
  allowlist: string;
  /** JSON string[] */
  officials: string;
  updated_at: string;
}

export type ModerationBlockState = 'proposed' | 'active' | 'lifted';

/** A person blocked from one account for a limited time (pack moderation.blocking); 'expired' is computed from expires_at. */
export interface ModerationBlocksTable {
  id: string;
  org_id: string;
  account_id: string;
  platform: string;
  author_id: string;
  author_handle: string | null;
  /** The comment the block was proposed from. */
  item_id: string;
  state: ModerationBlockState;
  days: number;
  /** JSON string[]: the moderation items whose removal is the documented repeat violation. */
  violations: string;
  /** The moderation_actions id of the warning on record, when the pack requires one. */
  warning_id: string | null;
  clause_id: string;
  reason: string;
  proposed_by: string;
  approved_by: string | null;
  pack_version: string;
  starts_at: string | null;
  expires_at: string | null;
  lifted_by: string | null;
  lift_reason: string | null;
  created_at: string;
  updated_at: string;
}

export type MailStatus = 'pending' | 'sent' | 'failed';

export interface MailOutboxTable {
  id: string;
  org_id: string;
  to_address: string;
  to_user_id: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: string;
  /** Not sent before this moment: the creation time, later pushed back by retries and send leases. */
  send_after: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  sent_at: string | null;
  message_id: string | null;
}

export interface PlatformCursorsTable {
  org_id: string;
  account_id: string;
  stream: string;
  cursor: string;
  updated_at: string;
}

export interface ArchiveDispositionsTable {
  id: string;
  org_id: string;
  record_id: string;
  leaf_index: number;
  kind: string;
  series: string;
  captured_at: string;
  retain_until: string;
  schedule_item: string | null;
  approved_by: string;
  reason: string;
  destroyed_at: string;
}

export interface ArchiveCheckpointsTable {
  org_id: string;
  size: number;
  root: string;
  note: string;
  created_at: string;
}

/** 0012: one per capture transaction; see src/archive/seals.ts. */
export interface ArchiveSealsTable {
  org_id: string;
  first_leaf: number;
  count: number;
  mac: string;
}

export interface ArchiveNodesTable {
  org_id: string;
  level: number;
  idx: number;
  hash: string;
}

export interface ArchiveBlobsTable {
  org_id: string;
  sha256: string;
  size: number;
  mime: string;
  created_at: string;
}

export interface RetentionScheduleTable {
  org_id: string;
  series: string;
  retain_years: number | null;
  schedule_item: string;
  set_by: string;
  set_at: string;
}

export interface LegalHoldsTable {
  id: string;
  org_id: string;
  name: string;
  reason: string;
  /** JSON: { accountId?, from?, to?, author?, query? } */
  criteria: string;
  created_by: string;
  created_at: string;
  released_at: string | null;
  released_by: string | null;
}

export type AccountStatus = 'requested' | 'approved' | 'active' | 'suspended' | 'retired';

export interface AccountsTable {
  id: string;
  org_id: string;
  platform: string;
  handle: string;
  profile_url: string | null;
  department_id: string | null;
  board_name: string | null;
  minutes_reference: string | null;
  purpose: string;
  signup_email: string | null;
  status: AccountStatus;
  twofa_enabled: number;
  twofa_attested_at: string | null;
  website_link_present: number;
  aup_link_present: number;
  connector_status: string;
  connector_expires_at: string | null;
  /** Last connector health check (0005): when, and what it said. */
  connector_checked_at: Generated<string | null>;
  connector_message: Generated<string | null>;
  request_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface AccountAdminsTable {
  org_id: string;
  account_id: string;
  user_id: string;
  added_at: string;
}

export interface AccountAccessTable {
  org_id: string;
  account_id: string;
  user_id: string;
  request_id: string | null;
  granted_at: string;
}

export interface ApprovedPlatformsTable {
  org_id: string;
  platform: string;
  name: string;
  /** 'pack' (listed by the adopted policy) or 'request' (approved through a chain). */
  source: string;
  request_id: string | null;
  approved_at: string;
  withdrawn_at: string | null;
}

export type RequestType = 'newAccount' | 'adminChange' | 'staffAccess' | 'accountDeletion' | 'platform';
export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface ApprovalRequestsTable {
  id: string;
  org_id: string;
  type: RequestType;
  requested_by: string;
  /** JSON: what is asked (the account's details, the admin to add or remove, the staff member...). */
  subject: string;
  /** JSON snapshot of the pack's chain steps at request time: [{role, label}], with its sources. */
  chain: string;
  status: RequestStatus;
  current_step: number;
  account_id: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface ApprovalDecisionsTable {
  id: string;
  org_id: string;
  request_id: string;
  step: number;
  role: string;
  decided_by: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  decided_at: string;
}

export interface TrainingCompletionsTable {
  id: string;
  org_id: string;
  user_id: string;
  module_id: string;
  completed_on: string;
  expires_on: string | null;
  recorded_by: string;
  evidence: string | null;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  org_id: string;
  user_id: string;
  text: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
}

export type SecretKind = 'username' | 'password' | 'recovery_codes' | 'connector_token';

export interface VaultSecretsTable {
  id: string;
  org_id: string;
  account_id: string;
  kind: SecretKind;
  label: string | null;
  /** Which vault key encrypted it (rotation re-encrypts). */
  key_id: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  /** HMAC of a password under the vault key: finds reuse across accounts without decrypting. */
  fingerprint: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export type RecordsRequestStatus = 'received' | 'acknowledged' | 'searching' | 'in_review' | 'produced' | 'closed' | 'denied' | 'partially_denied' | 'withdrawn';

export interface RecordsRequestsTable {
  id: string;
  org_id: string;
  /** R-2026-0007: unique per city, numbered per year of receipt. */
  number: string;
  requester_name: string;
  requester_contact: string;
  received_at: string;
  scope: string;
  /** The pack's clock at intake, copied so a later pack change never moves a promised deadline. */
  clock_days: number;
  clock_business: number;
  clock_statute: string;
  /** ISO date (city time zone) by which the answer is due. */
  due_on: string;
  status: RecordsRequestStatus;
  fee_estimate_cents: number | null;
  time_estimate_hours: number | null;
  notes: string | null;
  department_id: string | null;
  assigned_to: string | null;
  forwarded_by: string | null;
  acknowledged_at: string | null;
  answered_at: string | null;
  /** JSON: { codes, explanation } when the whole request was denied. */
  denial: string | null;
  closed_at: string | null;
  reminded_due_soon_at: string | null;
  reminded_overdue_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RecordsRequestSearchesTable {
  id: string;
  org_id: string;
  request_id: string;
  /** JSON: the archive query as it was run. */
  query: string;
  total: number;
  actor_id: string | null;
  actor_label: string;
  created_at: string;
}

export interface RecordsRequestCandidatesTable {
  org_id: string;
  request_id: string;
  search_id: string;
  position: number;
  record_id: string;
}

export interface RecordsRequestReviewsTable {
  id: string;
  org_id: string;
  request_id: string;
  record_id: string;
  decision: 'include' | 'exclude';
  reason: string;
  exemption_code: string | null;
  actor_id: string | null;
  actor_label: string;
  created_at: string;
}

export interface RecordsRequestRedactionsTable {
  id: string;
  org_id: string;
  request_id: string;
  record_id: string;
  /** UTF-16 offsets into the record's normalized text (archive_contents.text). */
  start_offset: number;
  end_offset: number;
  reason_code: string;
  note: string | null;
  actor_id: string | null;
  actor_label: string;
  created_at: string;
}

export interface RecordsRequestProductionsTable {
  id: string;
  org_id: string;
  request_id: string;
  file_path: string;
  sha256: string;
  bytes: number;
  /** JSON: the package summary, and each produced record with its redacted copy. */
  summary: string;
  actor_id: string | null;
  actor_label: string;
  created_at: string;
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
  archive_logs: ArchiveLogsTable;
  archive_records: ArchiveRecordsTable;
  archive_contents: ArchiveContentsTable;
  platform_cursors: PlatformCursorsTable;
  drafts: DraftsTable;
  draft_decisions: DraftDecisionsTable;
  draft_comments: DraftCommentsTable;
  publications: PublicationsTable;
  publishing_controls: PublishingControlsTable;
  incidents: IncidentsTable;
  mail_outbox: MailOutboxTable;
  moderation_items: ModerationItemsTable;
  moderation_actions: ModerationActionsTable;
  moderation_settings: ModerationSettingsTable;
  moderation_blocks: ModerationBlocksTable;
  content_templates: ContentTemplatesTable;
  content_template_approvals: ContentTemplateApprovalsTable;
  content_template_uses: ContentTemplateUsesTable;
  archive_dispositions: ArchiveDispositionsTable;
  archive_checkpoints: ArchiveCheckpointsTable;
  archive_seals: ArchiveSealsTable;
  archive_nodes: ArchiveNodesTable;
  archive_blobs: ArchiveBlobsTable;
  retention_schedule: RetentionScheduleTable;
  legal_holds: LegalHoldsTable;
  accounts: AccountsTable;
  account_admins: AccountAdminsTable;
  account_access: AccountAccessTable;
  approved_platforms: ApprovedPlatformsTable;
  approval_requests: ApprovalRequestsTable;
  approval_decisions: ApprovalDecisionsTable;
  training_completions: TrainingCompletionsTable;
  notifications: NotificationsTable;
  vault_secrets: VaultSecretsTable;
  records_requests: RecordsRequestsTable;
  records_request_searches: RecordsRequestSearchesTable;
  records_request_candidates: RecordsRequestCandidatesTable;
  records_request_reviews: RecordsRequestReviewsTable;
  records_request_redactions: RecordsRequestRedactionsTable;
  records_request_productions: RecordsRequestProductionsTable;
}
