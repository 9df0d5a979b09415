// Each platform's length limit for its variant. A post over the limit is refused by the platform or
// silently cut, so it blocks. Bluesky counts graphemes (what a reader sees as one character: an
// emoji with modifiers, a letter with combining accents), so Intl.Segmenter counts them here;
// Facebook's limit is in characters. Platforms without a limit known here are not checked.
import { cite, policyNote, RULES } from './citations.js';
import { finding } from './text.js';
import type { CheckContext, Finding } from './types.js';

interface Limit {
  name: string;
  max: number;
  unit: 'graphemes' | 'characters';
}

const LIMITS: Record<string, Limit> = {
  bluesky: { name: 'Bluesky', max: 300, unit: 'graphemes' },
  bsky: { name: 'Bluesky', max: 300, unit: 'graphemes' },
  facebook: { name: 'Facebook', max: 63_206, unit: 'characters' },
};

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** UTF-16 offsets at which each counted unit starts. */
function unitStarts(text: string, unit: Limit['unit']): number[] {
  if (unit === 'graphemes') return [...graphemes.segment(text)].map((s) => s.index);
  const starts: number[] = [];
  let offset = 0;
  for (const ch of text) {
    starts.push(offset);
    offset += ch.length;
  }
  return starts;
}

export function countGraphemes(text: string): number {
  return unitStarts(text, 'graphemes').length;
}

export function checkLengths(ctx: CheckContext): Finding[] {
  const citation = cite(ctx.pack, RULES.platformRules);
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    if (!on.variant) continue;
    const limit = LIMITS[on.variant.toLowerCase()];
    if (!limit) continue;
    const starts = unitStarts(on.text, limit.unit);
    if (starts.length <= limit.max) continue;
    const cut = starts[limit.max] ?? on.text.length;
    out.push(
      finding({
        id: 'length.platform-limit',
        severity: 'block',
        message:
          `The ${limit.name} version is ${starts.length.toLocaleString('en-US')} ${limit.unit} long; ${limit.name} allows ${limit.max.toLocaleString('en-US')}. ` +
          `Shorten it by ${(starts.length - limit.max).toLocaleString('en-US')} (the part past the limit is marked).` +
          policyNote(ctx.pack, citation),
        citation,
        excerpt: on.text.slice(cut),
        range: [cut, on.text.length],
        on,
      }),
    );
  }
  return out;
}
