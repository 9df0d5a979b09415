import { describe, expect, it } from 'vitest';
import { loadBundledPack } from '../../policy/pack.loader.js';
import { blocking, checkDraft } from './index.js';
import { countGraphemes } from './length.js';

const kalispell = loadBundledPack('kalispell-mt');
const text = 'Spring cleanup week starts Monday. Details: https://www.kalispell.com/cleanup';

describe('images without alt text', () => {
  it('blocks an image without alt text and says why (ADA)', () => {
    const [finding, ...rest] = blocking(checkDraft(kalispell, { text, media: [{ mime: 'image/jpeg' }] }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ id: 'media.alt-text', severity: 'block', sources: [] });
    expect(finding?.message).toContain('no alt text');
    expect(finding?.message).toContain('ADA');
  });

  it.each([
    ['IMG_4021.JPG', 'file name'],
    ['photo', 'placeholder'],
    ['map', 'too short'],
    ['   ', 'no alt text'],
  ])('blocks unhelpful alt text %j (%s)', (alt, why) => {
    const [finding] = blocking(checkDraft(kalispell, { text, media: [{ mime: 'image/png', alt: 'A volunteer picks up litter' }, { mime: 'image/png', alt }] }));
    expect(finding?.message).toContain('Image 2 of 2');
    expect(finding?.message).toContain(why);
  });

  it('accepts described images and does not ask videos for alt text', () => {
    const media = [
      { mime: 'image/jpeg', alt: 'Volunteers bag leaves in Woodland Park' },
      { mime: 'video/mp4', alt: null },
    ];
    expect(checkDraft(kalispell, { text, media })).toEqual([]);
  });
});

describe('platform length limits', () => {
  it('blocks a Bluesky version over 300 graphemes, marking the part past the limit', () => {
    const long = `${'a'.repeat(295)} ${'b'.repeat(10)}`;
    const [finding] = blocking(checkDraft(kalispell, { text, variants: [{ platform: 'bluesky', text: long }] }));
    expect(finding).toMatchObject({ id: 'length.platform-limit', variant: 'bluesky', range: [300, 306], excerpt: 'bbbbbb' });
    expect(finding?.message).toContain('306 graphemes');
    expect(finding?.message).toContain('Bluesky allows 300');
    expect(finding?.sources).toEqual(['KA-9']);
  });

  it('counts an emoji as one grapheme, as Bluesky does', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 code units, one grapheme
    expect(countGraphemes(family)).toBe(1);
    const exactly300 = `${'a'.repeat(290)} ${family.repeat(9)}`;
    expect(exactly300.length).toBeGreaterThan(300);
    expect(checkDraft(kalispell, { text, variants: [{ platform: 'bluesky', text: exactly300 }] }).filter((f) => f.id === 'length.platform-limit')).toEqual([]);
    const over = `${exactly300}${family}`;
    const [finding] = blocking(checkDraft(kalispell, { text, variants: [{ platform: 'bluesky', text: over }] }));
    expect(finding).toMatchObject({ id: 'length.platform-limit', excerpt: family });
  });

  it('allows Facebook its 63,206 characters and blocks one more', () => {
    const words = 'Clean up. '.repeat(6_320); // 63,200 characters
    const fits = `${words}abcdef`;
    const over = `${words}abcdefg`;
    const limit = (variant: string) => checkDraft(kalispell, { text, variants: [{ platform: 'facebook', text: variant }] }).filter((f) => f.id === 'length.platform-limit');
    expect(limit(fits)).toEqual([]);
    expect(limit(over)[0]).toMatchObject({ severity: 'block', variant: 'facebook', excerpt: 'g' });
  });

  it('does not apply a platform’s limit to another platform’s version', () => {
    const long = 'Spring cleanup. '.repeat(40);
    expect(checkDraft(kalispell, { text, variants: [{ platform: 'facebook', text: `${long} kalispell.com` }] }).filter((f) => f.id === 'length.platform-limit')).toEqual([]);
  });
});
