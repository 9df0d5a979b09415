import { describe, expect, it } from 'vitest';
import { businessDaysBetween, cityDate, deadlineState, dueOn } from './clock.js';
import { applyRedactions } from './produce.js';

const MT = 'America/Denver';

describe('records request deadlines', () => {
  it('counts business days from the day after receipt, skipping weekends', () => {
    // Thursday 5 March 2026, 10:00 in Montana: five business days is the next Thursday.
    expect(dueOn(new Date('2026-03-05T17:00:00Z'), { days: 5, business: true }, MT)).toBe('2026-03-12');
    // Received on a Saturday: Monday is the first business day.
    expect(dueOn(new Date('2026-03-07T17:00:00Z'), { days: 5, business: true }, MT)).toBe('2026-03-13');
    // Minnesota, ten business days from Friday 6 March: Friday 20 March.
    expect(dueOn(new Date('2026-03-06T15:00:00Z'), { days: 10, business: true }, 'America/Chicago')).toBe('2026-03-20');
    // Calendar days do not skip weekends.
    expect(dueOn(new Date('2026-03-05T17:00:00Z'), { days: 5, business: false }, MT)).toBe('2026-03-10');
  });

  it('uses the city\'s calendar: 10 p.m. Thursday in Montana is Friday in UTC but received Thursday', () => {
    const lateThursday = new Date('2026-03-06T05:00:00Z');
    expect(cityDate(lateThursday, MT)).toBe('2026-03-05');
    expect(dueOn(lateThursday, { days: 5, business: true }, MT)).toBe('2026-03-12');
  });

  it('says how many days are left, when it is due soon, and when it is overdue', () => {
    expect(businessDaysBetween('2026-03-06', '2026-03-12')).toBe(4);
    expect(businessDaysBetween('2026-03-12', '2026-03-06')).toBe(-4);
    // Tuesday 10 March: two business days to Thursday 12 March.
    expect(deadlineState('2026-03-12', new Date('2026-03-10T18:00:00Z'), MT)).toEqual({ dueOn: '2026-03-12', daysLeft: 2, businessDaysLeft: 2, overdue: false, dueSoon: true });
    expect(deadlineState('2026-03-12', new Date('2026-03-09T18:00:00Z'), MT)).toMatchObject({ businessDaysLeft: 3, dueSoon: false });
    // Due today is not overdue, even late in the evening (already the next day in UTC).
    expect(deadlineState('2026-03-12', new Date('2026-03-13T05:30:00Z'), MT)).toMatchObject({ daysLeft: 0, overdue: false, dueSoon: true });
    expect(deadlineState('2026-03-12', new Date('2026-03-13T18:00:00Z'), MT)).toMatchObject({ daysLeft: -1, businessDaysLeft: -1, overdue: true, dueSoon: false });
  });
});

describe('redaction markers', () => {
  it('replaces each span with its code and keeps the rest of the text', () => {
    const text = 'Call Jane at 406-555-0142 about the park.';
    expect(applyRedactions(text, [{ start: 5, end: 9, code: 'third-party-private' }, { start: 13, end: 25, code: 'third-party-private' }]))
      .toBe('Call [REDACTED: third-party-private] at [REDACTED: third-party-private] about the park.');
  });
});
