import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { blocking, checkDraft } from './index.js';
import { hasNotice } from './disclosures.js';

const redLodge = loadBundledPack('red-lodge-mt');

describe('public-disclosure notice on every post (Red Lodge, RL-11)', () => {
  it('asks the approver to acknowledge a post without the notice, quoting the notice to add', () => {
    const findings = checkDraft(redLodge, { text: 'Street sweeping starts Monday on Broadway Avenue.' });
    expect(blocking(findings)).toEqual([]);
    const notice = findings.find((f) => f.id === 'disclosure.public-disclosure');
    expect(notice).toMatchObject({
      severity: 'acknowledge',
      sources: ['RL-11'],
      clause: 'All entries shall clearly indicate that any article or posted content is subject to public disclosures.',
    });
    expect(notice?.message).toContain('“Any article or posted content on this site is subject to public disclosure.”');
  });

  it('accepts the notice or its closing words', () => {
    const ok = (text: string) => !checkDraft(redLodge, { text }).some((f) => f.id.startsWith('disclosure.'));
    expect(ok('Street sweeping starts Monday. Any article or posted content on this site is subject to public disclosure.')).toBe(true);
    expect(ok('Street sweeping starts Monday. This post is subject to public disclosure.')).toBe(true);
    expect(ok('Street sweeping starts Monday. Posted content on this site is public.')).toBe(false);
  });

  it('checks each platform version on its own', () => {
    const findings = checkDraft(redLodge, {
      text: 'Street sweeping starts Monday. Subject to public disclosure.',
      variants: [{ platform: 'bluesky', text: 'Street sweeping starts Monday!' }],
    });
    expect(findings.filter((f) => f.id === 'disclosure.public-disclosure').map((f) => f.variant)).toEqual(['bluesky']);
  });

  it('is not asked of posts where the pack wants the notice only on the profile (Bozeman)', () => {
    const bozeman = loadBundledPack('bozeman-mt');
    const findings = checkDraft(bozeman, { text: 'Pool opens. https://www.bozeman.net/pool', websiteUrl: 'https://www.bozeman.net/pool' });
    expect(findings).toEqual([]);
  });

  it('matches plural and punctuation variants', () => {
    expect(hasNotice('All entries are subject to public disclosures!', 'Any article or posted content on this site is subject to public disclosure.')).toBe(true);
  });
});
