import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { testPack } from '../../testing/app.js';
import { blocking, checkDraft, type DraftForCheck } from './index.js';

const kalispell = loadBundledPack('kalispell-mt');

describe('checkDraft: what a communications officer sees', () => {
  it('blocks a Kalispell post containing an SSN, naming the rule, the clause and the offending text', () => {
    const text = 'Wallet found at Depot Park. Owner SSN 123-45-6789, please claim it.';
    const findings = checkDraft(kalispell, { text });
    const [ssn, ...others] = blocking(findings);
    expect(others).toEqual([]);
    expect(ssn).toMatchObject({
      id: 'personal-data.ssn',
      severity: 'block',
      sources: ['KA-15'],
      clause:
        'Never use personally identifiable or private information on social media channels, such as social security numbers, financial or health care information, or confidential matters.',
      excerpt: '123-45-6789',
    });
    expect(ssn?.range && text.slice(...ssn.range)).toBe('123-45-6789');
    expect(ssn?.message).toContain('Social Security number');
    expect(ssn?.message).toContain('“123-45-6789”');
    expect(ssn?.message).toContain('Never use personally identifiable');
  });

  it('passes a clean Kalispell post with no blocking findings', () => {
    const draft: DraftForCheck = {
      text: 'Snow plowing starts tonight on all priority routes. Please move vehicles off the street so crews can clear it. Details: https://www.kalispell.com/snow',
      variants: [{ platform: 'bluesky', text: 'Snow plowing starts tonight. Please move vehicles off the street. kalispell.com/snow' }],
      media: [{ alt: 'A city snowplow clearing Main Street at night', mime: 'image/jpeg' }],
    };
    expect(blocking(checkDraft(kalispell, draft))).toEqual([]);
    expect(checkDraft(kalispell, draft)).toEqual([]);
  });

  it('lists blocking findings first, then those the approver acknowledges, then hints', () => {
    const findings = checkDraft(kalispell, {
      text: 'I think the new splash pad is great. Call Jane at 406-555-0134. Case No. 24-CR-0012 is closed. Our new sidwalk is open.',
    });
    const order = findings.map((f) => f.severity);
    expect(order).toEqual([...order].sort((a, b) => ['block', 'acknowledge', 'hint'].indexOf(a) - ['block', 'acknowledge', 'hint'].indexOf(b)));
    expect(order[0]).toBe('block');
    expect(order).toContain('acknowledge');
    expect(order.at(-1)).toBe('hint');
  });

  it('reports an issue in a variant that repeats the main text once, on the main text', () => {
    const text = 'Call Jane at 406-555-0134 about the lost dog.';
    const findings = checkDraft(kalispell, { text, variants: [{ platform: 'facebook', text }] });
    expect(findings.filter((f) => f.id === 'personal-data.phone')).toHaveLength(1);
    expect(findings.find((f) => f.id === 'personal-data.phone')?.variant).toBeUndefined();
  });

  it('reports an issue found only in a variant against that platform', () => {
    const findings = checkDraft(kalispell, {
      text: 'The lost dog has been found.',
      variants: [{ platform: 'facebook', text: 'The lost dog has been found. Owner: 406-555-0134.' }],
    });
    const phone = findings.find((f) => f.id === 'personal-data.phone');
    expect(phone?.variant).toBe('facebook');
    expect(phone?.range && 'The lost dog has been found. Owner: 406-555-0134.'.slice(...phone.range)).toBe('406-555-0134');
  });
});

describe('findings cite the policy of the city whose pack is in force', () => {
  const offending: DraftForCheck = {
    text:
      'I think this is ridiculous. Vote yes on the parks levy! Owner SSN 123-45-6789. Call 406-555-0134. ' +
      'Posted by the City of Quillhaven and St. Michael.',
    variants: [{ platform: 'bluesky', text: 'x'.repeat(301) }],
    media: [{ alt: null, mime: 'image/png' }],
  };
  const packs = [
    ['kalispell-mt', loadBundledPack('kalispell-mt'), 'KA'],
    ['bozeman-mt', loadBundledPack('bozeman-mt'), 'BZ'],
    ['red-lodge-mt', loadBundledPack('red-lodge-mt'), 'RL'],
    ['policy-702', testPack('policy-702'), 'LX'],
    ['lmc-model', testPack('lmc-model'), 'MN'],
  ] as const;

  it.each(packs)('%s: every source id is the city’s own', (_id, pack, prefix) => {
    const findings = checkDraft(pack, offending);
    expect(findings.length).toBeGreaterThan(5);
    const ids = findings.flatMap((f) => f.sources);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.startsWith(`${prefix}-`)).toBe(true);
  });

  it.each(packs)('%s: every clause is quoted verbatim from the pack', (_id, pack) => {
    const packText = JSON.stringify(pack);
    for (const f of checkDraft(pack, offending)) {
      if (f.clause !== undefined) expect(packText).toContain(JSON.stringify(f.clause).slice(1, -1));
    }
  });

  it('cites the clause each city wrote for campaigning', () => {
    const campaign = (id: string) => checkDraft(testPack(id), { text: 'Vote yes on the parks levy!' }).find((f) => f.id === 'campaign');
    expect(campaign('kalispell-mt')).toMatchObject({ sources: ['KA-12', 'KA-9'], clause: expect.stringContaining('campaigning for election') });
    expect(campaign('bozeman-mt')?.sources).toEqual(['BZ-14', 'BZ-16']);
    expect(campaign('red-lodge-mt')).toMatchObject({ sources: ['RL-7'], clause: expect.stringContaining('political opinions') });
    expect(campaign('lmc-model')?.sources).toEqual(['MN-6']);
    expect(campaign('policy-702')?.sources).toEqual(['LX-4']);
  });
});
