// The five bundled packs: each validates, and each keeps the rules that make its policy different.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPackForUse, fillBlanks, formatPackErrors, listBundledPacks, loadBundledPack } from './pack.loader.js';
import type { PolicyPack } from './pack.schema.js';
import { reviewStatus, roleTitle, rolesGranting } from './pack.summary.js';

const IDS = ['bozeman-mt', 'kalispell-mt', 'lmc-model', 'policy-702', 'red-lodge-mt'];
const PREFIX: Record<string, string> = {
  'red-lodge-mt': 'RL',
  'kalispell-mt': 'KA',
  'policy-702': 'LX',
  'bozeman-mt': 'BZ',
  'lmc-model': 'MN',
};

const load = loadBundledPack;

/** Values a city would give for each template's blanks. */
const FILL: Record<string, Record<string, string>> = {
  'lmc-model': {
    city_name: 'Quillhaven',
    city_website: 'https://www.quillhaven.mn.us',
    email_domain: 'quillhaven.mn.us',
    administrator_title: 'City Administrator',
    data_practices_contact_title: 'Data Practices Compliance Official',
    adopted_on: '2024-03-04',
  },
  'policy-702': {
    city_name: 'Quillhaven',
    state: 'MT',
    time_zone: 'America/Denver',
    city_website: 'https://www.quillhaven.mt.us',
    email_domain: 'quillhaven.mt.us',
    adopted_on: '2021-05-17',
  },
};
const TEMPLATES = Object.keys(FILL).sort();

/** Every `sources` array anywhere in the pack. */
function allSources(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => allSources(item, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'sources' && Array.isArray(child)) found.push(...(child as string[]));
      else allSources(child, found);
    }
  }
  return found;
}

describe('the bundled packs', () => {
  it('are exactly the five seed policies', () => {
    expect(listBundledPacks().map((p) => p.id)).toEqual(IDS);
  });

  it('are templates exactly where the policy names no city: LMC (MN-1) and policy 702', () => {
    expect(listBundledPacks().filter((p) => p.blanks.length > 0).map((p) => p.id)).toEqual(TEMPLATES);
  });

  it.each(IDS.filter((id) => !TEMPLATES.includes(id)))('%s is ready to use as shipped', (id) => {
    const result = checkPackForUse(load(id));
    expect(result.ok ? [] : formatPackErrors(result.errors)).toEqual([]);
  });

  it.each(TEMPLATES)('%s is refused until filled, listing each blank, and accepted once filled', (id) => {
    const template = load(id);
    const refused = checkPackForUse(template);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.map((e) => e.message.match(/\{\{(\w+)\}\}/)?.[1]).sort()).toEqual(Object.keys(FILL[id]).sort());
    expect(refused.errors.find((e) => e.message.includes('{{city_website}}'))?.path).toBe('$.city.website');

    const filled = checkPackForUse(fillBlanks(template, FILL[id]));
    expect(filled.ok ? [] : formatPackErrors(filled.errors)).toEqual([]);
    if (filled.ok) expect(filled.pack.city.name).toBe('City of Quillhaven');
  });

  it('LMC names the responsible position the city chose', () => {
    expect(roleTitle(fillBlanks(load('lmc-model'), FILL['lmc-model']), 'administrator')).toBe('City Administrator');
  });

  it.each(IDS)('%s cites only its own policy in POLICY-MAP', (id) => {
    const sources = allSources(load(id));
    expect(sources.length).toBeGreaterThan(20);
    expect(sources.every((s) => s.length > 0)).toBe(true);
    expect(sources.filter((s) => !s.startsWith(`${PREFIX[id]}-`))).toEqual([]);
  });

  it('name who administers each city', () => {
    const admins = Object.fromEntries(IDS.map((id) => [id, rolesGranting(load(id), 'staff.manage').map((r) => r.id)]));
    expect(admins).toEqual({
      'bozeman-mt': ['it_director'],
      'kalispell-mt': ['communications_manager'],
      'lmc-model': ['administrator'],
      'policy-702': ['mayor'],
      'red-lodge-mt': ['mayor'],
    });
  });

  it('only Bozeman requires the City Attorney to approve a removal (BZ-15)', () => {
    const bozeman = load('bozeman-mt');
    expect(bozeman.moderation.removalRequiresAttorneyApproval).toBe(true);
    expect(roleTitle(bozeman, bozeman.moderation.attorneyRole ?? '')).toBe('City Attorney');
    expect(rolesGranting(bozeman, 'comment.removal.approve').map((r) => r.id)).toEqual(['city_attorney']);
    expect(bozeman.moderation.responders).toEqual([]);
    expect(bozeman.content.websiteFirst).toBe(true);
    for (const id of IDS.filter((i) => i !== 'bozeman-mt')) {
      expect(load(id).moderation.removalRequiresAttorneyApproval).toBe(false);
    }
  });

  it('only policy 702 disables public posting (LX-8)', () => {
    expect(IDS.filter((id) => load(id).moderation.publicPostingDisabled)).toEqual(['policy-702']);
    expect(load('policy-702').moderation.responders).toEqual([]);
  });

  it('Kalispell has one responder, the Communications Manager, and the IT Director on every account (KA-2, KA-7)', () => {
    const kalispell = load('kalispell-mt');
    expect(kalispell.moderation.responders).toEqual(['communications_manager']);
    expect(roleTitle(kalispell, 'communications_manager')).toBe('Communications Manager');
    expect(kalispell.moderation.fallbackResponders.map((id) => roleTitle(kalispell, id))).toEqual([
      'City Manager',
      'City Attorney',
    ]);
    expect(kalispell.security.itAdminOnEveryAccount).toBe(true);
    expect(roleTitle(kalispell, kalispell.security.itAdminRole ?? '')).toBe('IT Director');
    expect(kalispell.security.twoFactorRequired).toBe(true);
    expect(kalispell.approvalChains.content.steps.map((s) => s.role)).toEqual(['department_director', 'communications_manager']);
  });

  it('Red Lodge: Mayor or designee approves access and keeps credentials, city e-mail sign-up, review by 2018-12-08', () => {
    const redLodge = load('red-lodge-mt');
    expect(roleTitle(redLodge, 'mayor')).toBe('Mayor or designee');
    expect(redLodge.approvalChains.staffAccess.steps.map((s) => s.role)).toEqual([
      'department_supervisor',
      'department_head',
      'mayor',
    ]);
    expect(redLodge.security.credentialsCustodianRole).toBe('mayor');
    expect(redLodge.security.signupEmailDomainRequired).toBe(true);
    expect(redLodge.city.emailDomain).toBe('cityofredlodge.net');
    expect(reviewStatus(redLodge, new Date('2018-01-01T12:00:00Z')).nextReviewDue).toBe('2018-12-08');
    expect(redLodge.review.requiredByPolicy).toBe(true);
  });

  it('a review reminder the policy does not require says so and cites nothing', () => {
    const requiring = IDS.filter((id) => load(id).review.requiredByPolicy);
    expect(requiring).toEqual(['policy-702', 'red-lodge-mt']);
    for (const id of IDS.filter((i) => !requiring.includes(i))) expect(load(id).review.sources).toEqual([]);
  });

  it('every pack names a records custodian who holds records.request.manage city-wide, and every staff role may forward a request (KA-14)', () => {
    const custodians = Object.fromEntries(IDS.map((id) => [id, load(id).records?.custodianRole]));
    expect(custodians).toEqual({
      'bozeman-mt': 'city_clerk',
      'kalispell-mt': 'city_clerk',
      'lmc-model': 'data_practices_contact',
      'policy-702': 'city_clerk',
      'red-lodge-mt': 'mayor',
    });
    for (const id of IDS) {
      const pack = load(id);
      expect(rolesGranting(pack, 'records.request.manage', 'city').map((r) => r.id)).toContain(pack.records?.custodianRole);
      expect(rolesGranting(pack, 'records.request.forward').length).toBe(pack.roles.length);
    }
  });

  it('records clocks: the Montana "timely manner" is a working target; Minnesota data subjects get 10 business days (MN-10)', () => {
    for (const id of ['kalispell-mt', 'bozeman-mt', 'red-lodge-mt']) {
      const clock = load(id).records?.clock;
      expect(clock).toMatchObject({ days: 5, business: true });
      expect(clock?.statute).toContain('MCA 2-6-1006');
      expect(clock?.note).toMatch(/not a statutory deadline/);
    }
    const mn = load('lmc-model').records;
    expect(mn?.clock).toMatchObject({ days: 10, business: true });
    expect(mn?.clock.statute).toContain('13.04, subd. 3');
    expect(mn?.exemptions.map((e) => e.citation).join(' ')).toContain('Minn. Stat. § 13.43');
  });

  it('only the LMC model pre-moderates comments (MN-7)', () => {
    expect(IDS.filter((id) => load(id).moderation.preModeration)).toEqual(['lmc-model']);
  });
});

// The seeds live beside the repository (shared/seeds); the check runs wherever they are present.
const SEEDS = new URL('../../../shared/seeds/', import.meta.url);
const SEED_DIR_PRESENT = existsSync(SEEDS);

/** Compares letters and digits only, so line breaks, OCR spacing and punctuation do not count. */
function letters(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** OCR errors in the seeds that the packs correct ("uou" for "you", "itg" for "it@"). */
const OCR_FIXES: [RegExp, string][] = [
  [/\beveru\b/g, 'every'],
  [/\buou\b/g, 'you'],
  [/\banu\b/g, 'any'],
  [/\bCitu\b/g, 'City'],
  [/\bbu\b/g, 'by'],
  [/itgbozeman\.net/g, 'it@bozeman.net'],
  [/\bsubiect\b/g, 'subject'],
  [/\b2osting\b/g, 'posting'],
  [/\bI\. Every comment/g, '1. Every comment'],
];

function seedText(pack: PolicyPack): string {
  const raw = readFileSync(new URL(pack.source.seedFile, SEEDS), 'utf8');
  return letters(OCR_FIXES.reduce((text, [pattern, fix]) => text.replace(pattern, fix), raw));
}

describe.skipIf(!SEED_DIR_PRESENT)('policy text is verbatim from the seed', () => {
  it.each(IDS)('%s: acceptable use clauses', (id) => {
    const pack = load(id);
    const seed = seedText(pack);
    const missing = pack.acceptableUse.clauses.filter((clause) => !seed.includes(letters(clause.text)));
    expect(missing.map((clause) => clause.id)).toEqual([]);
  });

  it.each(['kalispell-mt', 'bozeman-mt'])('%s: the prescribed statement, line by line', (id) => {
    const pack = load(id);
    expect(pack.acceptableUse.statementVerbatim).toBe(true);
    const seed = seedText(pack);
    const lines = pack.acceptableUse.statement.split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((line) => !seed.includes(letters(line)))).toEqual([]);
  });
});
