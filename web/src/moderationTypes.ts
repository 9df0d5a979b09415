// Shapes of the moderation API's JSON (src/moderation/moderation.queries.ts and
// moderation.routes.ts), as the web app reads them.

export type ModerationState = 'new' | 'flagged' | 'in_review' | 'escalated' | 'kept' | 'hidden' | 'deleted' | 'restored';

export const MODERATION_STATES: readonly ModerationState[] = ['new', 'flagged', 'in_review', 'escalated', 'kept', 'hidden', 'deleted', 'restored'];

export type ModerationAction = 'report' | 'keep' | 'escalate' | 'approve_removal' | 'hide' | 'restore';

/** One comment in the queue (GET /api/moderation/queue). */
export interface QueueItem {
  id: string;
  accountId: string;
  platform: string;
  platformId: string;
  threadId: string | null;
  author: string | null;
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
}
