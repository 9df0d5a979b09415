// Scores the classifier on a labelled set (moderation-dev.jsonl format): per-category precision
// and recall, their macro averages, and the share of `protected` items that got any label (the
// worst error: a lawful viewpoint flagged for removal). Used by bench/classify and the quality
// test, so both report the same figures.
import { readFileSync } from 'node:fs';
import { classify } from './index.js';
import { CATEGORIES, type Category, type Classification, type ClassifyOptions } from './types.js';

export interface LabelledItem {
  id: string;
  post?: string;
  text: string;
  labels: Category[];
  protected?: boolean;
  note?: string;
}

export interface CategoryScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** null when the classifier never predicted the category (precision undefined). */
  precision: number | null;
  /** null when the set has no item with the category. */
  recall: number | null;
}

export interface Mistake {
  id: string;
  missed: Category[];
  extra: Category[];
  protected: boolean;
}

export interface EvaluationReport {
  items: number;
  perCategory: Record<Category, CategoryScore>;
  /** Mean over categories with a defined value. */
  macroPrecision: number;
  macroRecall: number;
  protectedItems: number;
  protectedFlagged: string[];
  protectedFlaggedShare: number;
  /** Items whose predicted labels differ from the gold ones. */
  mistakes: Mistake[];
}

function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

/** Reads a JSON-lines labelled set; malformed lines are an error (the set is ours). */
export function readLabelledSet(path: string): LabelledItem[] {
  const out: LabelledItem[] = [];
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const raw = JSON.parse(line) as Record<string, unknown>;
    const labels = Array.isArray(raw.labels) ? raw.labels : [];
    if (typeof raw.text !== 'string' || !labels.every(isCategory)) throw new Error(`${path}:${i + 1}: not a labelled item`);
    out.push({
      id: String(raw.id ?? `line-${i + 1}`), text: raw.text, labels,
      post: typeof raw.post === 'string' ? raw.post : undefined,
      protected: raw.protected === true, note: typeof raw.note === 'string' ? raw.note : undefined,
    });
  });
  return out;
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

function mean(values: Array<number | null>): number {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((a, b) => a + b, 0) / defined.length : 0;
}

export function evaluate(
  items: readonly LabelledItem[],
  options: ClassifyOptions = {},
  run: (item: LabelledItem) => Classification = (item) => classify({ text: item.text, post: item.post }, options),
): EvaluationReport {
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<Category, { tp: number; fp: number; fn: number }>;
  const protectedFlagged: string[] = [];
  const mistakes: Mistake[] = [];
  for (const item of items) {
    const predicted = new Set(run(item).labels);
    const gold = new Set(item.labels);
    for (const c of CATEGORIES) {
      if (predicted.has(c) && gold.has(c)) counts[c].tp += 1;
      else if (predicted.has(c)) counts[c].fp += 1;
      else if (gold.has(c)) counts[c].fn += 1;
    }
    if (item.protected && predicted.size > 0) protectedFlagged.push(item.id);
    const missed = [...gold].filter((c) => !predicted.has(c));
    const extra = [...predicted].filter((c) => !gold.has(c));
    if (missed.length || extra.length) mistakes.push({ id: item.id, missed, extra, protected: item.protected === true });
  }
  const perCategory = Object.fromEntries(CATEGORIES.map((c) => {
    const { tp, fp, fn } = counts[c];
    return [c, { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) }];
  })) as Record<Category, CategoryScore>;
  const protectedItems = items.filter((i) => i.protected).length;
  return {
    items: items.length,
    perCategory,
    macroPrecision: mean(CATEGORIES.map((c) => perCategory[c].precision)),
    macroRecall: mean(CATEGORIES.map((c) => perCategory[c].recall)),
    protectedItems,
    protectedFlagged,
    protectedFlaggedShare: protectedItems ? protectedFlagged.length / protectedItems : 0,
    mistakes,
  };
}
