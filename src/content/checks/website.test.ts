import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { testPack } from '../../testing/app.js';
import { blocking, checkDraft, type DraftForCheck } from './index.js';

const bozeman = loadBundledPack('bozeman-mt');
const kalispell = loadBundledPack('kalispell-mt');

const pool = 'The Swim Center reopens Saturday at 10 am. Hours and fees: https://www.bozeman.net/swim';

function websiteFindings(pack: typeof bozeman, draft: DraftForCheck) {
  return checkDraft(pack, draft).filter((f) => f.id.startsWith('website.'));
}

describe('website first (Bozeman, BZ-8)', () => {
  it('blocks a post with no city-website page and points to the emergency path', () => {
    const [first, ...rest] = blocking(checkDraft(bozeman, { text: pool }));
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ id: 'website.first', severity: 'block', sources: ['BZ-8'] });
    expect(first?.clause).toBe(
      "All content posted to City social media sites by a City department, board, or committee shall first be posted on the City's principle website.",
    );
    expect(first?.message).toContain('https://www.bozeman.net page');
    expect(first?.message).toContain('emergency');
  });

  it('passes when the page on bozeman.net is given', () => {
    expect(checkDraft(bozeman, { text: pool, websiteUrl: 'https://www.bozeman.net/departments/swim' })).toEqual([]);
    expect(checkDraft(bozeman, { text: pool, websiteUrl: 'bozeman.net/swim' })).toEqual([]);
  });

  it('blocks a page that is not on the city website, quoting it', () => {
    const [first] = blocking(checkDraft(bozeman, { text: pool, websiteUrl: 'https://www.facebook.com/cityofbozeman' }));
    expect(first).toMatchObject({ id: 'website.first', excerpt: 'https://www.facebook.com/cityofbozeman' });
    expect(first?.message).toContain('is not on the city website');
  });

  it('lets an emergency go first, with a reminder the approver acknowledges', () => {
    const findings = checkDraft(bozeman, { text: `Boil water order for the north side. ${pool.split(': ')[1]}`, emergency: true });
    expect(blocking(findings)).toEqual([]);
    const reminder = findings.find((f) => f.id === 'website.first.emergency');
    expect(reminder).toMatchObject({ severity: 'acknowledge', sources: ['BZ-8'] });
    expect(reminder?.message).toContain('as soon as possible');
    expect(reminder?.message).toContain('pre-approved');
  });

  it('does not apply where the policy has no website-first rule', () => {
    expect(websiteFindings(kalispell, { text: 'Pool opens Saturday. https://www.kalispell.com/pool' })).toEqual([]);
  });
});

describe('link back to the city website', () => {
  it('blocks a Bozeman post without a link to bozeman.net (BZ-9), per platform version', () => {
    const findings = websiteFindings(bozeman, {
      text: 'The Swim Center reopens Saturday.',
      websiteUrl: 'https://www.bozeman.net/swim',
      variants: [{ platform: 'bluesky', text: 'Swim Center reopens Saturday! bozeman.net/swim' }],
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'website.link-back', severity: 'block', sources: ['BZ-9'] });
    expect(findings[0]?.variant).toBeUndefined();
    expect(findings[0]?.clause).toContain('direct users back to the City');
  });

  it('accepts the draft’s attached link as the link back', () => {
    const draft = { text: 'The Swim Center reopens Saturday.', websiteUrl: 'https://www.bozeman.net/swim', link: 'https://www.bozeman.net/swim' };
    expect(websiteFindings(bozeman, draft)).toEqual([]);
  });

  it('does not count an e-mail address at the city domain as a link', () => {
    const findings = websiteFindings(bozeman, { text: 'Questions: it@bozeman.net', websiteUrl: 'https://www.bozeman.net/it' });
    expect(findings.map((f) => f.id)).toEqual(['website.link-back']);
  });

  it('only hints in Kalispell, whose policy encourages referring people to the website (KA-8)', () => {
    const [hint, ...rest] = websiteFindings(kalispell, { text: 'Pool opens Saturday.' });
    expect(rest).toEqual([]);
    expect(hint).toMatchObject({ id: 'website.link-back', severity: 'hint', sources: ['KA-8'] });
  });

  it('says nothing where the policy asks for no link back (policy 702)', () => {
    expect(websiteFindings(testPack('policy-702'), { text: 'Pool opens Saturday.' })).toEqual([]);
  });
});
