// Text for the PDF's built-in fonts. The 14 standard PDF fonts carry WinAnsiEncoding only
// (Latin-1 plus a few typographic marks), and a record can hold any Unicode: rather than crash or
// print mojibake, each character the font cannot show becomes its closest Latin-1 form (é stays,
// "ﬁ" becomes "fi", "Ł" becomes "?") and the PDF says where the exact text is (records.csv, WACZ).
// Strings here are "binary strings": one char per WinAnsi byte, as PDF content streams want them.

/** Unicode code point → WinAnsi byte for the 0x80–0x9F range, where WinAnsi differs from Latin-1. */
const WIN_ANSI_EXTRA = new Map<number, number>([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/** The Unicode character each WinAnsi byte shows, to measure it with the font's own metrics. */
export function unicodeOfWinAnsi(byte: number): string {
  for (const [cp, b] of WIN_ANSI_EXTRA) if (b === byte) return String.fromCodePoint(cp);
  return String.fromCharCode(byte);
}

const REPLACEMENT = '?';
const fallbacks = new Map<number, string>();

function winAnsiByte(cp: number): number | undefined {
  if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff)) return cp;
  return WIN_ANSI_EXTRA.get(cp);
}

/** Compatibility decomposition without accents ("ﬁ" → "fi", "ő" → "o"), or "?" if still unprintable. */
function fallback(cp: number): string {
  let out = fallbacks.get(cp);
  if (out !== undefined) return out;
  const decomposed = String.fromCodePoint(cp).normalize('NFKD').replace(/\p{M}/gu, '');
  out = decomposed.length > 0 && [...decomposed].every((c) => winAnsiByte(c.codePointAt(0) as number) !== undefined)
    ? [...decomposed].map((c) => String.fromCharCode(winAnsiByte(c.codePointAt(0) as number) as number)).join('')
    : REPLACEMENT;
  fallbacks.set(cp, out);
  return out;
}

export interface WinAnsiText {
  /** One char per WinAnsi byte; '\n' separates paragraphs. */
  text: string;
  /** How many characters had to be replaced or approximated. */
  replaced: number;
}

const PLAIN = /^[\x20-\x7e\n]*$/;

/** Unicode → WinAnsi binary string. Tabs become spaces, other control characters are dropped. */
export function toWinAnsi(input: string): WinAnsiText {
  const unified = input.replace(/\r\n?/g, '\n');
  if (PLAIN.test(unified)) return { text: unified, replaced: 0 };
  let text = '';
  let replaced = 0;
  for (const ch of unified) {
    const cp = ch.codePointAt(0) as number;
    if (cp === 0x0a) text += '\n';
    else if (cp === 0x09) text += ' ';
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xfeff || (cp >= 0x200b && cp <= 0x200d)) continue;
    else {
      const byte = winAnsiByte(cp);
      if (byte !== undefined) text += String.fromCharCode(byte);
      else {
        text += fallback(cp);
        replaced++;
      }
    }
  }
  return { text, replaced };
}

/**
 * Greedy line breaking at spaces with the font's advance widths (per WinAnsi byte, for a 1000-unit
 * font size); a word wider than the line is split. Kerning is ignored: lines are at most a hair
 * shorter than they could be, never longer.
 */
export function wrapLines(text: string, widths: Float64Array, size: number, maxWidth: number): string[] {
  const limit = (maxWidth * 1000) / size;
  const space = widths[0x20];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(' ')) {
      let wordWidth = 0;
      for (let i = 0; i < word.length; i++) wordWidth += widths[word.charCodeAt(i) & 0xff];
      if (line.length > 0 && lineWidth + space + wordWidth <= limit) {
        line += ` ${word}`;
        lineWidth += space + wordWidth;
        continue;
      }
      if (line.length > 0) lines.push(line);
      if (wordWidth <= limit) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      // A word longer than a line (a URL, a run of emoji turned into "?"): cut it where it overflows.
      let start = 0;
      let width = 0;
      for (let i = 0; i < word.length; i++) {
        const w = widths[word.charCodeAt(i) & 0xff];
        if (width + w > limit && i > start) {
          lines.push(word.slice(start, i));
          start = i;
          width = 0;
        }
        width += w;
      }
      line = word.slice(start);
      lineWidth = width;
    }
    lines.push(line);
  }
  return lines;
}

/** A PDF literal string: backslash, parentheses escaped; other bytes as they are. */
export function pdfLiteral(binary: string): string {
  return `(${binary.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** "2026-01-01 14:03 UTC" for people; the value itself when it is not a date. */
export function humanTime(iso: string | null | undefined): string {
  if (!iso) return 'unknown time';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
