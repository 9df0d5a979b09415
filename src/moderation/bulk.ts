// Acting on several comments at once without giving up anything a single action requires: each
// item carries its own reason (and, to escalate, hide or delete, its own clause) and goes through
// moderate() on its own, so permissions, the attorney's approval (BZ-15), warnings, the platform
// call, the event and the archive records are per comment. One comment failing changes nothing
// for the others; every outcome is reported.
import type { ModerationState } from '../db/schema.js';
import type { CommandContext } from '../events/command.js';
import { AppError, type FieldError } from '../http/errors.js';
import { moderate, type ModerationDeps } from './moderation.commands.js';

export const BULK_ACTIONS = ['keep', 'escalate', 'hide', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_MAX = 100;

export interface BulkItem {
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
  /** Shown and acknowledged (ok), or to read and acknowledge before sending it again (error code 'warnings'). */
  warnings?: string[];
  error?: { status: number; code: string; message: string; fields?: FieldError[]; sources?: string[]; rule?: string };
}

/** In a bulk action every item's reason is required, keep included: each is a decision of its own. */
function reasonProblem(reason: string): AppError | null {
  if (reason.trim().length >= 10) return null;
  return new AppError(400, 'bad_request', 'Write the reason for this comment (it is kept with its action)', { fields: [{ path: 'body.reason', message: 'at least 10 characters' }] });
}

function failure(itemId: string, err: unknown): BulkOutcome {
  if (err instanceof AppError) {
    const { fields, sources, rule } = err.details;
    const warnings = err.code === 'warnings' ? (fields ?? []).map((f) => f.message) : undefined;
    return { itemId, ok: false, ...(warnings ? { warnings } : {}), error: { status: err.status, code: err.code, message: err.message, ...(fields ? { fields } : {}), ...(sources ? { sources } : {}), ...(rule ? { rule } : {}) } };
  }
  return { itemId, ok: false, error: { status: 500, code: 'internal', message: 'Something went wrong with this comment: nothing was recorded for it' } };
}

/** One moderate() per item, in order (platform calls one at a time); never throws for an item. */
export async function moderateBulk(ctx: CommandContext, deps: ModerationDeps, items: readonly BulkItem[], onUnexpected?: (itemId: string, err: unknown) => void): Promise<{ outcomes: BulkOutcome[]; done: number; failed: number }> {
  const outcomes: BulkOutcome[] = [];
  for (const item of items) {
    const problem = reasonProblem(item.reason);
    if (problem) {
      outcomes.push(failure(item.itemId, problem));
      continue;
    }
    try {
      const result = await moderate(ctx, deps, item.itemId, { action: item.action, clauseId: item.clauseId ?? null, reason: item.reason, acknowledgeWarnings: item.acknowledgeWarnings });
      outcomes.push({ itemId: item.itemId, ok: true, state: result.state, warnings: result.warnings });
    } catch (err) {
      if (!(err instanceof AppError)) onUnexpected?.(item.itemId, err);
      outcomes.push(failure(item.itemId, err));
    }
  }
  const done = outcomes.filter((o) => o.ok).length;
  return { outcomes, done, failed: outcomes.length - done };
}
