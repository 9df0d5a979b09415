// Shapes of the JSON the CivicDesk API returns, as the web app reads them. Kept here (not imported
// from src/) so the browser bundle never pulls in server code.

export interface FieldError {
  path: string;
  message: string;
}

export interface ApiErrorBody {
  error: string;
  message: string;
  fields?: FieldError[];
  rule?: string;
  sources?: string[];
  requestId?: string;
}

export interface City {
  slug: string;
  name: string;
}

export interface SessionRole {
  id: string;
  title: string;
}

export interface Session {
  user: {
    id: string;
    email: string;
    displayName: string;
    roles: SessionRole[];
    totpEnabled: boolean;
  };
  city: City;
  mfaPassed: boolean;
  csrfToken: string;
  permissions: string[];
  /** The widest scope of each permission held: 'department' means "your department only". */
  scopes?: Record<string, 'city' | 'department' | 'own' | null>;
}

export interface LoginResponse {
  status: 'totp_required' | 'totp_enrolment_required' | 'signed_in';
  csrfToken: string;
}

export interface EnrolResponse {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface Dashboard {
  city: { slug: string; name: string; state?: string; website?: string };
  pack: { id: string; title: string; version: string; digest: string };
  /** nextReviewDue is null when the pack sets no review date (a model policy). */
  review: { nextReviewDue: string | null; overdue: boolean; daysUntil: number | null; sources?: string[] } | null;
  counts: { staff: number; departments: number; events: number };
}

export interface Person {
  id: string;
  email: string;
  displayName: string;
  departmentId: string | null;
  department: string | null;
  roles: string[];
  roleTitles: string[];
  status: 'active' | 'disabled';
  totpEnabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

/** What every signed-in staff member may see of a colleague (GET /api/people/directory). */
export type DirectoryPerson = Pick<Person, 'id' | 'email' | 'displayName' | 'departmentId' | 'department' | 'roles' | 'roleTitles'>;

export interface Department {
  id: string;
  name: string;
}

export interface EventRecord {
  seq: number;
  id: string;
  actor: string;
  actorId?: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  sources: string[];
  packVersion: string | null;
  requestId: string | null;
  createdAt: string;
}

// ---- The policy pack (GET /api/policy), after src/policy/pack.schema.ts. Sections a pack may leave
// out are optional here too.

export interface PackRole {
  id: string;
  title: string;
  description: string;
  grants: string[];
  sources: string[];
}

export interface ChainStep {
  role: string;
  label: string;
}

export interface ApprovalChain {
  steps: ChainStep[];
  selfApproval?: false;
  notes?: string;
  sources: string[];
}

export type ChainKey = 'content' | 'newAccount' | 'adminChange' | 'staffAccess' | 'accountDeletion';

export interface AcceptableUseClause {
  id: string;
  text: string;
  category: string;
  sources: string[];
}

export interface ContactRoute {
  kind: string;
  label: string;
  value: string;
}

export interface Moderation {
  responders: string[];
  fallbackResponders?: string[];
  reportTo?: string[];
  hideDelete: string[];
  removalRequiresAttorneyApproval: boolean;
  attorneyRole?: string;
  preModeration: boolean;
  publicPostingDisabled: boolean;
  staffMayEditComments?: false;
  /** Absent or not enabled: nobody may be blocked. */
  blocking?: {
    enabled: boolean;
    minViolations: number;
    requiresPriorWarning: boolean;
    maxDays: number;
    requiresAttorneyApproval: boolean;
    notes?: string;
    sources: string[];
  };
  notes?: string;
  sources: string[];
}

export interface PasswordRules {
  minLength: number;
  requireUpper: boolean;
  requireLower: boolean;
  requireDigit: boolean;
  requireSymbol: boolean;
  notReusedAcrossAccounts: boolean;
}

export interface Security {
  twoFactorRequired: boolean;
  twoFactorAttestationDays: number | null;
  itAdminOnEveryAccount: boolean;
  itAdminRole?: string;
  signupEmailDomainRequired: boolean;
  password: PasswordRules;
  noRememberMe: boolean;
  noSavedPasswords: boolean;
  instantMessagingProhibited: boolean;
  cityEquipmentOnly: boolean;
  credentialsCustodianRole?: string;
  vandalismNotifyRole?: string;
  notes?: string;
  sources: string[];
}

export interface Training {
  id: string;
  title: string;
  topics: string[];
  renewEveryMonths?: number;
  requiredFor: string[];
  providedBy?: string;
  sources: string[];
}

export interface Retention {
  series: string;
  label: string;
  retainYears: number | 'permanent';
  authority: string;
  notes?: string;
  sources: string[];
}

export interface Review {
  /** False when the policy sets no review and CivicDesk only reminds (then `sources` may be empty). */
  requiredByPolicy?: boolean;
  subject: string;
  cycleMonths: number;
  adoptedOn?: string;
  nextReviewDue?: string;
  reviewerRole: string;
  description: string;
  sources: string[];
}

export interface Disclosure {
  id: string;
  text: string;
  verbatim: boolean;
  appliesTo: string[];
  sources: string[];
}

export interface Archiving {
  requiredBeforeGoLive: boolean;
  storage: string;
  tool?: string;
  costPerSitePerMonthUsd?: number;
  sources: string[];
}

export interface PackPlatform {
  id: string;
  name: string;
  note?: string;
  sources: string[];
}

export interface PolicyPack {
  schemaVersion: number;
  id: string;
  version: string;
  title: string;
  source: { document: string; adopted: string | null; resolution?: string; seedFile?: string };
  city: {
    name: string;
    state: string;
    timeZone: string;
    website: string;
    emailDomain: string;
    placeholder: boolean;
    contactRoutes: ContactRoute[];
  };
  roles: PackRole[];
  approvalChains: Record<ChainKey, ApprovalChain>;
  acceptableUse: {
    statement?: string;
    forumPurpose: string;
    mustAppearOnEverySite: boolean;
    clauses: AcceptableUseClause[];
    notes?: string;
    sources: string[];
  };
  moderation: Moderation;
  security: Security;
  training: Training[];
  retention: Retention[];
  archiving?: Archiving;
  review?: Review;
  disclosures: Disclosure[];
  /** Platforms the adopted policy itself approves (KA-6, BZ-2). */
  platforms?: PackPlatform[];
}

export interface PolicyResponse {
  digest: string;
  pack: PolicyPack;
}

// ---- The public-records archive (src/archive/*). Field names follow archive.routes.ts and
// archive.queries.ts; optional fields are ones the server may not send yet.

export interface ArchiveAuthor {
  id: string | null;
  handle: string | null;
  name: string | null;
}

/** A legal hold as records name it: enough to show a badge and link to the hold. */
export interface HoldRef {
  id: string;
  name: string;
}

export interface ArchiveSearchResult {
  id: string;
  leafIndex: number;
  kind: string;
  series: string;
  platform: string | null;
  accountId: string | null;
  platformId: string | null;
  threadId: string | null;
  capturedAt: string;
  platformTime: string | null;
  author: ArchiveAuthor | null;
  text: string | null;
  /** The matching part of the text, with the matched words between <mark> and </mark>. */
  snippet: string | null;
  deleted: boolean;
  hidden: boolean;
  holds: HoldRef[];
  destroyed: boolean;
}

export interface ArchiveSearchResponse {
  total: number;
  /** True when the server stopped counting: there are at least `total` matches. */
  totalCapped?: boolean;
  results: ArchiveSearchResult[];
}

export interface ArchiveRecord {
  id: string;
  leafIndex: number;
  kind: string;
  series: string;
  platform: string | null;
  accountId: string | null;
  platformId: string | null;
  platformVersion: string | null;
  subjectId: string | null;
  parentId: string | null;
  threadId: string | null;
  capturedAt: string;
  platformTime: string | null;
  leafHash: string;
  author: ArchiveAuthor | null;
  text: string | null;
  /** What the leaf hash commits to; null once destroyed. */
  canonical: Record<string, unknown> | null;
  payloadSize: number | null;
  hasEvidence: boolean;
  destroyed: { at: string; approvedBy: string; reason: string } | null;
}

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  root: string;
  /** The signed checkpoint (a C2SP signed note) the proof leads to. */
  checkpoint: string;
  proof: string[];
}

export interface RecordRetention {
  /** Null: kept until a period is set (or permanently). */
  retainUntil: string | null;
  series: string;
  source: string;
  scheduleItem?: string | null;
}

export interface ArchiveRecordResponse {
  record: ArchiveRecord;
  proof: InclusionProof | null;
  holds?: Array<HoldRef & Partial<Pick<LegalHold, 'reason' | 'createdAt' | 'releasedAt'>>>;
  retention?: RecordRetention;
  sources: string[];
}

export interface ThreadItem {
  platformId: string;
  kind: string;
  parentId: string | null;
  /** Every captured version, oldest first. */
  versions: ArchiveRecord[];
  deletions: ArchiveRecord[];
  visibilityChanges: ArchiveRecord[];
  moderationActions: ArchiveRecord[];
  deleted: boolean;
  hidden: boolean;
}

export interface ThreadResponse {
  threadId: string;
  post: ThreadItem | null;
  comments: ThreadItem[];
}

export interface StoredCheckpoint {
  org_id: string;
  size: number;
  root: string;
  note: string;
  created_at: string;
}

export interface CheckpointResponse {
  checkpoint: StoredCheckpoint | null;
  /** Records in the log now (may be more than the checkpoint covers). */
  size: number;
  vkey: string | null;
}

export interface SignedCheckpoint {
  size: number;
  root: string;
  note: string;
  createdAt: string;
  vkey: string;
}

export interface VerifyProblem {
  kind: 'removed' | 'altered' | 'inserted' | 'checkpoint' | string;
  leafIndex?: number;
  recordId?: string;
  message: string;
}

export interface VerifyReport {
  orgId: string;
  size: number;
  records: number;
  destroyed: number;
  checkpoints: number;
  problems: VerifyProblem[];
  ok: boolean;
  seconds: number;
}

export interface HoldCriteria {
  accountId?: string;
  from?: string;
  to?: string;
  author?: string;
  query?: string;
}

export interface LegalHold {
  id: string;
  name: string;
  reason: string;
  criteria: HoldCriteria;
  createdBy: string;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  active?: boolean;
  releaseReason?: string | null;
  /** How many records the hold covers now, when the server counts them. */
  records?: number;
}

export interface RetentionSeries {
  series: string;
  /** Null for a series the policy pack does not name. */
  label: string | null;
  /** Null: keep until the City Clerk sets a period (nothing is disposed of). */
  retainYears: number | null;
  source: 'pack' | 'clerk' | 'none';
  scheduleItem: string | null;
  authority: string | null;
  notes?: string | null;
  sources: string[];
  setBy?: string | null;
  setAt?: string | null;
}

export interface DispositionDue {
  id: string;
  leafIndex?: number;
  kind: string;
  series: string;
  accountId?: string | null;
  capturedAt: string;
  retainUntil: string;
  text?: string | null;
}

/** Records past their retention date that active legal holds keep, counted (up to a cap) per hold. */
export interface DispositionBlocked {
  count: number;
  capped: boolean;
  holds: Array<HoldRef & { count: number; capped: boolean }>;
}

export interface DispositionResponse {
  /** Oldest first; none destroyed or held. */
  due: DispositionDue[];
  blocked: DispositionBlocked;
  sources?: string[];
}

export interface DispositionLogEntry {
  id: string;
  recordId: string;
  leafIndex: number;
  kind: string;
  series: string;
  capturedAt: string;
  retainUntil: string;
  scheduleItem: string | null;
  approvedBy: string;
  reason: string;
  destroyedAt: string;
}

// ---- Official accounts, approval requests, the vault, training and notifications (src/accounts/*,
// src/people/*). Field names follow the routes and queries there.

export type AccountStatus = 'requested' | 'approved' | 'active' | 'suspended' | 'retired';

export interface Account {
  id: string;
  platform: string;
  handle: string;
  profileUrl: string | null;
  departmentId: string | null;
  department: string | null;
  boardName: string | null;
  minutesReference: string | null;
  purpose: string;
  signupEmail: string | null;
  status: AccountStatus;
  twofaEnabled: boolean;
  twofaAttestedAt: string | null;
  websiteLinkPresent: boolean;
  aupLinkPresent: boolean;
  connectorStatus: string;
  connectorExpiresAt: string | null;
  requestId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccountPerson {
  userId: string;
  displayName: string;
  email: string;
  roles: string[];
  active: boolean;
  since: string;
}

export interface AccountAdmin extends AccountPerson {
  /** Holds the policy's IT role (KA-7, BZ-5). */
  isIt: boolean;
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'n/a';

export interface ComplianceCheck {
  id: string;
  label: string;
  status: CheckStatus;
  detail: string;
  sources: string[];
}

export interface AccountDetail {
  account: Account;
  admins: AccountAdmin[];
  access: Array<AccountPerson & { requestId: string | null }>;
  compliance: ComplianceCheck[];
  publishing: { allowed: boolean; reason?: string };
}

export interface FailingCheck {
  accountId: string;
  platform: string;
  handle: string;
  accountStatus: AccountStatus;
  departmentId: string | null;
  check: ComplianceCheck;
}

export interface ApprovedPlatform {
  id: string;
  name: string;
  source: 'pack' | 'request';
  note: string | null;
  requestId: string | null;
  approvedAt: string;
  sources: string[];
}

export type ListKind = 'platforms' | 'accounts' | 'submitters';

export interface OfficialList {
  kind: ListKind;
  title: string;
  sources: string[];
  columns: Array<{ key: string; label: string }>;
  rows: Array<Record<string, string>>;
}

export type RequestType = 'newAccount' | 'adminChange' | 'staffAccess' | 'accountDeletion' | 'platform';
export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';
export type StepState = 'approved' | 'rejected' | 'awaiting' | 'waiting' | 'not_reached';

export interface ChainStepSnapshot {
  role: string;
  roleTitle: string;
  label: string;
  alsoRoles?: string[];
}

export interface ChainSnapshot {
  key: string;
  steps: ChainStepSnapshot[];
  sources: string[];
  notes?: string;
}

export interface RequestView {
  id: string;
  type: RequestType;
  status: RequestStatus;
  summary: string;
  subject: Record<string, unknown>;
  requestedBy: { id: string; name: string; email: string };
  currentStep: number;
  awaiting: { index: number; role: string; roleTitle: string; label: string; roles: string[] } | null;
  chain: ChainSnapshot;
  accountId: string | null;
  departmentId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export interface RequestStep extends ChainStepSnapshot {
  index: number;
  state: StepState;
  decision: { decision: 'approved' | 'rejected'; by: string; byName: string; at: string; comment: string | null } | null;
}

export interface RequestDetail extends RequestView {
  steps: RequestStep[];
}

export type SecretKind = 'username' | 'password' | 'recovery_codes' | 'connector_token';

export interface SecretMetadata {
  kind: SecretKind;
  label: string | null;
  updatedAt: string;
  expiresAt: string | null;
  keyId: string;
}

export interface RevealedSecret {
  accountId: string;
  kind: SecretKind;
  label: string | null;
  value: string;
}

export type TrainingGate = 'account_access' | 'site_creation' | 'content_submission';
export type ModuleState = 'current' | 'expired' | 'missing';

export interface TrainingModuleInfo {
  id: string;
  title: string;
  topics: string[];
  requiredFor: TrainingGate[];
  renewEveryMonths: number | null;
  sources: string[];
}

export interface ModuleStatus {
  moduleId: string;
  title: string;
  requiredFor: TrainingGate[];
  state: ModuleState;
  completedOn: string | null;
  expiresOn: string | null;
  sources: string[];
}

export interface TrainingMatrixRow {
  userId: string;
  displayName: string;
  email: string;
  departmentId: string | null;
  modules: ModuleStatus[];
  missing: Record<TrainingGate, string[]>;
}

export interface TrainingMatrix {
  modules: TrainingModuleInfo[];
  people: TrainingMatrixRow[];
}

export interface NotificationItem {
  id: string;
  text: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}
