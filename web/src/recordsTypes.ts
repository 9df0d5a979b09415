// Shapes of the records-request API (src/records/requests.routes.ts and requests.queries.ts) as the
// web app reads them. Kept apart from src/ so the browser bundle never pulls in server code; fields
// the server may add later are optional here.
import type { PolicyPack } from './types.js';

export const RECORDS_STATUSES = ['received', 'acknowledged', 'searching', 'in_review', 'produced', 'closed', 'denied', 'partially_denied', 'withdrawn'] as const;
export type RecordsStatus = (typeof RECORDS_STATUSES)[number];

/** Unanswered: the statutory clock is running. */
export const OPEN_STATUSES: readonly RecordsStatus[] = ['received', 'acknowledged', 'searching', 'in_review'];

export interface DeadlineState {
  dueOn: string;
  daysLeft: number;
  businessDaysLeft: number;
  overdue: boolean;
  dueSoon: boolean;
}

export interface RecordsRequestSummary {
  id: string;
  number: string;
  requesterName: string;
  requesterContact: string;
  receivedAt: string;
  scope: string;
  status: RecordsStatus;
  clock: { days: number; business: boolean; statute: string };
  dueOn: string;
  deadline: DeadlineState | null;
  feeEstimateCents: number | null;
  timeEstimateHours: number | null;
  notes: string | null;
  departmentId: string | null;
  assignedTo: string | null;
  forwardedBy: string | null;
  acknowledgedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  denial: { codes: string[]; explanation: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface Decision {
  decision: 'include' | 'exclude';
  reason: string;
  exemption: string | null;
  by: string;
  at: string;
}

export interface Redaction {
  id: string;
  start: number;
  end: number;
  code: string;
  note: string | null;
  by: string;
  at: string;
}

export interface Candidate {
  recordId: string;
  leafIndex: number | null;
  kind: string | null;
  platform: string | null;
  accountId: string | null;
  capturedAt: string | null;
  platformTime: string | null;
  author: string | null;
  /** Null once destroyed under a disposition; redaction offsets index this text. */
  text: string | null;
  decision: Decision | null;
  redactions: Redaction[];
}

export interface SavedSearch {
  id: string;
  query: unknown;
  total: number;
  by: string;
  at: string;
}

export interface Withholding {
  code: string;
  records: number;
  redactions: number;
}

/** What the production's summary column holds (the package builder's summary and the request's own facts). */
export interface ProductionSummary {
  sha256?: string;
  bytes?: number;
  records?: number;
  redacted?: number;
  files?: string[];
  checkpoint?: { size: number; rootHash: string };
  items?: Array<{ recordId: string; derivedRecordId: string | null }>;
  withheld?: Withholding[];
  coverLetter?: string;
}

export interface Production {
  id: string;
  sha256: string;
  bytes: number;
  summary: ProductionSummary;
  by: string;
  at: string;
}

export interface HistoryEntry {
  action: string;
  by: string;
  at: string;
  before: unknown;
  after: unknown;
}

export interface RecordsRequestDetail {
  request: RecordsRequestSummary;
  searches: SavedSearch[];
  candidates: Candidate[];
  reviews: Array<{ recordId: string; decision: 'include' | 'exclude'; reason: string; exemption: string | null; by: string; at: string }>;
  withheld: Withholding[];
  productions: Production[];
  history: HistoryEntry[];
}

export interface ProductionResult {
  productionId: string;
  status: 'produced' | 'partially_denied';
  sha256: string;
  bytes: number;
  records: number;
  redacted: Array<{ originalRecordId: string; derivedRecordId: string }>;
}

export type LetterKind = 'acknowledgement' | 'denial' | 'cover';

export interface RecordsExemption {
  code: string;
  label: string;
  citation: string;
}

/** The pack's records section (src/policy/pack.schema.ts RecordsSchema). */
export interface RecordsRules {
  custodianRole: string;
  clock: { days: number; business: boolean; statute: string; note: string };
  exemptions: RecordsExemption[];
  sources: string[];
}

export interface PolicyWithRecords {
  digest: string;
  pack: PolicyPack & { records?: RecordsRules };
}

/** The search form's fields, as review.commands.ts SavedQuerySchema takes them. */
export interface CandidateQuery {
  text?: string;
  accountId?: string;
  kind?: string;
  author?: string;
  from?: string;
  to?: string;
  status?: 'deleted' | 'hidden';
}
