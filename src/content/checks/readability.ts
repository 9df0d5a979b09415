// Reading grade level (Flesch–Kincaid). A city writes for every resident, and plain-language
// guidance for public notices aims at about grade 8; above grade 10 a hint suggests shorter
// sentences and plainer words. Short posts are not scored: with a sentence or two the formula
// swings on a single long word.
import { syllable } from 'syllable';
import { cite, policyNote, RULES } from './citations.js';
import { capitalised, finding, proseOnly, where } from './text.js';
import type { CheckContext, Finding } from './types.js';

export const MAX_GRADE = 10;
const MIN_WORDS = 20;

export interface Readability {
  words: number;
  sentences: number;
  syllables: number;
  grade: number;
}

/** Flesch–Kincaid grade: 0.39 × words per sentence + 11.8 × syllables per word − 15.59. */
export function fleschKincaid(text: string): Readability {
  const prose = proseOnly(text);
  // Line breaks end sentences too: posts are often lists without full stops.
  const sentences = prose.split(/[.!?]+(?=\s|$)|\n+/).filter((s) => /\p{L}/u.test(s)).length;
  const words = prose.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
  const syllables = words.reduce((sum, w) => sum + Math.max(1, syllable(w)), 0);
  if (words.length === 0 || sentences === 0) return { words: 0, sentences, syllables: 0, grade: 0 };
  const grade = 0.39 * (words.length / sentences) + 11.8 * (syllables / words.length) - 15.59;
  return { words: words.length, sentences, syllables, grade: Math.round(grade * 10) / 10 };
}

export function checkReadability(ctx: CheckContext): Finding[] {
  const citation = cite(ctx.pack, RULES.readability);
  const out: Finding[] = [];
  for (const on of ctx.texts) {
    const r = fleschKincaid(on.text);
    if (r.words < MIN_WORDS || r.grade <= MAX_GRADE) continue;
    const perSentence = Math.round(r.words / r.sentences);
    out.push(
      finding({
        id: 'readability.grade',
        severity: 'hint',
        message:
          `${capitalised(where(on))} reads at about grade ${r.grade} (Flesch–Kincaid; ${perSentence} words a sentence). ` +
          `Aim for grade ${MAX_GRADE} or below so every resident can follow it: shorter sentences, plainer words.` +
          policyNote(ctx.pack, citation),
        citation,
        on,
      }),
    );
  }
  return out;
}
