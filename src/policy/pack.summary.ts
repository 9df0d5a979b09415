// Small read-only views of a pack for the rest of the app. Pure functions: no I/O, no clock except
// the `now` the caller passes, so every screen and report shows the same answer for the same pack.
import type { Action, Scope } from './actions.js';
import { SCOPE_RANK, parseGrant } from './grants.js';
import { isIsoDate } from './pack.fields.js';
import type { AupClause, PackRole, PolicyPack } from './pack.schema.js';

/**
 * The title the policy uses for a role. An unknown id is returned as is: events recorded under an
 * older pack version may name a role the current version dropped, and the id is then the truest label.
 */
export function roleTitle(pack: PolicyPack, roleId: string): string {
  return pack.roles.find((role) => role.id === roleId)?.title ?? roleId;
}

/** Roles that grant `action` at `atLeast` scope or wider (any scope when omitted). */
export function rolesGranting(pack: PolicyPack, action: Action, atLeast: Scope = 'own'): PackRole[] {
  return pack.roles.filter((role) =>
    role.grants.some((text) => {
      const parsed = parseGrant(text);
      return parsed.ok && parsed.grant.action === action && SCOPE_RANK[parsed.grant.scope] >= SCOPE_RANK[atLeast];
    }),
  );
}

export interface AcceptableUseView {
  cityName: string;
  statement: string;
  statementVerbatim: boolean;
  forumPurpose: string;
  mustAppearOnEverySite: boolean;
  clauses: AupClause[];
  contactRoutes: PolicyPack['city']['contactRoutes'];
  sources: string[];
}

/** What the public page shows: the rules a comment is judged by, and the other ways to reach the city. */
export function acceptableUseView(pack: PolicyPack): AcceptableUseView {
  const aup = pack.acceptableUse;
  return {
    cityName: pack.city.name,
    statement: aup.statement,
    statementVerbatim: aup.statementVerbatim,
    forumPurpose: aup.forumPurpose,
    mustAppearOnEverySite: aup.mustAppearOnEverySite,
    clauses: aup.clauses.map((clause) => ({ ...clause, sources: [...clause.sources] })),
    contactRoutes: pack.city.contactRoutes.map((route) => ({ ...route })),
    sources: [...aup.sources],
  };
}

export interface ReviewStatus {
  nextReviewDue: string;
  overdue: boolean;
  /** Negative once the due date has passed. */
  daysUntil: number;
  /** False when the cycle is CivicDesk's reminder, not a requirement of the policy. */
  requiredByPolicy: boolean;
  reviewerRole: string;
  subject: PolicyPack['review']['subject'];
  sources: string[];
}

const DAY_MS = 86_400_000;

function dayNumber(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
}

/** Adds months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb, not 2/3 Mar). */
export function addMonths(isoDate: string, months: number): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/** Today's date where the city is: a review due "today" in Montana is not overdue at 5 p.m. MST. */
function cityToday(pack: PolicyPack, now: Date): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: pack.city.timeZone }).format(now);
  } catch {
    // An unfilled template has no time zone yet.
    return now.toISOString().slice(0, 10);
  }
}

/**
 * When the next review is due: `cycleMonths` after `lastReviewedOn` (ISO date) once the city has
 * recorded a review, otherwise the pack's nextReviewDue, or `cycleMonths` after adoption. Throws for
 * a template whose dates are still blanks: such a pack cannot be installed (validatePackForUse).
 */
export function reviewStatus(pack: PolicyPack, now: Date, lastReviewedOn?: string): ReviewStatus {
  const review = pack.review;
  let due: string;
  if (lastReviewedOn !== undefined && isIsoDate(lastReviewedOn)) due = addMonths(lastReviewedOn, review.cycleMonths);
  else if (review.nextReviewDue !== undefined && isIsoDate(review.nextReviewDue)) due = review.nextReviewDue;
  else if (isIsoDate(review.adoptedOn)) due = addMonths(review.adoptedOn, review.cycleMonths);
  else throw new Error(`pack ${pack.id} has no review date yet: fill its blanks before use`);
  const daysUntil = Math.round(dayNumber(due) - dayNumber(cityToday(pack, now)));
  return {
    nextReviewDue: due,
    overdue: daysUntil < 0,
    daysUntil,
    requiredByPolicy: review.requiredByPolicy,
    reviewerRole: review.reviewerRole,
    subject: review.subject,
    sources: [...review.sources],
  };
}
