// records.pdf's words: the cover letter, a page saying what the production is and how to read it,
// then every produced record in reading order with who wrote it, when, and plain-language markers
// for what happened to it (deleted, hidden, removed, redacted).
import { DARK_RED, GREY, type PdfWriter } from './pdf.js';
import { markerText, type Marker } from './facts.js';
import type { ReadingItem } from './order.js';
import { isContent, type Produced, type TextRow } from './select.js';
import { humanTime } from './text.js';

/** Longest text printed per record: the PDF is for reading; the full text is in records.csv and the WACZ. */
export const PDF_TEXT_LIMIT = 20_000;
const INDENT = 18;

const LABELS: Record<string, string> = {
  post: 'Post', post_version: 'Post (edited version)', comment: 'Comment', comment_version: 'Comment (edited version)',
  deletion: 'Deletion record', visibility_change: 'Visibility change', moderation_action: 'Moderation record',
  follower_snapshot: 'Follower snapshot', account_change: 'Account change', staff_event: 'Staff action', redacted_copy: 'Redacted copy',
};

export function labelOf(p: Produced, depth: number): string {
  if (p.redaction) {
    const base = p.baseKind === 'comment' && depth > 1 ? 'Reply' : LABELS[p.baseKind] ?? 'Record';
    return `${base} (redacted copy)`;
  }
  if (p.kind === 'comment' && depth > 1) return 'Reply';
  return LABELS[p.kind] ?? p.kind;
}

export function authorOf(row: { author_handle: string | null; author_name: string | null }): string {
  const handle = row.author_handle ? `@${row.author_handle.replace(/^@/, '')}` : null;
  if (row.author_name && handle) return `${row.author_name} (${handle})`;
  return row.author_name ?? handle ?? 'unknown author';
}

export function writeCover(pdf: PdfWriter, title: string, created: Date, coverLetter: string): void {
  pdf.text(title, { font: 'Helvetica-Bold', size: 15 });
  pdf.text(`Produced ${humanTime(created.toISOString())}`, { size: 9, color: GREY });
  pdf.gap(14);
  pdf.text(coverLetter, { size: 10.5 });
}

export interface IntroFacts {
  records: number;
  redacted: number;
  destroyed: readonly string[];
  checkpoint: { size: number; rootHash: string; origin: string };
}

export function writeIntro(pdf: PdfWriter, facts: IntroFacts): void {
  pdf.newPage();
  pdf.text('Records produced', { font: 'Helvetica-Bold', size: 13 });
  pdf.gap(4);
  const lines = [
    `${facts.records} record(s), ${facts.redacted} of them redacted copies that replace the original.`,
    `Every record is in the city's append-only archive ${facts.checkpoint.origin}, whose signed checkpoint at tree size ${facts.checkpoint.size} has root hash ${facts.checkpoint.rootHash}. The proof/ folder of this production lets anyone check that offline: node proof/verify-bundle.mjs proof`,
    'Records are grouped by thread: the post first, then its comments, replies indented under what they answer. Under a post or comment, lines in red say what happened to it after it was captured: "Deleted on ...", "Hidden on ... by ... (clause ...)", "Shown again on ...", "Removed on ...". A redacted copy says "Redacted:" with the exemption code(s) the city relied on; the redacted passages read [REDACTED: code].',
    `Times are UTC. Characters this PDF's built-in font cannot show are printed as "?", and texts longer than ${PDF_TEXT_LIMIT.toLocaleString('en-US')} characters are cut short here: the exact text of every record is in records.csv and in the WACZ web archive.`,
  ];
  if (facts.destroyed.length) {
    lines.push(`${facts.destroyed.length} requested record(s) had already been destroyed under the city's retention schedule and cannot be produced: ${facts.destroyed.join(', ')}.`);
  }
  for (const line of lines) {
    pdf.text(line, { size: 9.5 });
    pdf.gap(5);
  }
}

function threadHeading(item: ReadingItem, row: TextRow): string {
  const p = item.p;
  if (item.thread === null) return 'Records outside any thread';
  const where = p.platform ? ` on ${p.platform}` : '';
  if (p.baseKind === 'post' && p.objectKey === item.thread) {
    return `Thread${where}: post by ${authorOf(row)}, ${humanTime(p.platformTime ?? p.capturedAt)}`;
  }
  return `Thread${where}: comments on a post that is not part of this production`;
}

/** One record; `markers` only for the first record of its platform object. */
export function writeItem(pdf: PdfWriter, item: ReadingItem, row: TextRow, markers: readonly Marker[]): void {
  const p = item.p;
  if (item.firstOfThread) {
    pdf.gap(8);
    pdf.ensure(60);
    pdf.rule();
    pdf.text(threadHeading(item, row), { font: 'Helvetica-Bold', size: 10.5 });
    pdf.gap(3);
  }
  const indent = item.depth * INDENT;
  pdf.ensure(40);
  const when = p.platformTime ? `, ${humanTime(p.platformTime)}` : '';
  const by = row.author_handle || row.author_name || isContent(p) ? ` by ${authorOf(row)}` : '';
  pdf.text(`${labelOf(p, item.depth)}${by}${when}`, { font: 'Helvetica-Bold', size: 9, indent });
  pdf.text(`Record ${p.id} \u00b7 archive leaf ${p.leafIndex} \u00b7 captured ${humanTime(p.capturedAt)}${p.platform ? ` \u00b7 ${p.platform}` : ''}`, { size: 7.5, indent, color: GREY });
  for (const m of markers) pdf.text(markerText(m), { font: 'Helvetica-Oblique', size: 8.5, indent, color: DARK_RED });
  if (p.redaction) {
    pdf.text(`Redacted: ${p.redaction.codes.join(', ')}`, { font: 'Helvetica-Bold', size: 8.5, indent, color: DARK_RED });
    pdf.text(`Replaces archive record ${p.redaction.originalId}${p.redaction.originalLeafIndex !== null ? ` (leaf ${p.redaction.originalLeafIndex})` : ''}, which is withheld.`, { size: 7.5, indent, color: GREY });
  }
  const text = row.text ?? '';
  if (text.length > 0) {
    pdf.gap(1);
    // Counted in characters (code points), not UTF-16 units, and never cut inside one.
    const chars = text.length > PDF_TEXT_LIMIT ? Array.from(text) : null;
    const cut = chars !== null && chars.length > PDF_TEXT_LIMIT;
    pdf.text(cut ? chars.slice(0, PDF_TEXT_LIMIT).join('') : text, { size: 9, indent });
    if (cut) pdf.text(`[... ${(chars.length - PDF_TEXT_LIMIT).toLocaleString('en-US')} more characters: see records.csv or the WACZ]`, { size: 8, indent, color: GREY });
  } else {
    pdf.text('(no text)', { size: 8.5, indent, color: GREY });
  }
  pdf.gap(6);
}
