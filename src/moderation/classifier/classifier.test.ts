import { describe, expect, it } from 'vitest';
import { classify, type Category } from './index.js';

const POST = 'Road construction on Route 9 begins Monday. Expect lane closures and a detour via Old Mill Rd.';

function labels(text: string, options: Parameters<typeof classify>[1] = {}): Category[] {
  return classify({ text, post: POST }, options).labels;
}

describe('classify: obfuscated profanity is found and quoted as written', () => {
  it.each([
    ['leet', 'this detour is bullsh1t', 'bullsh1t'],
    ['symbols', 'Mayor Smith you absolute a$$hat', 'a$$hat'],
    ['dotted', 'this ban is such b.u.l.l.s.h.1.t', 'b.u.l.l.s.h.1.t'],
    ['spaced', 'what a s h i t show', 's h i t'],
    ['masked', 'thanks for the f*cking berm in my driveway', 'f*cking'],
    ['fully masked', 'this is f*** ridiculous', 'f***'],
    ['dashes', 'these meters are a f---ing scam', 'f---ing'],
    ['zero-width', 'this detour is sh\u200bit', 'sh\u200bit'],
    ['homoglyphs', 'Тhis рlow schedule is ѕhіt', 'ѕhіt'],
    ['fullwidth', 'ｆｕｃｋ this detour', 'ｆｕｃｋ'],
    ['repeated letters', 'fuuuuck these cones', 'fuuuuck'],
    ['abbreviation', 'wtf is this detour', 'wtf'],
  ])('%s', (_kind, text, quoted) => {
    const result = classify({ text, post: POST });
    expect(result.labels).toContain('profanity');
    const span = result.evidence.profanity?.flatMap((e) => e.spans).find((s) => s.text === quoted);
    expect(span, JSON.stringify(result.evidence.profanity)).toBeDefined();
    expect(text.slice(span!.start, span!.end)).toBe(quoted);
  });

  it('leaves mild words and ordinary words that contain strong ones alone', () => {
    for (const text of ['About d@mn time', 'What the hell, June is when we need the pool', 'Please assess the class sizes',
      'The Scunthorpe delegation visits in May', 'Cocktail hour at the cockpit bar', 'Shiitake mushrooms at the market', 'Is 5th St open?']) {
      expect(labels(text), text).not.toContain('profanity');
    }
  });
});

describe('classify: the allowlist of local names and streets', () => {
  const allowlist = ['Dick Smith', 'Cockrell Street', 'Scunthorpe', 'Hooker Ave'];

  it('never counts a listed name or street as profanity or sexual', () => {
    for (const text of ['Thank you Mayor Dick Smith for the new lights', 'DICK SMITH should fix Cockrell Street first', 'Potholes on Hooker Ave again']) {
      const result = classify({ text, post: POST }, { allowlist });
      expect(result.labels, text).not.toContain('profanity');
      expect(result.labels, text).not.toContain('sexual');
    }
  });

  it('reads a capitalised name beside another name as a name even without the allowlist', () => {
    expect(labels('Thank you Mayor Dick Olsen for coming')).not.toContain('profanity');
  });

  it('still flags the same word used as an insult elsewhere in the comment', () => {
    expect(labels('Dick Smith is fine but the contractor is a dick', { allowlist })).toContain('profanity');
  });
});

describe('classify: criticism is a viewpoint, never a label', () => {
  it.each([
    'This decision is idiotic. Harmon is a freight route. Did anyone even read the traffic study?',
    "The mayor's plan is foolish and a waste of taxpayer money.",
    'SHAME ON THE COUNCIL. You gave yourselves a raise and cut library hours. Incompetent budget.',
    'Hiring your nephew as deputy chief is rich. This looks corrupt, Chief Ruelas.',
    'Kill this ordinance before it kills our neighborhood.',
    'I will be at the meeting Thursday and I will not be quiet about this. Corrupt process.',
    "Six weeks?? It took four months last time. Who is managing these contracts? Incompetent planning.",
  ])('%s', (text) => {
    const result = classify({ text, post: POST });
    expect(result.labels).toEqual([]);
    expect(result.viewpoint).toBe(true);
    expect(result.viewpointEvidence?.criticism.length).toBeGreaterThan(0);
  });

  it('keeps the viewpoint flag alongside a label it does not excuse', () => {
    const result = classify({ text: 'this ban is such b.u.l.l.s.h.1.t', post: POST });
    expect(result.labels).toEqual(['profanity']);
    expect(result.viewpoint).toBe(true);
  });

  it('tells an insult aimed at a person from criticism of their work', () => {
    expect(labels("The councilman's plan is foolish")).toEqual([]);
    expect(labels('Councilman Ostrander is a slimy little weasel')).toContain('personal_attack');
  });
});

describe('classify: one example per category', () => {
  it.each<[Category, string]>([
    ['political_campaign', 'VOTE NO ON PROP 4!!! Another tax grab!'],
    ['commercial', 'N95 masks 50-pack only $19.99!!! Limited stock, order at maskmart-deals.example.com'],
    ['threat', "If one more truck blocks my driveway I'm going to slash every tire on it. Consider this your warning."],
    ['harassment', "I'm going to tag @PriyaHolcomb on every single post until she answers."],
    ['personal_attack', 'Whoever makes the plow schedule is a brain-dead moron.'],
    ['discrimination', 'Disabled kids can stay home, the park is for normal families.'],
    ['sexual', 'Hot local singles near you 💋 hookupnow.example.com'],
    ['privacy', 'Her number is 555-0193 and she lives above the laundromat on Cole St.'],
    ['illegal_activity', 'Just crack open the fire hydrant on 4th and fill your buckets.'],
    ['copyright', 'Here is the entire new album, all 12 tracks, ripped so you do not have to buy it: mega.example.com/f/x'],
    ['public_safety', 'fyi the valve vault behind the pump house is unlocked and the padlock combo is 1-9-7-7. anyone could shut off water'],
    ['off_topic', 'Who is watching the Hawks game tonight?? 🏈'],
  ])('%s', (category, text) => {
    expect(labels(text)).toContain(category);
  });

  it('does not treat a resident sharing their own address and number as a privacy problem', () => {
    expect(labels("I'm at 512 Fenwick Ave and we have zero pressure. My number is 555-0119 if Public Works can call me back.")).toEqual([]);
  });
});

describe('classify: odd input never crashes the pipeline', () => {
  it('marks empty and whitespace text unclassifiable', () => {
    expect(classify({ text: '' }).unclassifiable).toBe('empty text');
    expect(classify({ text: '  \n\t ' }).unclassifiable).toBe('empty text');
    expect(classify({ text: '', hasMedia: true }).unclassifiable).toBe('media only');
  });

  it('marks media-only comments unclassifiable', () => {
    for (const text of ['[image]', '[Photo] [GIF]', 'https://cdn.example.com/a/b/photo.jpg', 'https://media.giphy.com/media/abc/giphy.gif']) {
      const result = classify({ text });
      expect(result.unclassifiable, text).toBe('media only');
      expect(result.labels).toEqual([]);
    }
  });

  it('classifies emoji-only comments', () => {
    const plain = classify({ text: '👍👍🎉', post: POST });
    expect(plain.labels).toEqual([]);
    expect(plain.unclassifiable).toBeUndefined();
    expect(classify({ text: '🍆💦🍑', post: POST }).labels).toContain('sexual');
  });

  it('handles any Unicode: lone surrogates, controls, combining marks, right-to-left text', () => {
    for (const text of ['\ud800 broken \udfff', '\u0000\u0007 bell', 'Z̷̢͎a̵l̴g̸o̶ text', 'مرحبا بالجميع', '🏳️‍🌈👨‍👩‍👧', 'ﬁne ﬂow ①②③']) {
      expect(() => classify({ text, post: POST }), text).not.toThrow();
    }
  });

  it('classifies a 1 MB comment, bounding the evidence', () => {
    const unit = 'The council should fix Elm Street before winter, this is sh1t. ';
    const text = unit.repeat(Math.ceil(2 ** 20 / unit.length)).slice(0, 2 ** 20);
    const t0 = performance.now();
    const result = classify({ text, post: POST });
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(result.labels).toContain('profanity');
    const spans = Object.values(result.evidence).flat().reduce((n, e) => n + (e?.spans.length ?? 0), 0);
    expect(spans).toBeLessThan(200);
  });

  it('stays linear on pathological 1 MB inputs (one long word, spaced letters, masks, dashes)', () => {
    const mb = 2 ** 20;
    for (const [name, text] of [['letters', 'a'.repeat(mb)], ['spaced', 'a '.repeat(mb / 2)], ['masked', 'f*'.repeat(mb / 2)],
      ['dashes', 'a-'.repeat(mb / 2)], ['leet', 'ab1$'.repeat(mb / 4)], ['zero-width', 'a\u200b'.repeat(mb / 2)]] as const) {
      const t0 = performance.now();
      expect(() => classify({ text, post: POST }), name).not.toThrow();
      expect(performance.now() - t0, name).toBeLessThan(5_000);
    }
  });

  it('accepts a comment with no post', () => {
    expect(classify({ text: 'Thanks crews!' }).labels).toEqual([]);
  });
});
