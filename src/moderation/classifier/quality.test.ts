// Quality gates, computed by evaluate.ts (the same code bench/classify prints from).
//
// The dev set (../shared/data/moderation-dev.jsonl) was developed against, so its near-perfect
// scores say little about unseen comments; the floors below guard against regressions, not claim
// accuracy. Protected speech is different: a label on a protected item is the worst error the
// classifier can make, so that share must stay exactly 0 on every set.
//
// examples.jsonl holds 583 comments written for this classifier: five batches of labelled
// comments, each written before the rules were adjusted to it, and three batches of hard
// negatives (lawful comments full of trigger words: "kill this ordinance", "thank you garbage
// collectors", "the rape kit backlog", "not the immigrants' fault", "someone will end up in the
// hospital if you don't fix the ice"). Measured on each labelled batch before it was used for
// tuning, macro recall was 0.48, 0.51, 0.31, 0.41 and 0.38 with no protected item labelled; the
// hard negatives drew 6 labels in 160 comments before the rules were fixed. So expect recall on
// new phrasing to sit well below the figures asserted here.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, readLabelledSet, type EvaluationReport } from './evaluate.js';
import { CATEGORIES } from './types.js';

// A copy of ../shared/data/moderation-dev.jsonl kept in the repository, so a clean checkout runs this anywhere.
const DEV = fileURLToPath(new URL('../../../test/fixtures/moderation-dev.jsonl', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('./examples.jsonl', import.meta.url));

function explain(report: EvaluationReport): string {
  return report.mistakes.map((m) => `${m.id}${m.protected ? ' (protected)' : ''}: missed [${m.missed.join(', ')}] extra [${m.extra.join(', ')}]`).join('\n');
}

describe('dev set (moderation-dev.jsonl)', () => {
  const report = evaluate(readLabelledSet(DEV));

  it('labels no protected item', () => {
    expect(report.protectedItems).toBeGreaterThan(0);
    expect(report.protectedFlagged, explain(report)).toEqual([]);
    expect(report.protectedFlaggedShare).toBe(0);
  });

  it('keeps macro recall >= 0.9, macro precision >= 0.9 and every category recall >= 0.7', () => {
    expect(report.macroRecall, explain(report)).toBeGreaterThanOrEqual(0.9);
    expect(report.macroPrecision, explain(report)).toBeGreaterThanOrEqual(0.9);
    for (const c of CATEGORIES) {
      const recall = report.perCategory[c].recall;
      if (recall !== null) expect(recall, `${c}\n${explain(report)}`).toBeGreaterThanOrEqual(0.7);
    }
  });
});

describe('examples.jsonl (written for the classifier)', () => {
  const report = evaluate(readLabelledSet(EXAMPLES));

  it('labels none of its protected items or hard negatives', () => {
    expect(report.protectedItems).toBeGreaterThan(200);
    expect(report.protectedFlagged, explain(report)).toEqual([]);
  });

  it('keeps macro recall >= 0.8 and macro precision >= 0.9', () => {
    expect(report.macroRecall, explain(report)).toBeGreaterThanOrEqual(0.8);
    expect(report.macroPrecision, explain(report)).toBeGreaterThanOrEqual(0.9);
  });
});
