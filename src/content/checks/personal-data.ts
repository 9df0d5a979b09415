// Personal data in a post (KA-15 and BZ-12 "no personal data in posts", LX-6 privacy, MN-6 no
// private information). What can only hurt someone (Social Security numbers, dates of birth, case
// numbers that tie a person to a court or police file) blocks; what a city often publishes on
// purpose (a business's phone number, a venue's address, a partner agency's e-mail) needs the
// approver to confirm it is not a private person's.
import { cite, policyNote, RULES } from './citations.js';
import {
  digitsOf,
  findBirthDates,
  findCaseNumbers,
  findPhones,
  findSsns,
  findStreetAddresses,
  type Hit,
} from './personal-data.patterns.js';
import { allMatches, capitalised, cityHosts, EMAIL_RE, finding, isCityHost, quoteExcerpt, where, withoutLinks } from './text.js';
import type { CheckContext, CheckedText, Finding, Severity } from './types.js';

interface Kind {
  id: string;
  severity: Severity;
  describe: (excerpt: string, on: CheckedText) => string;
  case?: boolean;
}

const KINDS = {
  ssn: {
    id: 'personal-data.ssn',
    severity: 'block',
    describe: (e, on) => `Remove the Social Security number ${quoteExcerpt(e)} from ${where(on)}: a Social Security number must never be published.`,
  },
  birthDate: {
    id: 'personal-data.date-of-birth',
    severity: 'block',
    describe: (e, on) => `Remove the date of birth ${quoteExcerpt(e)} from ${where(on)}: a person's date of birth is private information.`,
  },
  caseNumber: {
    id: 'personal-data.case-number',
    severity: 'block',
    describe: (e, on) =>
      `Remove the case or report number ${quoteExcerpt(e)} from ${where(on)}: it ties a person to a court or police file. Refer people to the records office instead.`,
    case: true,
  },
  phone: {
    id: 'personal-data.phone',
    severity: 'acknowledge',
    describe: (e, on) =>
      `${capitalised(where(on))} has the phone number ${quoteExcerpt(e)}, which is not one of the city's listed numbers. Remove it if it is a private person's; the approver confirms it may be published.`,
  },
  email: {
    id: 'personal-data.email',
    severity: 'acknowledge',
    describe: (e, on) =>
      `${capitalised(where(on))} has the e-mail address ${quoteExcerpt(e)}, which is not a city address. Remove it if it is a private person's; the approver confirms it may be published.`,
  },
  address: {
    id: 'personal-data.home-address',
    severity: 'acknowledge',
    describe: (e, on) =>
      `${quoteExcerpt(e)} in ${where(on)} looks like a street address. Remove it if it is someone's home; a public building, business or event venue is fine, and the approver confirms which.`,
  },
} satisfies Record<string, Kind>;

// Red Lodge's policy, for one, says nothing about personal data in posts; the check still runs
// because publishing it harms the person whatever the policy says.
const NO_CLAUSE = " (This city's policy has no clause for it; CivicDesk checks it to protect people's privacy.)";

/** The city's own phone numbers (10 digits) and postal addresses, which are never personal data. */
function ownContacts(ctx: CheckContext): { phones: Set<string>; addresses: string[] } {
  const phones = new Set<string>();
  const addresses: string[] = [];
  for (const route of ctx.pack.city.contactRoutes) {
    if (route.kind === 'phone') phones.add(digitsOf(route.value));
    if (route.kind === 'mail' || route.kind === 'in_person') addresses.push(route.value.toLowerCase().replace(/\s+/g, ' '));
  }
  return { phones, addresses };
}

function privateEmails(text: string, hosts: string[]): Hit[] {
  const out: Hit[] = [];
  for (const m of allMatches(EMAIL_RE, text)) {
    const domain = m[0].split('@')[1] ?? '';
    if (!isCityHost(domain, hosts)) out.push({ start: m.index, end: m.index + m[0].length, excerpt: m[0] });
  }
  return out;
}

export function checkPersonalData(ctx: CheckContext): Finding[] {
  const general = cite(ctx.pack, RULES.personalData);
  const forCases = cite(ctx.pack, RULES.caseNumber);
  const own = ownContacts(ctx);
  const hosts = cityHosts(ctx.pack);
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    // Links are blanked first: a number inside a URL path is an id, not a person's data.
    const prose = withoutLinks(on.text);
    const groups: Array<[Kind, Hit[]]> = [
      [KINDS.ssn, findSsns(prose)],
      [KINDS.birthDate, findBirthDates(prose)],
      [KINDS.caseNumber, findCaseNumbers(prose)],
      [KINDS.phone, findPhones(prose, own.phones)],
      [KINDS.email, privateEmails(on.text, hosts)],
      [KINDS.address, findStreetAddresses(prose, own.addresses)],
    ];
    const claimed: Hit[] = [];
    for (const [kind, hits] of groups) {
      const citation = kind.case ? forCases : general;
      for (const h of hits) {
        // One stretch of text is reported once, under the most serious kind that claimed it.
        if (claimed.some((c) => h.start < c.end && c.start < h.end)) continue;
        claimed.push(h);
        const excerpt = on.text.slice(h.start, h.end);
        out.push(
          finding({
            id: kind.id,
            severity: kind.severity,
            message: `${kind.describe(excerpt, on)}${citation.sources.length ? policyNote(ctx.pack, citation) : NO_CLAUSE}`,
            citation,
            excerpt,
            range: [h.start, h.end],
            on,
          }),
        );
      }
    }
  }
  return out;
}
