// A streaming PDF of plain lines of text, on pdfkit. pdfkit owns the document (pages, fonts,
// compression, cross-reference table) and streams each finished page to disk; the lines themselves
// are laid out here and written as raw text operators, because pdfkit's own text() measures every
// glyph with kerning lookups and costs ~0.15 ms per line: at 100k records that alone was ~15 s, this
// ~2 s. Text is WinAnsi (see text.ts) in the three Helvetica faces every PDF reader has built in.
import { createWriteStream, type WriteStream } from 'node:fs';
import PDFDocument from 'pdfkit';
import { pdfLiteral, toWinAnsi, unicodeOfWinAnsi, wrapLines } from './text.js';

export type FontName = 'Helvetica' | 'Helvetica-Bold' | 'Helvetica-Oblique';
const FONTS: FontName[] = ['Helvetica', 'Helvetica-Bold', 'Helvetica-Oblique'];

export interface LineStyle {
  font?: FontName;
  size?: number;
  /** Left indent from the margin, in points. */
  indent?: number;
  /** RGB, 0–1. */
  color?: readonly [number, number, number];
}

export const GREY = [0.35, 0.35, 0.35] as const;
export const DARK_RED = [0.55, 0.05, 0.05] as const;
const BLACK = [0, 0, 0] as const;

const PAGE_W = 612;
const PAGE_H = 792;
const MARGIN = 54;
const FOOTER_Y = 30;
export const TEXT_WIDTH = PAGE_W - 2 * MARGIN;

export class PdfWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly out: WriteStream;
  private readonly done: Promise<void>;
  private readonly resource = new Map<FontName, string>();
  private readonly widths = new Map<FontName, Float64Array>();
  private readonly footer: string;
  private ops: string[] = [];
  private y = MARGIN;
  private page = 0;
  /** Characters replaced because the fonts cannot show them, over the whole document. */
  replaced = 0;

  constructor(path: string, info: { title: string; created: Date }) {
    this.doc = new PDFDocument({
      size: 'LETTER', margin: MARGIN, autoFirstPage: false, compress: true,
      info: { Title: info.title, Creator: 'CivicDesk', Producer: 'CivicDesk (pdfkit)', CreationDate: info.created },
    });
    this.out = createWriteStream(path);
    this.done = new Promise((resolve, reject) => {
      this.out.on('finish', resolve);
      this.out.on('error', reject);
      this.doc.on('error', reject);
    });
    this.doc.pipe(this.out);
    this.footer = toWinAnsi(info.title).text.replace(/\n/g, ' ').slice(0, 120);
    for (const font of FONTS) {
      this.doc.font(font).fontSize(1000);
      const table = new Float64Array(256);
      for (let b = 0x20; b < 0x100; b++) table[b] = this.doc.widthOfString(unicodeOfWinAnsi(b));
      this.widths.set(font, table);
    }
    this.newPage();
  }

  /** Starts a page: the fonts go into its resources (through pdfkit, which names them), then the footer. */
  newPage(): void {
    this.flush();
    this.doc.addPage();
    this.page++;
    for (const font of FONTS) {
      // A one-space text run registers the font on this page; its resource name (F1…) is stable.
      const page: { fonts: unknown } = this.doc.page;
      const before = new Set(Object.keys(page.fonts as Record<string, unknown>));
      this.doc.font(font).fontSize(1).text(' ', 0, 0, { lineBreak: false });
      if (!this.resource.has(font)) {
        const added = Object.keys(page.fonts as Record<string, unknown>).find((k) => !before.has(k));
        if (!added) throw new Error(`pdfkit did not register ${font}`);
        this.resource.set(font, added);
      }
    }
    this.y = MARGIN;
    this.put(`${this.footer} \x97 page ${this.page}`, MARGIN, PAGE_H - FOOTER_Y, 'Helvetica', 7.5, GREY);
  }

  private put(binary: string, x: number, baseline: number, font: FontName, size: number, color: readonly [number, number, number]): void {
    // pdfkit flips the page's y axis at the start of each page; `q … cm … Q` flips it back for our run.
    this.ops.push(`BT /${this.resource.get(font)} ${size} Tf ${color[0]} ${color[1]} ${color[2]} rg ${x.toFixed(2)} ${(PAGE_H - baseline).toFixed(2)} Td ${pdfLiteral(binary)} Tj ET`);
  }

  private flush(): void {
    if (this.ops.length === 0) return;
    this.doc.addContent(`q 1 0 0 -1 0 ${PAGE_H} cm\n${this.ops.join('\n')}\nQ`);
    this.ops = [];
  }

  /** Moves to a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.y + height > PAGE_H - MARGIN) this.newPage();
  }

  gap(points: number): void {
    this.y += points;
  }

  /** Wrapped text (any Unicode). Returns how many lines it took. */
  text(unicode: string, style: LineStyle = {}): number {
    const converted = toWinAnsi(unicode);
    this.replaced += converted.replaced;
    return this.binaryText(converted.text, style);
  }

  private binaryText(binary: string, style: LineStyle): number {
    const font = style.font ?? 'Helvetica';
    const size = style.size ?? 9;
    const indent = style.indent ?? 0;
    const color = style.color ?? BLACK;
    const leading = size * 1.25;
    const lines = wrapLines(binary, this.widths.get(font) as Float64Array, size, TEXT_WIDTH - indent);
    for (const line of lines) {
      this.ensure(leading);
      this.y += leading;
      if (line.length > 0) this.put(line, MARGIN + indent, this.y - size * 0.25, font, size, color);
    }
    return lines.length;
  }

  /** A thin rule across the text width. */
  rule(): void {
    this.ensure(8);
    this.y += 4;
    const y = (PAGE_H - this.y).toFixed(2);
    this.ops.push(`0.7 0.7 0.7 RG 0.5 w ${MARGIN} ${y} m ${PAGE_W - MARGIN} ${y} l S`);
    this.y += 4;
  }

  async end(): Promise<void> {
    this.flush();
    this.doc.end();
    await this.done;
  }

  /** Stops writing, for error paths (the file is thrown away with its folder). */
  abandon(): void {
    this.doc.unpipe(this.out);
    this.out.destroy();
    this.done.catch(() => undefined);
  }
}
