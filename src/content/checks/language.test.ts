import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { blocking, checkDraft, type Finding } from './index.js';

const kalispell = loadBundledPack('kalispell-mt');
const redLodge = loadBundledPack('red-lodge-mt');

function ids(text: string, pack = kalispell): Array<Pick<Finding, 'id' | 'severity' | 'excerpt'>> {
  return checkDraft(pack, { text: `${text} https://www.kalispell.com` })
    .filter((f) => /^(?:opinion|language|campaign)/.test(f.id))
    .map(({ id, severity, excerpt }) => ({ id, severity, excerpt }));
}

describe('campaign content', () => {
  it('blocks a post urging a vote on a ballot measure, citing Kalispell’s campaign clause', () => {
    const [finding] = blocking(checkDraft(kalispell, { text: 'Please vote yes on the parks levy on June 4! https://www.kalispell.com' }));
    expect(finding).toMatchObject({ id: 'campaign', excerpt: 'vote yes on the parks levy', sources: ['KA-12', 'KA-9'] });
    expect(finding?.clause).toBe('Comments promoting or opposing any person campaigning for election to a political office or ballot issues;');
    expect(finding?.message).toContain('ballot measure');
  });

  it.each(['Re-elect Mayor Johnson this November.', 'We endorse Tom Baker for city council.', 'Donate to the Smith for Mayor campaign.'])(
    'blocks: %s',
    (text) => {
      expect(ids(text).map((f) => f.id)).toContain('campaign');
    },
  );

  it('does not flag election information, which is the city’s job', () => {
    const text =
      "Polling places open 7 am to 8 pm for Tuesday's election. Register to vote at City Hall. Candidate filing for City Council closes June 1.";
    expect(ids(text)).toEqual([]);
    expect(blocking(checkDraft(kalispell, { text: `${text} https://www.kalispell.com` }))).toEqual([]);
  });
});

describe('personal or political opinion and inflammatory language', () => {
  it.each([
    ['I think the new roundabout is a big improvement.', 'I think'],
    ['In my opinion, the parade was the best yet.', 'In my opinion'],
    ['Personally, I love the new library hours.', 'Personally'],
  ])('asks the approver about a personal opinion: %s', (text, excerpt) => {
    expect(ids(text)).toEqual([{ id: 'opinion.personal', severity: 'acknowledge', excerpt }]);
  });

  it('cites Kalispell’s “no personal or political views” standard for an opinion', () => {
    const opinion = checkDraft(kalispell, { text: 'I believe the levy is fair.' }).find((f) => f.id === 'opinion.personal');
    expect(opinion).toMatchObject({ sources: ['KA-9'], clause: 'Posting personal or political views is not allowed;' });
  });

  it('asks about party labels, which a neutral notice may still need', () => {
    expect(ids('The Republicans on the council walked out.')).toEqual([{ id: 'opinion.political', severity: 'acknowledge', excerpt: 'Republicans' }]);
  });

  it('asks about inflammatory words, citing the city’s own standard', () => {
    const [finding] = checkDraft(kalispell, { text: 'Whoever dumped this trash is an idiot.' }).filter((f) => f.id === 'language.inflammatory');
    expect(finding).toMatchObject({ severity: 'acknowledge', excerpt: 'idiot', sources: ['KA-9'] });
    expect(finding?.clause).toBe('Argumentative, defensive or inflammatory language shall not be used;');
  });

  it('asks about mild cursing the profanity list leaves out', () => {
    expect(ids('The damn parking meters are broken again.')).toEqual([{ id: 'language.inflammatory', severity: 'acknowledge', excerpt: 'damn' }]);
  });

  it('blocks profanity, citing the Acceptable Use clause the staff must follow', () => {
    const [finding] = blocking(checkDraft(kalispell, { text: 'This parking mess is bullshit. https://www.kalispell.com' }));
    expect(finding).toMatchObject({ id: 'language.profanity', excerpt: 'bullshit', sources: ['KA-12', 'KA-9'] });
    expect(finding?.clause).toBe('The use of profane, obscene, threatening or harassing language;');
  });

  it('blocks disguised profanity', () => {
    expect(ids('What the f*ck happened to the sidewalk?')).toContainEqual({ id: 'language.profanity', severity: 'block', excerpt: 'f*ck' });
  });

  it('does not mistake street names, plants and chemistry for profanity', () => {
    const text =
      'Dickinson Street is closed. Crews applied fire retardant near Butte. Shiitake growers at the market. Pussy willows bloom early. She graduated cum laude. Fagan Park reopens.';
    expect(ids(text)).toEqual([]);
  });

  it('does not flag the city speaking for itself or everyday words', () => {
    expect(ids('We think you will love the new trail. The conservative estimate is 40 cars. The park lies east of town.')).toEqual([]);
  });

  it('cites Red Lodge’s own clauses, not Kalispell’s', () => {
    const findings = checkDraft(redLodge, { text: 'I think this is ridiculous.' });
    expect(findings.find((f) => f.id === 'opinion.personal')?.sources).toEqual(['RL-7']);
    expect(findings.find((f) => f.id === 'language.inflammatory')?.sources).toEqual(['RL-8', 'RL-7']);
  });
});
