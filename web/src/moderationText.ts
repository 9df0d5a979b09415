// Words for the moderation pages: states, actions, the classifier's labels and evidence, which
// actions a comment's state allows (as the API's state machine does), and the keyboard rules.
import { categoryWords } from './policyText.js';
import type { ModerationAction, ModerationState, Removal } from './moderationTypes.js';

type Tone = 'good' | 'bad' | 'warn' | 'info' | 'neutral' | 'muted';

const STATE_WORDS: Record<ModerationState, string> = {
  new: 'New', held: 'Held for approval', flagged: 'Flagged', in_review: 'In review', escalated: 'Escalated', kept: 'Kept',
  hidden: 'Hidden', deleted: 'Deleted', restored: 'Restored',
};

const STATE_TONES: Record<ModerationState, Tone> = {
  new: 'neutral', held: 'warn', flagged: 'warn', in_review: 'info', escalated: 'bad', kept: 'good', hidden: 'muted', deleted: 'muted', restored: 'good',
};

export function moderationStateWords(state: string): string {
  return STATE_WORDS[state as ModerationState] ?? state;
}

export function moderationStateTone(state: string): Tone {
  return STATE_TONES[state as ModerationState] ?? 'neutral';
}

const ACTION_WORDS: Record<string, string> = {
  report: 'Reported', review: 'Reviewed', keep: 'Kept', escalate: 'Escalated (removal proposed)', approve_removal: 'Removal approved (hidden)',
  hide: 'Hidden', delete: 'Deleted', restore: 'Restored', appeal: 'Appeal recorded', warn: 'Warning recorded',
  block: 'Author blocked (or block proposed)', approve_block: 'Block approved', lift_block: 'Block lifted',
};

export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}

export function labelWords(label: string): string {
  return categoryWords(label);
}

/** The states each action starts from (moderation.commands.ts NEXT). */
const FROM: Record<ModerationAction, readonly ModerationState[]> = {
  report: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored'],
  keep: ['new', 'held', 'flagged', 'in_review', 'escalated', 'restored'],
  escalate: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored'],
  approve_removal: ['escalated'],
  hide: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored'],
  delete: ['new', 'held', 'flagged', 'in_review', 'kept', 'restored', 'hidden'],
  restore: ['hidden'],
};

export function actionAllowedIn(action: ModerationAction, state: string): boolean {
  return FROM[action].includes(state as ModerationState);
}

/** What the person is told after each action succeeded. */
export function doneWords(action: ModerationAction, attorneyTitle: string | null, removal: Removal = 'hide'): string {
  switch (action) {
    case 'report': return 'You reported the comment. The people who review comments have been told.';
    case 'keep': return 'You kept the comment: it stays visible.';
    case 'escalate': return attorneyTitle ? `You escalated the comment. The ${attorneyTitle} has been told a removal awaits their approval.` : 'You escalated the comment.';
    case 'approve_removal': return `You approved the removal: the comment is ${removal === 'delete' ? 'deleted' : 'hidden'} on the platform. The original stays in the archive.`;
    case 'hide': return 'The comment is hidden on the platform. The original stays in the archive.';
    case 'delete': return 'The comment is deleted on the platform. The original stays in the archive.';
    case 'restore': return 'The comment is shown again on the platform.';
  }
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(textOf).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // The classifier's Evidence: the words it matched (spans), the rule that fired, its confidence.
    const spans = Array.isArray(o.spans) ? o.spans.map((sp) => (sp && typeof sp === 'object' ? textOf((sp as Record<string, unknown>).text) : textOf(sp))).filter(Boolean) : [];
    const quoted = [...new Set(spans)].map((t) => `“${t}”`).join(', ');
    const rule = typeof o.rule === 'string' ? o.rule : '';
    const confidence = typeof o.confidence === 'number' ? ` (confidence ${Math.round(o.confidence * 100)}%)` : '';
    if (quoted || rule) return `${[quoted, rule ? `rule ${rule}` : ''].filter(Boolean).join(' — ')}${confidence}`;
    const parts = ['text', 'match', 'excerpt', 'reason'].filter((k) => k in o).map((k) => textOf(o[k])).filter(Boolean);
    return parts.length ? parts.join(': ') : JSON.stringify(value);
  }
  return '';
}

function confidenceOf(value: unknown): number {
  const c = value && typeof value === 'object' ? (value as Record<string, unknown>).confidence : undefined;
  return typeof c === 'number' ? c : 0;
}

/**
 * The classifier's evidence for one label, one line per piece of evidence. Its shape is
 * `{ [category]: Evidence[] }` (src/moderation/classifier/types.ts); a list of entries naming
 * their category is read too.
 */
export function evidenceFor(evidence: unknown, label: string): string[] {
  if (Array.isArray(evidence)) {
    return evidence.filter((e) => e && typeof e === 'object' && ((e as Record<string, unknown>).category === label || (e as Record<string, unknown>).label === label))
      .map(textOf).filter(Boolean);
  }
  if (evidence && typeof evidence === 'object' && label in evidence) {
    const value = (evidence as Record<string, unknown>)[label];
    const list = Array.isArray(value) ? [...value] : [value];
    // Strongest evidence first.
    list.sort((a, b) => confidenceOf(b) - confidenceOf(a));
    return list.map(textOf).filter(Boolean);
  }
  return [];
}

/** True when a key press belongs to a field being typed in (shortcuts must not fire there). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
}

/**
 * Who wrote a comment: the handle when capture knew it; otherwise, on Bluesky, the author's DID
 * from the comment's at:// address (live capture sees DIDs, not handles).
 */
export function authorOf(item: { author: string | null; platform: string; platformId: string }): string | null {
  if (item.author) return item.author;
  const did = item.platform === 'bluesky' ? /^at:\/\/([^/]+)\//.exec(item.platformId)?.[1] : undefined;
  return did ?? null;
}

/** "the Communications Manager, the City Manager or the City Attorney": who a report goes to. */
export function reportToWords(titles: readonly string[]): string {
  const named = titles.map((t) => `the ${t}`);
  if (named.length === 0) return 'the people your city\'s policy names';
  return named.length === 1 ? named[0]! : `${named.slice(0, -1).join(', ')} or ${named.at(-1)!}`;
}
