// Shapes of the moderation API's JSON (src/moderation/moderation.queries.ts and
// moderation.routes.ts), as the web app reads them.

/** 'held': waiting for approval on a platform that holds replies (none of today's connectors does). */
export type ModerationState = 'new' | 'held' | 'flagged' | 'in_review' | 'escalated' | 'kept' | 'hidden' | 'deleted' | 'restored';

export const MODERATION_STATES: readonly ModerationState[] = ['new', 'held', 'flagged', 'in_review', 'escalated', 'kept', 'hidden', 'deleted', 'restored'];

export type ModerationAction = 'report' | 'keep' | 'escalate' | 'approve_removal' | 'hide' | 'delete' | 'restore';

/** How an approved removal is carried out: hidden (reversible) or deleted on the platform (final). */
export type Removal = 'hide' | 'delete';

/** One comment in the queue (GET /api/moderation/queue). */
export interface QueueItem {
  id: string;
  accountId: string;
  platform: string;
  platformId: string;
  threadId: string | null;
  author: string | null;
  /** The author's platform identity (Bluesky DID), when capture knew it. */
  authorId: string | null;
  text: string;
  state: ModerationState;
  /** The classifier's categories: a hint for ordering, never a reason to act. */
  labels: string[];
  /** The comment criticises the city, its officials or its policies (protected speech). */
  viewpoint: boolean;
  /** The classifier's evidence per category (its shape is the classifier's). */
  evidence: unknown;
  /** An escalated removal awaiting the attorney. */
  proposal: { clauseId: string; reason: string } | null;
  createdAt: string;
}

/** One person's action on a comment, as the history lists it. */
export interface ModerationActionView {
  action: string;
  by: string;
  clauseId: string | null;
  reason: string | null;
  packVersion: string;
  at: string;
}

/** A comment with the same labels, and how it was handled (the consistency panel). */
export interface SimilarComment {
  id: string;
  text: string;
  state: ModerationState;
  labels: string[];
}

/** GET /api/moderation/items/:id */
export interface ModerationDetail extends QueueItem {
  actions: ModerationActionView[];
  similar: SimilarComment[];
  /** What a moderator must read before removing it (never reasons to remove). */
  warnings: string[];
  /** What is on record about the author on this account (null when the author is unknown). */
  authorRecord: AuthorRecord | null;
  /** The platform lets the city delete the reply (Facebook); elsewhere it can only be hidden (Bluesky). */
  canDelete: boolean;
}

/** POST /api/moderation/items/:id/actions */
export interface ModerationAnswer {
  state: ModerationState;
  warnings: string[];
}

export interface ModerationRequest {
  action: ModerationAction;
  clauseId?: string | null;
  reason?: string | null;
  acknowledgeWarnings?: boolean;
  /** approve_removal only; 'hide' when left out. */
  removal?: Removal;
}

export type BulkAction = 'keep' | 'escalate' | 'hide';

/** One item of POST /api/moderation/bulk. */
export interface BulkItemRequest {
  itemId: string;
  action: BulkAction;
  clauseId?: string | null;
  reason: string;
  acknowledgeWarnings?: boolean;
}

export interface BulkOutcome {
  itemId: string;
  ok: boolean;
  state?: ModerationState;
  warnings?: string[];
  error?: { status: number; code: string; message: string; fields?: Array<{ path: string; message: string }>; sources?: string[]; rule?: string };
}

export interface BulkAnswer {
  outcomes: BulkOutcome[];
  done: number;
  failed: number;
}

/** GET /api/moderation/notices: what the policy asks of comments that a platform cannot do. */
export interface PlatformNotice {
  id: 'pre_moderation_unavailable' | 'pre_moderation_held' | 'replies_closed_on_publish' | 'comments_stay_open' | 'blocking_manual';
  platform: string;
  tone: 'warning' | 'info';
  title: string;
  text: string;
  sources: string[];
  accountIds: string[];
}

export type BlockStatus = 'proposed' | 'active' | 'expired' | 'lifted';

export interface BlockView {
  id: string;
  accountId: string;
  platform: string;
  authorId: string;
  author: string | null;
  itemId: string;
  status: BlockStatus;
  days: number;
  violations: string[];
  warningId: string | null;
  clauseId: string;
  reason: string;
  proposedBy: string;
  approvedBy: string | null;
  packVersion: string;
  startsAt: string | null;
  expiresAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
  createdAt: string;
}

export interface AuthorRecord {
  removals: Array<{ itemId: string; text: string; action: string; clauseId: string | null; at: string }>;
  warnings: Array<{ id: string; itemId: string; clauseId: string | null; text: string | null; at: string }>;
  blocks: BlockView[];
}

/** POST /api/moderation/blocks and its approve and lift. */
export interface BlockAnswer {
  id: string;
  status: 'proposed' | 'active' | 'lifted';
  expiresAt: string | null;
  warnings: string[];
  platform: { applied: boolean; instructions: string };
}

/**
 * One comment as staff who may only report see it (GET /api/moderation/reportable): the public
 * speech and whether a report is waiting — no labels, evidence, viewpoint flag or history.
 */
export interface ReportableComment {
  id: string;
  accountId: string;
  account: { platform: string; handle: string };
  platform: string;
  platformId: string;
  /** Where it can be read on the platform (Bluesky), when its address gives one. */
  url: string | null;
  author: string | null;
  text: string;
  createdAt: string;
  /** A report is waiting for the people the policy names. */
  reported: boolean;
  reportedByYou: boolean;
  /** False while a removal is proposed: it is already with the people who decide. */
  canReport: boolean;
}

/** GET /api/moderation/reportable: the comments, who reports go to (KA-10) and the clauses to point to. */
export interface ReportableList {
  reportTo: Array<{ id: string; title: string }>;
  sources: string[];
  clauses: Array<{ id: string; category: string; text: string }>;
  items: ReportableComment[];
}
