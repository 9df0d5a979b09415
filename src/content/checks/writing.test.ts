import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { testPack } from '../../testing/app.js';
import { checkDraft, type Finding } from './index.js';
import { fleschKincaid } from './readability.js';

const kalispell = loadBundledPack('kalispell-mt');

function spelling(text: string, pack = kalispell): Finding[] {
  return checkDraft(pack, { text }).filter((f) => f.id === 'spelling');
}

describe('spelling', () => {
  it('hints at a misspelled word with a suggestion', () => {
    const text = 'The anouncement about leaf pickup is on kalispell.com';
    const [finding, ...rest] = spelling(text);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'hint', excerpt: 'anouncement', range: [4, 15] });
    expect(finding?.message).toContain('“announcement”');
  });

  it('does not flag the city’s name, proper nouns, links, handles, hashtags or numbers', () => {
    const text =
      'Kalispell crews will sweep Meridian Rd. Follow @kalispellcity and #kalispell, see https://www.kalispell.com/sweeping-schedule_2024 or e-mail pw@kalispell.com. Starts 3rd of May at 7am. Drop-off sites open.';
    expect(spelling(text)).toEqual([]);
  });

  it('knows ordinary local-government words the dictionary lacks', () => {
    expect(spelling('The stormwater project adds a greenway and a pickleball court near the trailhead.')).toEqual([]);
  });

  it('reports each unknown word once and at most ten', () => {
    const text = Array.from({ length: 15 }, (_, i) => `qzx${'abcdefghijklmnop'[i]}word`).join(' ');
    expect(spelling(`${text} qzxaword`)).toHaveLength(10);
  });

  it('cites the LMC model’s “free of grammatical errors” standard (MN-6)', () => {
    const [finding] = spelling('Teh council meets on Tuesday and the agneda is posted.', testPack('lmc-model'));
    expect(finding).toMatchObject({ excerpt: 'agneda', sources: ['MN-6'], clause: 'Make sure information is accurate and free of grammatical errors.' });
  });
});

describe('reading grade level', () => {
  const plain =
    'The pool opens Saturday at ten. Kids swim free this week. Bring a towel and sunscreen. Lifeguards are on duty all day. Call us if you have questions.';
  const dense =
    'Pursuant to the comprehensive intergovernmental stormwater management agreement, municipal infrastructure rehabilitation activities will necessitate temporary modifications of transportation accessibility, consequently affecting residential neighborhoods, commercial establishments, and institutional facilities throughout the jurisdiction.';

  it('scores plain writing low and dense writing high', () => {
    expect(fleschKincaid(plain).grade).toBeLessThan(6);
    expect(fleschKincaid(dense).grade).toBeGreaterThan(15);
  });

  it('hints when a post reads above grade 10, and not otherwise', () => {
    const grade = (text: string) => checkDraft(kalispell, { text: `${text} kalispell.com` }).filter((f) => f.id === 'readability.grade');
    expect(grade(plain)).toEqual([]);
    const [hint] = grade(dense);
    expect(hint).toMatchObject({ severity: 'hint', sources: ['KA-8'] });
    expect(hint?.message).toMatch(/grade \d+(\.\d)?/);
  });

  it('does not score a post too short to score fairly', () => {
    expect(checkDraft(kalispell, { text: 'Infrastructure rehabilitation necessitates modifications. kalispell.com' }).filter((f) => f.id === 'readability.grade')).toEqual([]);
  });
});
