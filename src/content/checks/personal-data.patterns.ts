// Where personal data is in a text: each function returns spans with the offending text. They are
// pattern detectors, tuned so a city's ordinary posts (its own phone numbers and addresses,
// ordinance and resolution numbers, "the 100 block of Main Street", highway numbers) do not trip
// them, and so what they do find is worth a person's second look.
import { allMatches, type Span } from './text.js';

export interface Hit extends Span {
  excerpt: string;
}

function hit(text: string, start: number, end: number): Hit {
  return { start, end, excerpt: text.slice(start, end) };
}

/** 123-45-6789 or 123 45 6789 (one separator throughout), or nine digits right after "SSN". */
export function findSsns(text: string): Hit[] {
  const out: Hit[] = [];
  for (const m of allMatches(/(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/g, text)) out.push(hit(text, m.index, m.index + m[0].length));
  const keyed = /\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no\.?|#))?)\s*(?:is|:|#|was)?\s*(\d{9}|\d{3}[-. ]?\d{2}[-. ]?\d{4})(?!\d)/gi;
  for (const m of allMatches(keyed, text)) {
    const digits = m[1] ?? '';
    const start = m.index + m[0].length - digits.length;
    if (!out.some((h) => h.start <= start && start < h.end)) out.push(hit(text, start, start + digits.length));
  }
  return out;
}

// Toll-free prefixes belong to agencies and businesses (crisis lines, utilities), not to private
// people, so they are not flagged.
const TOLL_FREE = new Set(['800', '833', '844', '855', '866', '877', '888']);

export function digitsOf(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

/** North American numbers written as phone numbers: (406) 758-7756, 406-758-7756, +1 406 758 7756. */
export function findPhones(text: string, own: Set<string>): Hit[] {
  const re = /(?<![\w-])(?:\+?1[-.\s]?)?(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.\s]\d{4}(?![\w-])/g;
  const out: Hit[] = [];
  for (const m of allMatches(re, text)) {
    const digits = digitsOf(m[0]);
    if (digits.length !== 10 || own.has(digits) || TOLL_FREE.has(digits.slice(0, 3))) continue;
    out.push(hit(text, m.index, m.index + m[0].length));
  }
  return out;
}

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DATE = String.raw`(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|${MONTH}\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH},?\s+\d{4})`;

/** A full date (day and year) within a few words after "DOB", "date of birth", "born (on)". */
export function findBirthDates(text: string): Hit[] {
  const re = new RegExp(String.raw`\b(?:D\.?O\.?B\.?|date\s+of\s+birth|birth\s?date|born(?:\s+on)?)(?![\w])[^\n.]{0,20}?${DATE}`, 'gi');
  return [...allMatches(re, text)].map((m) => hit(text, m.index, m.index + m[0].length));
}

const STREET_TYPES = new Set(
  `street st avenue ave road rd drive dr lane ln court ct boulevard blvd way place pl circle cir
  terrace ter trail trl parkway pkwy highway hwy loop alley aly square sq crescent cres run path
  pike point pt ridge`.split(/\s+/),
);
const DIRECTIONS = new Set(['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw', 'north', 'south', 'east', 'west']);
// Abbreviations keep their full stop ("Main St."); a full word's full stop ends the sentence.
const ABBREVIATED = new Set(['st', 'ave', 'rd', 'dr', 'ln', 'ct', 'blvd', 'pl', 'cir', 'ter', 'trl', 'pkwy', 'hwy', 'aly', 'sq', 'cres', 'pt', 'n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw']);

function bare(token: string): string {
  return token.toLowerCase().replace(/[.,;:]+$/, '');
}

// An address right after a public building's name ("City Hall, 201 1st Avenue East", "the
// Library at 247 1st Ave E") is that building's, not someone's home.
const PUBLIC_PLACE_BEFORE =
  /\b(?:city\s+hall|hall|library|department|dept\.?|office|offices|center|centre|courthouse|station|school|park|pool|museum|building|complex|arena|fairgrounds|airport|church)\s*(?:,|\bat|\bis\s+at|\blocated\s+at)?\s*$/i;

/**
 * A house number, one to three capitalised (or ordinal) name words and a street type: "412 Oak
 * Street", "1120 N 7th Ave". "The 100 block of Main Street" names no house and is not matched.
 */
export function findStreetAddresses(text: string, own: string[]): Hit[] {
  const token = String.raw`(?:[A-Z][\w'’.-]*|\d+(?:st|nd|rd|th)|(?:${[...STREET_TYPES].join('|')})\b\.?)`;
  const re = new RegExp(String.raw`(?<![\w$.,/-])\d{1,6}[A-Za-z]?((?:[ \t]+${token}){2,5})`, 'g');
  const out: Hit[] = [];
  for (const m of allMatches(re, text)) {
    const numberEnd = m.index + m[0].length - (m[1] ?? '').length;
    const tokens = [...(m[1] ?? '').matchAll(/\S+/g)];
    let end = -1;
    for (let i = 1; i < tokens.length; i += 1) {
      const t = tokens[i];
      if (!t || !STREET_TYPES.has(bare(t[0]))) continue;
      // "1st Ave" has its name in the ordinal; otherwise a name word must come before the type.
      const next = tokens[i + 1];
      const last = next && DIRECTIONS.has(bare(next[0])) ? next : t;
      const kept = ABBREVIATED.has(bare(last[0])) ? last[0].replace(/[,;:]+$/, '') : last[0].replace(/[.,;:]+$/, '');
      end = numberEnd + (last.index ?? 0) + kept.length;
      break;
    }
    if (end < 0) continue;
    const found = hit(text, m.index, end);
    const normal = found.excerpt.toLowerCase().replace(/\s+/g, ' ');
    if (own.some((address) => address.includes(normal))) continue;
    if (PUBLIC_PLACE_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index))) continue;
    out.push(found);
  }
  return out;
}

const COURT_TYPES = 'CR|CV|DR|DC|DV|JV|JN|TR|PR|MC|TK|CM|FA|SC|PO|OP|TC';
const CASE_ID = String.raw`([A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?)`;

/**
 * Court, police and incident case numbers: "Case No. 24-CR-0012", "case #2024-00123", "police
 * report 2024-00456", "DC-24-123". Ordinance, resolution and policy numbers are not case numbers.
 */
export function findCaseNumbers(text: string): Hit[] {
  const keyword = String.raw`(?:\b(?:case|docket|cause|citation|complaint|warrant|booking|arrest)|\b(?:police|incident|crash|accident|offen[sc]e)\s+report)`;
  const out: Hit[] = [];
  const numbered = new RegExp(String.raw`${keyword}\s*(?:no\.?|number|num\.?|#)\s*:?\s*#?${CASE_ID}`, 'gi');
  for (const m of allMatches(numbered, text)) {
    const id = m[1] ?? '';
    if (/\d/.test(id) && id.length >= 3) out.push(hit(text, m.index, m.index + m[0].length));
  }
  const bareId = new RegExp(String.raw`${keyword}\s+${CASE_ID}`, 'gi');
  for (const m of allMatches(bareId, text)) {
    const id = m[1] ?? '';
    if (/\d/.test(id) && (id.includes('-') || id.length >= 5)) out.push(hit(text, m.index, m.index + m[0].length));
  }
  const court = new RegExp(String.raw`\b(?:(?:\d{2}|\d{4})-(?:${COURT_TYPES})-\d{2,}|(?:${COURT_TYPES}|DA|CDC|ADV)-(?:\d{2}|\d{4})-\d{2,})\b`, 'g');
  for (const m of allMatches(court, text)) out.push(hit(text, m.index, m.index + m[0].length));
  return mergeHits(text, out);
}

/** Overlapping hits become one, so a case number matched two ways is reported once. */
export function mergeHits(text: string, hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Hit[] = [];
  for (const h of sorted) {
    const last = out[out.length - 1];
    if (last && h.start < last.end) {
      if (h.end > last.end) out[out.length - 1] = hit(text, last.start, h.end);
      continue;
    }
    out.push(h);
  }
  return out;
}
