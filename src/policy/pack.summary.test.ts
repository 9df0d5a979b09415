import { describe, expect, it } from 'vitest';
import { fillBlanks, loadBundledPack } from './pack.loader.js';
import { acceptableUseView, addMonths, reviewStatus, roleTitle, rolesGranting } from './pack.summary.js';

const load = loadBundledPack;

describe('roleTitle', () => {
  it('uses the words of the policy, and falls back to the id for a role the pack no longer has', () => {
    const kalispell = load('kalispell-mt');
    expect(roleTitle(kalispell, 'it_director')).toBe('IT Director');
    expect(roleTitle(kalispell, 'retired_role')).toBe('retired_role');
  });
});

describe('rolesGranting', () => {
  it('finds roles at any scope, or only at a minimum scope', () => {
    const bozeman = load('bozeman-mt');
    expect(rolesGranting(bozeman, 'content.approve').map((r) => r.id)).toEqual(['department_director', 'staff_liaison']);
    expect(rolesGranting(bozeman, 'content.approve', 'city')).toEqual([]);
    expect(rolesGranting(bozeman, 'comment.removal.approve', 'city').map((r) => r.title)).toEqual(['City Attorney']);
  });
});

describe('acceptableUseView', () => {
  it('gives the statement, purpose, clauses with sources and contact routes', () => {
    const view = acceptableUseView(load('bozeman-mt'));
    expect(view.statement?.startsWith('Acceptable Use Policy: Communicating with the City')).toBe(true);
    expect(view.mustAppearOnEverySite).toBe(true);
    expect(view.clauses.map((c) => c.id)).toContain('aup-5d');
    expect(view.clauses.find((c) => c.id === 'aup-6')).toMatchObject({ category: 'copyright', sources: ['BZ-16', 'BZ-17'] });
    expect(view.contactRoutes.map((r) => r.kind)).toEqual(['website', 'email']);
  });

  it('marks a statement assembled from the policy as not verbatim, and does not share arrays with the pack', () => {
    const pack = load('red-lodge-mt');
    const view = acceptableUseView(pack);
    expect(view.statementVerbatim).toBe(false);
    expect(view.statement).toContain('Any comments posted must be non-discriminatory');
    expect(acceptableUseView(load('kalispell-mt')).statementVerbatim).toBe(true);
    view.clauses[0].sources.push('RL-1');
    expect(pack.acceptableUse.clauses[0].sources).toEqual(['RL-13']);
  });
});

describe('reviewStatus', () => {
  const redLodge = load('red-lodge-mt');

  it('counts days to the due date in the city time zone', () => {
    expect(reviewStatus(redLodge, new Date('2018-12-01T12:00:00Z'))).toMatchObject({
      nextReviewDue: '2018-12-08',
      overdue: false,
      daysUntil: 7,
      reviewerRole: 'mayor',
    });
    // 05:00 UTC on the 9th is still the evening of the 8th in Red Lodge.
    expect(reviewStatus(redLodge, new Date('2018-12-09T05:00:00Z'))).toMatchObject({ overdue: false, daysUntil: 0 });
    expect(reviewStatus(redLodge, new Date('2018-12-10T18:00:00Z'))).toMatchObject({ overdue: true, daysUntil: -2 });
  });

  it('restarts the cycle from a recorded review', () => {
    expect(reviewStatus(redLodge, new Date('2020-01-01T00:00:00Z'), '2018-11-30')?.nextReviewDue).toBe('2021-11-30');
  });

  it('reports a reminder the policy does not require as such', () => {
    expect(reviewStatus(load('kalispell-mt'), new Date('2018-04-19T18:00:00Z'))).toMatchObject({
      nextReviewDue: '2018-04-20',
      daysUntil: 1,
      requiredByPolicy: false,
      reviewerRole: 'city_manager',
      sources: [],
    });
  });

  it('runs an annual cycle from adoption, then from the last recorded review (LX-9)', () => {
    const template = load('policy-702');
    expect(() => reviewStatus(template, new Date())).toThrow(/fill its blanks/);
    const model = fillBlanks(template, { adopted_on: '2024-01-31', time_zone: 'America/Denver' });
    expect(reviewStatus(model, new Date('2024-06-01T12:00:00Z'))).toMatchObject({
      nextReviewDue: '2025-01-31',
      overdue: false,
      requiredByPolicy: true,
      reviewerRole: 'supervisor',
      subject: 'social_media_use',
    });
    expect(reviewStatus(model, new Date('2025-03-02T12:00:00Z'), '2025-02-28')).toMatchObject({
      nextReviewDue: '2026-02-28',
      daysUntil: 363,
    });
  });

  it('adds months without spilling into the next month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2015-12-08', 36)).toBe('2018-12-08');
  });
});
