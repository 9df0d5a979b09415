// Plain words for records requests (statuses, deadlines, history), the addresses of their pages and
// files, and the text arithmetic the redaction form needs. Pure functions, so the pages stay small
// and these can be read (and tested) on their own.
import { humanize } from './policyText.js';
import type { CandidateQuery, DeadlineState, LetterKind, RecordsExemption, RecordsStatus, Redaction } from './recordsTypes.js';

const STATUS_WORDS: Record<RecordsStatus, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  searching: 'Searching',
  in_review: 'In review',
  produced: 'Records produced',
  closed: 'Closed',
  denied: 'Denied',
  partially_denied: 'Produced, partly withheld',
  withdrawn: 'Withdrawn',
};

export function recordsStatusWords(status: RecordsStatus): string {
  return STATUS_WORDS[status] ?? humanize(status);
}

export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'neutral' | 'muted';

const STATUS_TONES: Record<RecordsStatus, Tone> = {
  received: 'warn', acknowledged: 'info', searching: 'info', in_review: 'info', produced: 'good',
  closed: 'muted', denied: 'bad', partially_denied: 'good', withdrawn: 'muted',
};

export function recordsStatusTone(status: RecordsStatus): Tone {
  return STATUS_TONES[status] ?? 'neutral';
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "Overdue by 2 days", "Due today", "3 business days left": the words carry it, never colour alone. */
export function deadlineWords(d: DeadlineState, business: boolean): string {
  if (d.overdue) return `Overdue by ${plural(-d.daysLeft, 'day', 'days')}`;
  if (d.daysLeft === 0) return 'Due today';
  if (business) return `${plural(d.businessDaysLeft, 'business day', 'business days')} left`;
  return `${plural(d.daysLeft, 'day', 'days')} left`;
}

export function deadlineTone(d: DeadlineState): Tone {
  if (d.overdue) return 'bad';
  return d.dueSoon ? 'warn' : 'neutral';
}

export function clockWords(clock: { days: number; business: boolean }): string {
  return `${clock.days} ${clock.business ? (clock.days === 1 ? 'business day' : 'business days') : (clock.days === 1 ? 'calendar day' : 'calendar days')}`;
}

/** The calendar day of an instant in the city's time zone (the day the clock counts from), else the browser's. */
export function cityDayWords(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone });
  } catch {
    return date.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric' });
  }
}

export function moneyWords(cents: number | null): string {
  return cents === null ? 'Not estimated' : `$${(cents / 100).toFixed(2)}`;
}

export function hoursWords(hours: number | null): string {
  return hours === null ? 'Not estimated' : plural(hours, 'hour', 'hours');
}

/** "12.50" or "$12.50" → 1250; '' → null; anything else → undefined (not a sum of money). */
export function parseDollars(input: string): number | null | undefined {
  const v = input.trim().replace(/^\$/, '');
  if (v === '') return null;
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(v)) return undefined;
  return Math.round(Number(v) * 100);
}

/** '' → null; a number of hours ≥ 0 → it; anything else → undefined. */
export function parseHours(input: string): number | null | undefined {
  const v = input.trim();
  if (v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 10_000 ? n : undefined;
}

const ACTION_WORDS: Record<string, string> = {
  'records.request_received': 'Taken in by the custodian',
  'records.request_forwarded': 'Forwarded to the custodian',
  'records.request_acknowledged': 'Acknowledged to the requester',
  'records.request_updated': 'Estimates or notes changed',
  'records.request_status_changed': 'Status changed',
  'records.request_searched': 'Archive searched; result list frozen',
  'records.request_reviewed': 'Record reviewed',
  'records.request_redacted': 'Passage redacted',
  'records.request_produced': 'Package produced',
  'records.request_denied': 'Denied',
  'records.request_closed': 'Closed',
};

export function historyWords(action: string): string {
  return ACTION_WORDS[action] ?? humanize(action.replace(/^records\./, ''));
}

/** The status an event moved the request to, when it did. */
export function statusOf(value: unknown): RecordsStatus | null {
  if (value && typeof value === 'object' && 'status' in value && typeof value.status === 'string') return value.status as RecordsStatus;
  return null;
}

/** A detail worth showing in the history: a reason, a note, a count found. */
export function historyDetail(after: unknown): string {
  if (!after || typeof after !== 'object') return '';
  const a = after as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof a.found === 'number') parts.push(`${plural(a.found, 'record', 'records')} found`);
  if (typeof a.decision === 'string') parts.push(`${a.decision === 'include' ? 'Included' : 'Excluded'}${typeof a.reason === 'string' ? `: ${a.reason}` : ''}`);
  if (typeof a.code === 'string') parts.push(`under ${a.code}`);
  if (typeof a.reason === 'string' && typeof a.decision !== 'string') parts.push(a.reason);
  if (typeof a.note === 'string' && a.note) parts.push(a.note);
  if (typeof a.records === 'number' && typeof a.bytes === 'number') parts.push(`${plural(a.records, 'record', 'records')}`);
  return parts.join('; ');
}

export function exemptionOf(exemptions: readonly RecordsExemption[], code: string): RecordsExemption | undefined {
  return exemptions.find((e) => e.code === code);
}

export function queryWords(q: unknown): string {
  if (!q || typeof q !== 'object') return 'Everything';
  const c = q as CandidateQuery & { kind?: string | string[] };
  const parts: string[] = [];
  if (c.text) parts.push(`words “${c.text}”`);
  if (c.kind) parts.push(`kind ${Array.isArray(c.kind) ? c.kind.join(', ') : c.kind}`);
  if (c.author) parts.push(`author ${c.author}`);
  if (c.accountId) parts.push(`account ${c.accountId}`);
  if (c.from) parts.push(`from ${c.from}`);
  if (c.to) parts.push(`to ${c.to}`);
  if (c.status) parts.push(`${c.status} on the platform`);
  return parts.join(', ') || 'Everything';
}

const enc = encodeURIComponent;
export const recordsRequestPath = (id: string) => `/records/${enc(id)}`;
export const recordsPdfPagePath = (id: string, pid: string) => `/records/${enc(id)}/productions/${enc(pid)}/pdf`;
export const recordsZipUrl = (id: string, pid: string) => `/api/records/requests/${enc(id)}/productions/${enc(pid)}/download`;
export const recordsPdfUrl = (id: string, pid: string) => `/api/records/requests/${enc(id)}/productions/${enc(pid)}/records.pdf`;
export const recordsLetterUrl = (id: string, kind: LetterKind) => `/api/records/requests/${enc(id)}/letters/${kind}`;

/** A letter as a file to save: plain UTF-8 text, the accessible format the requester gets. */
export function letterHref(text: string): string {
  return `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
}

/** Where `needle` occurs in `text`, as [start, end) string indexes (the API's UTF-16 offsets). */
export function occurrences(text: string, needle: string): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  if (!needle) return out;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) out.push({ start: at, end: at + needle.length });
  return out;
}

export function overlaps(span: { start: number; end: number }, redactions: readonly Pick<Redaction, 'start' | 'end'>[]): boolean {
  return redactions.some((r) => span.start < r.end && r.start < span.end);
}

export interface Segment {
  text: string;
  redaction: Redaction | null;
}

/** The text cut at the redactions (which never overlap), so each redacted span can be marked. */
export function segments(text: string, redactions: readonly Redaction[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const r of [...redactions].sort((a, b) => a.start - b.start)) {
    if (r.start > at) out.push({ text: text.slice(at, r.start), redaction: null });
    out.push({ text: text.slice(r.start, r.end), redaction: r });
    at = Math.max(at, r.end);
  }
  if (at < text.length) out.push({ text: text.slice(at), redaction: null });
  return out;
}

/** A few words around a span, to tell one occurrence from another. */
export function around(text: string, span: { start: number; end: number }, width = 24): string {
  const before = text.slice(Math.max(0, span.start - width), span.start);
  const after = text.slice(span.end, span.end + width);
  return `${span.start > width ? '…' : ''}${before}[${text.slice(span.start, span.end)}]${after}${span.end + width < text.length ? '…' : ''}`;
}
