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
}

export interface PolicyResponse {
  digest: string;
  pack: PolicyPack;
}
