// Pure date helpers for the content calendar (pages/ContentCalendar.tsx). Every day and month is
// in the browser's time zone: a post scheduled for 23:30 UTC lands on the day the person sees.
// Weeks start on Sunday, as US city calendars do.
import type { DraftView } from './contentTypes.js';

/** A calendar month; `month` counts from 0 (January), as Date does. */
export interface Month {
  year: number;
  month: number;
}

/** One day of the month: its local date as YYYY-MM-DD, and its day number. */
export interface CalendarDay {
  key: string;
  day: number;
}

/** Seven cells, Sunday first; null for the days before the 1st and after the month's last day. */
export type CalendarWeek = Array<CalendarDay | null>;

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** A time's local date as YYYY-MM-DD. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function monthOf(date: Date): Month {
  return { year: date.getFullYear(), month: date.getMonth() };
}

export function addMonths(m: Month, n: number): Month {
  const d = new Date(m.year, m.month + n, 1);
  return monthOf(d);
}

/** "2025-06" for June 2025, as the page's address carries it. */
export function monthKey(m: Month): string {
  return `${m.year}-${pad(m.month + 1)}`;
}

/** The month a "YYYY-MM" names, or null when it names none. */
export function parseMonthKey(value: string | null): Month | null {
  const match = value ? /^(\d{4})-(\d{2})$/.exec(value) : null;
  if (!match) return null;
  const month = Number(match[2]) - 1;
  return month >= 0 && month <= 11 ? { year: Number(match[1]), month } : null;
}

/** The month's weeks, each of seven cells, Sunday first. */
export function monthWeeks(m: Month): CalendarWeek[] {
  const days = new Date(m.year, m.month + 1, 0).getDate();
  const lead = new Date(m.year, m.month, 1).getDay();
  const cells: Array<CalendarDay | null> = Array.from({ length: lead }, () => null);
  for (let day = 1; day <= days; day++) cells.push({ key: `${m.year}-${pad(m.month + 1)}-${pad(day)}`, day });
  while (cells.length % 7) cells.push(null);
  const weeks: CalendarWeek[] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** When a post belongs on the calendar: a scheduled one when it is due, a published one when it went out. */
export function calendarTime(d: Pick<DraftView, 'status' | 'scheduledAt' | 'updatedAt'>): string | null {
  if (d.status === 'scheduled') return d.scheduledAt;
  // Publishing is the last change a draft gets (src/content/publish.ts sets the status and
  // updated_at together; a published draft cannot be edited), so updatedAt is when it went out.
  if (d.status === 'published') return d.updatedAt;
  return null;
}

export interface CalendarEntry<T> {
  draft: T;
  /** The ISO time it is placed at. */
  at: string;
  /** Its local day, YYYY-MM-DD. */
  key: string;
}

/** The month's scheduled and published posts, earliest first. */
export function monthEntries<T extends Pick<DraftView, 'status' | 'scheduledAt' | 'updatedAt'>>(drafts: readonly T[], m: Month): Array<CalendarEntry<T>> {
  const prefix = `${monthKey(m)}-`;
  const entries: Array<CalendarEntry<T>> = [];
  for (const draft of drafts) {
    const at = calendarTime(draft);
    const time = at ? new Date(at) : null;
    if (!at || !time || Number.isNaN(time.getTime())) continue;
    const key = dayKey(time);
    if (key.startsWith(prefix)) entries.push({ draft, at, key });
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
