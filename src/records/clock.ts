// Deadline math for records requests, in the city's own calendar: a request received at 10 p.m. on
// a Thursday in Montana was received on Thursday, whatever UTC says. Business days skip Saturdays
// and Sundays. Legal holidays are not modeled yet (no pack or city lists them): a due date may
// therefore fall on a holiday and be a day early, never late, which is the safe side of a deadline.

export interface Clock {
  days: number;
  business: boolean;
}

const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) at `at` in the city's time zone. */
export function cityDate(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    // A pack is validated before use, so this is only a defensive fallback.
    return at.toISOString().slice(0, 10);
  }
}

function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

export function addDays(isoDate: string, days: number): string {
  return new Date((dayNumber(isoDate) + days) * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekend(isoDate: string): boolean {
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * The date an answer is due: `days` after the day of receipt, counting only weekdays when the
 * clock is in business days (the day of receipt itself is never counted, as Minn. Stat. 13.04
 * subd. 3 counts "within ten days of the date of the request").
 */
export function dueOn(receivedAt: Date, clock: Clock, timeZone: string): string {
  let day = cityDate(receivedAt, timeZone);
  if (!clock.business) return addDays(day, clock.days);
  for (let left = clock.days; left > 0;) {
    day = addDays(day, 1);
    if (!isWeekend(day)) left--;
  }
  return day;
}

/** Weekdays after `from` up to and including `to`; negative when `to` is before `from`. */
export function businessDaysBetween(from: string, to: string): number {
  if (to < from) return -businessDaysBetween(to, from);
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (!isWeekend(day)) count++;
  return count;
}

export interface DeadlineState {
  dueOn: string;
  /** Calendar days from today (city time) to the due date; negative once past. */
  daysLeft: number;
  /** Weekdays from today to the due date; negative once past. */
  businessDaysLeft: number;
  /** The due date has passed (an answer due today is not overdue until tomorrow). */
  overdue: boolean;
  /** Two business days or fewer left, and not yet overdue: when the custodian is reminded. */
  dueSoon: boolean;
}

export const DUE_SOON_BUSINESS_DAYS = 2;

export function deadlineState(due: string, now: Date, timeZone: string): DeadlineState {
  const today = cityDate(now, timeZone);
  const businessDaysLeft = businessDaysBetween(today, due);
  const overdue = today > due;
  return {
    dueOn: due, daysLeft: dayNumber(due) - dayNumber(today), businessDaysLeft, overdue,
    dueSoon: !overdue && businessDaysLeft <= DUE_SOON_BUSINESS_DAYS,
  };
}
