// Plain words and small rules for the content pages: draft statuses, each platform's length limit
// and how it counts (Bluesky counts graphemes, what a person sees as one character), and the
// state of each step of a draft's approval chain.
import type { DraftDetail, DraftStatus, DraftStepView, FindingSeverity } from './contentTypes.js';

const STATUS_WORDS: Record<DraftStatus, string> = {
  draft: 'Draft',
  in_review: 'Waiting for approval',
  rejected: 'Returned to the author',
  approved: 'Approved',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Publishing failed',
};

export function draftStatusWords(status: string): string {
  return STATUS_WORDS[status as DraftStatus] ?? status.replace(/_/g, ' ');
}

export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'neutral' | 'muted';

const STATUS_TONES: Record<DraftStatus, Tone> = {
  draft: 'neutral', in_review: 'warn', rejected: 'bad', approved: 'info', scheduled: 'info', publishing: 'info', published: 'good', failed: 'bad',
};

export function draftStatusTone(status: string): Tone {
  return STATUS_TONES[status as DraftStatus] ?? 'neutral';
}

export const SEVERITY_ORDER: FindingSeverity[] = ['block', 'acknowledge', 'hint'];

export const SEVERITY_WORDS: Record<FindingSeverity, { heading: string; one: string }> = {
  block: { heading: 'Blocks', one: 'Blocks submission' },
  acknowledge: { heading: 'Needs approver\'s acknowledgement', one: 'Needs the approver\'s acknowledgement' },
  hint: { heading: 'Hints', one: 'Hint' },
};

export interface PlatformLimit {
  platform: string;
  name: string;
  max: number;
  unit: string;
  count: (text: string) => number;
}

let segmenter: Intl.Segmenter | null = null;

/** User-perceived characters (grapheme clusters): how Bluesky counts its 300. */
export function graphemes(text: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text)).length;
}

function codePoints(text: string): number {
  return [...text].length;
}

export const PLATFORM_LIMITS: PlatformLimit[] = [
  { platform: 'bluesky', name: 'Bluesky', max: 300, unit: 'characters', count: graphemes },
  { platform: 'facebook', name: 'Facebook', max: 63_206, unit: 'characters', count: codePoints },
];

export function limitFor(platform: string): PlatformLimit | undefined {
  return PLATFORM_LIMITS.find((l) => l.platform === platform);
}

/** The first words of a post, for tables and headings. */
export function excerpt(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Each chain step's state for the draft's current version, with who decided it. */
export function draftSteps(d: Pick<DraftDetail, 'chain' | 'currentStep' | 'decisions' | 'status' | 'version'>): DraftStepView[] {
  if (!d.chain) return [];
  const current = d.decisions.filter((x) => x.version === d.version);
  return d.chain.steps.map((s, i) => {
    const decided = current.filter((x) => x.step === i).at(-1);
    const decision = decided ? { decision: decided.decision, by: decided.by, byName: decided.by, at: decided.at, comment: decided.comment } : null;
    let state: DraftStepView['state'];
    if (decided) state = decided.decision;
    else if (d.status === 'in_review' && i === d.currentStep) state = 'awaiting';
    else if (d.status === 'in_review' && i > d.currentStep) state = 'waiting';
    else state = 'not_reached';
    return { roleTitle: s.roleTitle, label: s.label, state, decision };
  });
}

/** "The Communications Manager (step 2 of 2)" for a draft in review, else null. */
export function awaitingWords(d: Pick<DraftDetail, 'chain' | 'currentStep' | 'status'>): string | null {
  if (d.status !== 'in_review' || !d.chain) return null;
  const step = d.chain.steps[d.currentStep];
  return step ? `The ${step.roleTitle} (step ${d.currentStep + 1} of ${d.chain.steps.length})` : null;
}

/** Whether a draft may still be edited (a published or publishing one needs a correction instead). */
export function editable(status: string): boolean {
  return !['publishing', 'published'].includes(status);
}

/** A value for <input type="datetime-local"> from an ISO time, in the browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An ISO time with offset from a datetime-local value, or null when blank or not a time. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Whether a string is an http(s) address the server will accept. */
export function isWebAddress(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}
