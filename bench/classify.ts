// `npm run bench:classify`: the comment triage classifier's figures (issue 7).
//
//  1. Throughput: classify a large generated corpus (default 100,000 comments) on one core (the
//     classifier is synchronous, so this process's one JS thread), after a warm-up. Comments are
//     recombined from civic vocabulary (bench/lib.ts), openers, criticism, questions and, in about
//     a fifth of them, fragments of every category in plain and obfuscated form (leet, spacing,
//     masking, homoglyphs, zero-width characters), 20–600 characters with a long tail to 5,000.
//  2. Robustness: one 1 MB comment, timed.
//  3. Quality on the labelled dev set (test/fixtures/moderation-dev.jsonl, a copy of ../shared/data/moderation-dev.jsonl, by default): precision
//     and recall per category and the share of protected items given any label (aim: 0).
//  4. Reply → queue latency, end to end on a local AT Protocol network (bench/reply-to-queue.ts):
//     residents post replies; time from each reply's creation until its moderation_items row
//     exists (captured, classified, queued by the application's own live capture).
//
// Figures go to stdout as `name: value unit`, progress to stderr.
//   --comments N   corpus size (default 100000)     --seed N    generator seed
//   --dev PATH     labelled set to evaluate ('' to skip)
//   --replies N    replies for the queue latency (default 300; 0 skips it)   --residents N (6)
//   --queue-timeout S  seconds to wait for the queue after the last reply (30)
//   --postgres     the queue latency on a fresh PostgreSQL database (BENCH_DATABASE_URL, TEST_DATABASE_URL or the default admin URL)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CATEGORIES, classify, type ClassifyInput } from '../src/moderation/classifier/index.js';
import { evaluate, readLabelledSet } from '../src/moderation/classifier/evaluate.js';
import { DEFAULT_ADMIN_URL, FUNCTION_WORDS, GENERAL_WORDS, TOPICS, figure, percentile, progress, Rng, since } from './lib.js';
import { replyToQueue } from './reply-to-queue.js';

const { values: args } = parseArgs({
  options: {
    comments: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '20240107' },
    dev: { type: 'string', default: fileURLToPath(new URL('../test/fixtures/moderation-dev.jsonl', import.meta.url)) },
    replies: { type: 'string', default: '300' },
    residents: { type: 'string', default: '6' },
    'queue-timeout': { type: 'string', default: '30' },
    postgres: { type: 'boolean', default: false },
  },
});
const REPLIES = Number(args.replies);
const RESIDENTS = Number(args.residents);
const QUEUE_TIMEOUT_S = Number(args['queue-timeout']);
if (!Number.isInteger(REPLIES) || REPLIES < 0 || !Number.isInteger(RESIDENTS) || RESIDENTS < 1 || !(QUEUE_TIMEOUT_S > 0)) {
  throw new Error('--replies must be a whole number >= 0, --residents >= 1 and --queue-timeout > 0');
}
const COMMENTS = Number(args.comments);
const SEED = Number(args.seed);
if (!Number.isInteger(COMMENTS) || COMMENTS < 1 || !Number.isInteger(SEED)) throw new Error('--comments and --seed must be positive integers');
const TARGET = 5000;
/** Local names and streets, as a city's settings would list them. */
const ALLOWLIST = ['Dick Smith', 'Cockrell Street', 'Scunthorpe'];

const OPENERS = ['', '', '', 'Honestly, ', 'Thanks for the update. ', 'Question: ', 'Why is it that ', 'So ', 'Again?? ', 'Finally! ', 'Ugh. ', 'FYI ', 'Not gonna lie, '];
const CRITICISM = ['This is a waste of taxpayer money.', 'The council should be ashamed.', 'Incompetent planning as usual.', 'Fix the roads first!', 'Nobody listens to residents.', 'This decision is ridiculous.'];
const QUESTIONS = ['Will this affect the east side?', 'Where can I find the schedule?', 'Is there a number to call?', 'Does this include weekends?'];
// Fragments that should fire a detector; {n} becomes a number, {name} a name.
const VIOLATIONS = [
  'this is such b.u.l.l.s.h.1.t', 'what the f*ck is this', 'Тhis is ѕhіt', 'wtf city', 's h i t show', 'total bull\u200bshit',
  'you absolute a$$hat', 'Councilman {name} is a brain-dead moron', 'the mayor is a slimy little weasel',
  'watch your back, {name}', "I'm going to slash every tire on your truck", 'would be a shame if something happened to city hall',
  'her number is 555-01{n} and she lives on Oak St, go tell her what you think', 'SSN 078-05-11{n}',
  'Earn $500/day from home with crypto, DM me', 'promo code SAVE{n} at deals-{n}.example.com', 'Junk removal, same day, Venmo accepted, call 555-01{n}',
  'VOTE NO ON PROP {n}!', 'Re-elect {name} for Mayor #{name}ForMayor', 'Remember this in November',
  'no more immigrants in this town', 'disabled kids can stay home', 'hot local singles 🍆💦 if you know what I mean',
  'full movie free at stream-{n}.example.net', 'the door code is {n}{n} and nobody checks', 'just dump your trash behind the plaza like I do',
  "I'm going to film him every day until he quits", 'LOST: grey tabby near Elm, DM me', 'Mayor Dick Smith lives on Cockrell Street',
];
const NAMES = ['Reyes', 'Ward', 'Okafor', 'Holcomb', 'Pike', 'Ostrander', 'Liu'];

function words(rng: Rng, topic: string, chars: number): string {
  const vocab = TOPICS[topic];
  const parts: string[] = [];
  for (let length = 0; length < chars;) {
    const r = rng.next();
    const w = r < 0.45 ? rng.pick(FUNCTION_WORDS) : r < 0.75 ? rng.pick(vocab) : rng.pick(GENERAL_WORDS);
    parts.push(w);
    length += w.length + 1;
  }
  return parts.join(' ');
}

function commentLength(rng: Rng): number {
  if (rng.next() < 0.02) return 2000 + rng.int(3000);
  const u = rng.next();
  return 20 + Math.floor(580 * u * u);
}

function generate(count: number): ClassifyInput[] {
  const rng = new Rng(SEED);
  const topics = Object.keys(TOPICS);
  const out: ClassifyInput[] = [];
  for (let i = 0; i < count; i++) {
    const topic = rng.pick(topics);
    const post = `Update on ${rng.pick(TOPICS[topic])}: ${words(rng, topic, 120)}.`;
    const target = commentLength(rng);
    const parts = [rng.pick(OPENERS) + words(rng, topic, Math.max(10, target - 60))];
    const r = rng.next();
    if (r < 0.2) {
      parts.push(rng.pick(VIOLATIONS).replaceAll('{n}', String(10 + rng.int(90))).replaceAll('{name}', rng.pick(NAMES)));
    } else if (r < 0.4) parts.push(rng.pick(CRITICISM));
    else if (r < 0.55) parts.push(rng.pick(QUESTIONS));
    if (rng.next() < 0.3) parts.reverse();
    let text = parts.join('. ');
    if (rng.next() < 0.03) text = text.replace(' ', ' \u200b');
    out.push({ text, post });
  }
  return out;
}

function throughput(): void {
  progress(`generating ${COMMENTS} comments`);
  const corpus = generate(COMMENTS);
  const chars = corpus.reduce((n, c) => n + c.text.length, 0);
  figure('comments', COMMENTS, 'count');
  figure('avg_comment', chars / COMMENTS, 'chars');
  progress('warming up');
  for (let i = 0; i < Math.min(2000, COMMENTS); i++) classify(corpus[i], { allowlist: ALLOWLIST });
  progress('classifying');
  const latencies = new Float64Array(COMMENTS);
  let labelled = 0;
  const t0 = performance.now();
  for (let i = 0; i < COMMENTS; i++) {
    const t = performance.now();
    if (classify(corpus[i], { allowlist: ALLOWLIST }).labels.length > 0) labelled += 1;
    latencies[i] = performance.now() - t;
  }
  const seconds = since(t0) / 1000;
  const rate = COMMENTS / seconds;
  const sample = Array.from(latencies.subarray(0, Math.min(COMMENTS, 50_000)));
  figure('comments_per_second', rate, 'comments/s');
  figure(`target >= ${TARGET}`, rate >= TARGET ? 'met' : 'MISSED', '');
  figure('latency_p50', percentile(sample, 50) * 1000, 'us');
  figure('latency_p99', percentile(sample, 99) * 1000, 'us');
  figure('latency_max', Math.max(...latencies), 'ms');
  figure('labelled_share', labelled / COMMENTS, '');
}

function huge(): void {
  const unit = 'The council should fix the potholes on Elm Street before winter, sh1t is falling apart. ';
  const text = unit.repeat(Math.ceil(2 ** 20 / unit.length)).slice(0, 2 ** 20);
  const t0 = performance.now();
  const result = classify({ text, post: 'Road repairs update' }, { allowlist: ALLOWLIST });
  figure('one_mb_comment_time', since(t0), 'ms');
  figure('one_mb_comment_labels', result.labels.join(',') || 'none', '');
}

function quality(): void {
  if (!args.dev) return;
  if (!existsSync(args.dev)) {
    progress(`no labelled set at ${args.dev}; skipping the quality figures`);
    return;
  }
  const report = evaluate(readLabelledSet(args.dev));
  figure('dev_items', report.items, 'count');
  for (const c of CATEGORIES) {
    const s = report.perCategory[c];
    figure(`dev_${c}_precision`, s.precision === null ? 'n/a' : s.precision, '');
    figure(`dev_${c}_recall`, s.recall === null ? 'n/a' : s.recall, '');
  }
  figure('dev_macro_precision', report.macroPrecision, '');
  figure('dev_macro_recall', report.macroRecall, '');
  figure('protected_flagged_share', report.protectedFlaggedShare, '');
  if (report.protectedFlagged.length) progress(`protected items flagged: ${report.protectedFlagged.join(', ')}`);
}

throughput();
huge();
quality();
figure('peak_rss', process.resourceUsage().maxRSS / 1024, 'MiB');
if (REPLIES > 0) {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? (args.postgres ? process.env.TEST_DATABASE_URL ?? DEFAULT_ADMIN_URL : undefined);
  await replyToQueue({ replies: REPLIES, residents: RESIDENTS, threads: 3, inflight: 2, timeoutMs: QUEUE_TIMEOUT_S * 1000, seed: SEED, adminUrl });
}
