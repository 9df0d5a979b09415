// Campaign content: urging a vote for or against a candidate or a ballot measure, endorsing one,
// or raising money for one. A city may not use its accounts for that (KA-12 and BZ-14 list it
// first among prohibited content, RL-7 and KA-9 forbid political views, and Montana law bars
// public resources from campaigns), yet running elections is the city's job: polling hours,
// registration deadlines, candidate filing and the neutral text of a measure must pass. So every
// pattern needs an advocacy signal (an imperative, a named candidate, a slogan, money), never the
// mere words "vote" or "election". The detector reads text only, so it serves both staff drafts
// and residents' comments.

export interface CampaignMatch {
  excerpt: string;
  range: [number, number];
  reason: string;
}

// Words that name a ballot measure; "vote yes on the levy" is advocacy, "vote yes" alone may be a
// council member's vote on an agenda item.
const MEASURE =
  String.raw`(?:levy|levies|bond(?:\s+issue)?|ballot\s+(?:issue|measure|question|initiative)|measure|proposition|prop\.?|initiative|referendum|amendment|charter\s+amendment|mill\s+levy|(?:CI|LR|LI|CA)-\d+|question\s+\d+)`;
const MEASURE_RE = new RegExp(String.raw`\b${MEASURE}(?![\w-])`, 'i');
// The same without words that also name ordinary city business ("we support the initiative to
// plant trees", "measures to slow traffic"): used where no "vote" makes the ballot explicit.
const STRICT_MEASURE = String.raw`(?:levy|levies|mill\s+levy|bond\s+(?:issue|measure)|ballot\s+(?:issue|measure|question|initiative)|proposition|referendum|measure\s+(?:[A-Z]|\d{1,3}[A-Z]?)\b|prop\.?\s+\d+|(?:CI|LR|LI|CA)-\d+)`;
// A measure label such as "2B", "Measure A", "Prop 1" or "CI-128". Bare "I-" numbers are left
// out: in Montana and Minnesota they are as often interstates as initiatives.
const MEASURE_CODE_RE = /\b(?:\d{1,3}[A-Z]\b|(?:measure|prop(?:osition)?\.?|question|issue)\s+(?:[A-Z]|\d{1,3}[A-Z]?)\b|(?:CI|LR|LI|CA)-\d+\b)/i;
const OFFICE =
  String.raw`(?:mayor|city\s+council|council|(?:city\s+|county\s+)?commission(?:er)?|ward\s+\d+|senate|senator|congress|governor|sheriff|judge|justice\s+of\s+the\s+peace|school\s+board|trustee|legislature|state\s+house|president|attorney\s+general|county\s+attorney|clerk\s+and\s+recorder)`;

// Capitalised words that start headings and notices rather than names ("Candidates for Mayor",
// "Filing for City Council"): without this list every election notice would look like a slogan.
const NOT_A_NAME = new Set(
  `a an the this that these those our your their my his her its who what when where how why
  applications application candidates candidate filing filings forum forums nominations nomination
  petitions petition openings opening vacancy vacancies running seats seat interviews interview
  results votes ballots ballot debate debates election elections race races primary general
  deadline deadlines information info questions apply applying register registration registered
  notice meeting meetings hearing hearings agenda survey surveys poll polls polling voting voters
  ballots turnout schedule timeline guide guides sample official officials unofficial certified
  residents citizens everyone anyone nobody someone search campaign campaigns budget plans plan
  requests request funding support opposition appointment appointments interim acting vote
  early today tomorrow tonight here now by absentee in at on safely yes no responsibly please
  thanks thank congratulations welcome`.split(/\s+/),
);
const DAYS_AND_MONTHS = new Set(
  `monday tuesday wednesday thursday friday saturday sunday january february march april may june
  july august september october november december`.split(/\s+/),
);
// "Vote for your favourite mural": community polls use the same verb as campaigns.
const POLL_WORDS = /\b(?:favou?rite|best|photo|photos|picture|design|designs|logo|name|names|entry|entries|contest|winner|mural|art|artwork|costume|float|poster|theme|option|options|idea|ideas|project|projects|location|day|date|time)\b/i;

interface Candidate {
  start: number;
  end: number;
  reason: string;
}

function sentenceBounds(text: string, index: number): [number, number] {
  let start = index;
  while (start > 0 && !/[.!?\n]/.test(text[start - 1] ?? '')) start -= 1;
  let end = index;
  while (end < text.length && !/[.!?\n]/.test(text[end] ?? '')) end += 1;
  return [start, Math.min(text.length, end + 1)];
}

function isNameToken(word: string): boolean {
  const lower = word.toLowerCase().replace(/['’]s$/, '');
  return /^[A-Z][a-zA-Z'’.-]+$/.test(word) && !NOT_A_NAME.has(lower) && !DAYS_AND_MONTHS.has(lower);
}

function* matches(re: RegExp, text: string): Generator<RegExpExecArray> {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (let m = global.exec(text); m; m = global.exec(text)) {
    yield m;
    if (m[0].length === 0) global.lastIndex += 1;
  }
}

/** "vote for/against X", "vote yes/no (on X)": advocacy when X is a person or a measure. */
function voteDirectives(text: string, out: Candidate[]): void {
  // "Vote no later than 8 pm" is a deadline, not a "no" vote.
  const re = /\b(?:vote|voting)\s+(for|against|yes|no)\b(?!\s+(?:later|sooner|more|longer)\b)(?:\s+on\b)?/gi;
  for (const m of matches(re, text)) {
    const afterStart = m.index + m[0].length;
    const after = text.slice(afterStart, afterStart + 60).split(/[.!?\n,;]/)[0] ?? '';
    const words = after.trim().split(/\s+/).filter(Boolean);
    const direction = (m[1] ?? '').toLowerCase();
    const [sentenceStart] = sentenceBounds(text, m.index);
    const lead = text.slice(sentenceStart, m.index).trim().toLowerCase();
    // "Commissioners vote no on the amendment" reports a governing body's vote, not a ballot.
    if (/\b(?:council|commission|commissioners?|board|trustees|members|committee|legislature|legislators|senate|house|aldermen|lawmakers)\b/.test(lead)) continue;
    const imperative = lead === '' || /(?:^|\b)(?:please|urge you to|encourage you to|remember to|be sure to|make sure to|don'?t forget to|and|so|let'?s|we must|you should|everyone|everyone should)$/.test(lead);
    const measure = MEASURE_RE.test(after) || MEASURE_CODE_RE.test(after);
    const firstName = words[0] ? isNameToken(words[0]) : false;
    // Ballot instructions ("vote for up to three candidates") are election administration.
    const instruction = /^\s*(?:up\s+to|no\s+more\s+than|not\s+more\s+than|one|two|three|four|five|\d+|any|only|as\s+many)\b/i.test(after);
    const poll = instruction || POLL_WORDS.test(words.slice(0, 4).join(' ')) || /\b(?:of\s+your\s+choice|you\s+(?:choose|prefer))\b/i.test(after);
    let reason: string | null = null;
    // The excerpt ends where the thing voted on ends, not at the end of the clause.
    let span = 0;
    const measureHit = MEASURE_RE.exec(after) ?? MEASURE_CODE_RE.exec(after);
    const candidateHit = /\b(?:candidate|incumbent|challenger)s?\b/i.exec(after);
    if (measure && !poll && measureHit) {
      reason = `urges a ${direction === 'for' || direction === 'yes' ? 'yes' : 'no'} vote on a ballot measure`;
      span = measureHit.index + measureHit[0].length;
    } else if ((direction === 'for' || direction === 'against') && firstName && !poll) {
      reason = `urges a vote ${direction} a named candidate`;
      const lead = after.length - after.trimStart().length;
      let n = 0;
      while (n < words.length && n < 4 && isNameToken(words[n] ?? '')) n += 1;
      span = lead + words.slice(0, n).join(' ').length;
    } else if (candidateHit && !poll) {
      reason = `urges a vote ${direction} a candidate`;
      span = candidateHit.index + candidateHit[0].length;
    } else if ((direction === 'yes' || direction === 'no') && imperative && !poll) {
      reason = `urges a "${direction}" vote`;
    }
    if (reason) out.push({ start: m.index, end: afterStart + span, reason });
  }
}

/** Slogans: "Re-elect Smith", "Elect Jane Doe", "Yes on 2B", "Smith for Mayor". */
function slogans(text: string, out: Candidate[]): void {
  for (const m of matches(/\b(?:[Rr]e|RE)-?\s?(?:elect|ELECT)\b((?:\s+[A-Z][\w'’.-]*){0,3})/g, text)) {
    // "was re-elected in 2022" reports a fact and "the council will re-elect its chair" describes
    // council business; "Re-elect Smith" and "re-elect Jane Doe" ask for a vote.
    const [sentenceStart, sentenceEnd] = sentenceBounds(text, m.index);
    const lead = text.slice(sentenceStart, m.index).trim().toLowerCase();
    const named = isNameToken((m[1] ?? '').trim().split(/\s+/)[0] ?? '');
    const forOffice = new RegExp(String.raw`\bfor\s+${OFFICE}\b`, 'i').test(text.slice(m.index, sentenceEnd));
    if (named || forOffice || lead === '' || /\b(?:please|let'?s|and)$/.test(lead)) {
      out.push({ start: m.index, end: m.index + m[0].length, reason: 'asks voters to re-elect someone' });
    }
  }
  for (const m of matches(/\b[Ee]lect\s+([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?)/g, text)) {
    const name = (m[1] ?? '').split(/\s+/)[0] ?? '';
    if (isNameToken(name)) out.push({ start: m.index, end: m.index + m[0].length, reason: 'asks voters to elect a named person' });
  }
  for (const m of matches(/\b(?:yes|no)\s+on\s+(?:[A-Z]?\d{1,3}[A-Z]?\b|(?:measure|prop(?:osition)?\.?|question|issue|initiative)(?:\s+(?:[A-Z]|\d{1,3}[A-Z]?)\b)?|(?:the\s+)?(?:[\w-]+\s+)?(?:levy|bond)\b|(?:CI|LR|LI|CA)-\d+)/gi, text)) {
    out.push({ start: m.index, end: m.index + m[0].length, reason: 'ballot-measure slogan' });
  }
  const forOffice = new RegExp(String.raw`\b([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)?)\s+for\s+${OFFICE}\b(?!['’])`, 'gi');
  for (const m of matches(forOffice, text)) {
    // "Vote Smith for Mayor": the name is the longest run of name-like words ending before "for".
    // Case-insensitive for the office, so the name's capitals are checked word by word here.
    const words = (m[1] ?? '').split(/\s+/);
    let first = words.length;
    while (first > 0 && isNameToken(words[first - 1] ?? '')) first -= 1;
    if (first === words.length) continue;
    const offset = words.slice(0, first).reduce((n, w) => n + w.length + 1, 0);
    out.push({ start: m.index + offset, end: m.index + m[0].length, reason: 'candidate slogan ("… for office")' });
  }
  for (const m of matches(/\b[Vv]ote\s+([A-Z][\w'’.-]+)/g, text)) {
    const [sentenceStart] = sentenceBounds(text, m.index);
    const lead = text.slice(sentenceStart, m.index).trim().toLowerCase();
    if ((lead === '' || /\b(?:please|and)$/.test(lead)) && isNameToken(m[1] ?? '')) {
      out.push({ start: m.index, end: m.index + m[0].length, reason: 'asks for votes for a named person' });
    }
  }
}

/** "Vote them out", and campaign hashtags: #VoteYesOn2B, #ReElectSmith, #NoOnMeasureA. */
function outAndHashtags(text: string, out: Candidate[]): void {
  for (const m of matches(/\bvote\s+(?:them|him|her|the\s+\w+|[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?:\s+all)?\s+out\b/gi, text)) {
    out.push({ start: m.index, end: m.index + m[0].length, reason: 'urges voting office-holders out' });
  }
  const tag = /#(?:[Vv]ote(?:[Yy]es|[Nn]o|[Ff]or|[Aa]gainst|[Oo]ut)\w*|[Rr]e-?[Ee]lect\w+|[Ee]lect[A-Z]\w*|(?:[Yy]es|[Nn]o)[Oo]n[A-Z0-9]\w*)/g;
  for (const m of matches(tag, text)) out.push({ start: m.index, end: m.index + m[0].length, reason: 'campaign hashtag' });
}

/** Endorsing, supporting or opposing a candidate or measure, within one sentence. */
function advocacy(text: string, out: Candidate[]): void {
  const candidateContext = new RegExp(String.raw`\b(?:candidate|candidacy|re-?elect|for\s+${OFFICE}\b|${STRICT_MEASURE})`, 'i');
  for (const m of matches(/\b(?:endors(?:e|es|ed|ing|ement)|we\s+(?:support|oppose)|I\s+(?:support|oppose))\b/gi, text)) {
    const [s, e] = sentenceBounds(text, m.index);
    if (candidateContext.test(text.slice(s, e))) {
      out.push({ start: m.index, end: e, reason: 'endorses or opposes a candidate or ballot measure' });
    }
  }
  const onMeasure = new RegExp(String.raw`\b(?:support|oppose|defeat|reject|help\s+pass|let'?s\s+pass|stop)\s+(?:the\s+|this\s+)?(?:[\w-]+\s+){0,3}?${STRICT_MEASURE}(?![\w-])`, 'gi');
  for (const m of matches(onMeasure, text)) {
    const lead = text.slice(Math.max(0, m.index - 30), m.index).toLowerCase();
    // "whether to support the levy" and "voters will decide whether to reject" describe the choice.
    if (/\b(?:whether\s+to|if\s+voters|voters\s+(?:will|may|can)\s+(?:decide\s+whether\s+to\s+)?)\s*$/.test(lead)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, reason: 'urges support for or opposition to a ballot measure' });
  }
}

/** Money for a campaign: donations to a candidate, a campaign or a PAC; campaign disclaimers. */
function money(text: string, out: Candidate[]): void {
  for (const m of matches(/\bpaid\s+for\s+by\b[^.!?\n]*/gi, text)) {
    out.push({ start: m.index, end: m.index + m[0].length, reason: 'campaign "paid for by" disclaimer' });
  }
  // "Capital campaign" and "campaign fund" are ordinary fundraising words, so only unambiguous
  // political-money terms count on their own.
  for (const m of matches(/\b(?:super\s+PACs?|political\s+action\s+committees?|campaign\s+(?:contributions?|finance)|political\s+campaigns?)\b/gi, text)) {
    out.push({ start: m.index, end: m.index + m[0].length, reason: 'refers to campaign money or a PAC' });
  }
  const giving = /\b(?:donat(?:e|es|ed|ing|ion|ions)|contribut(?:e|es|ed|ing|ion|ions)|chip\s+in|give)\b/gi;
  const political = new RegExp(String.raw`\b(?:candidate|re-?elect\w*|for\s+${OFFICE}\b|${STRICT_MEASURE})`, 'i');
  for (const m of matches(giving, text)) {
    const [s, e] = sentenceBounds(text, m.index);
    const sentence = text.slice(s, e);
    // PAC is matched case-sensitively: "pac" is not an abbreviation, and "campaign" alone is too
    // common in charity drives ("donate to the library's capital campaign") to count.
    if (/\bPACs?\b/.test(sentence) || political.test(sentence)) {
      out.push({ start: m.index, end: e, reason: 'asks for money for a campaign' });
    }
  }
}

function merge(candidates: Candidate[]): Candidate[] {
  const sorted = [...candidates].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Candidate[] = [];
  for (const c of sorted) {
    const last = out[out.length - 1];
    if (last && c.start < last.end) {
      last.end = Math.max(last.end, c.end);
      continue;
    }
    out.push({ ...c });
  }
  return out;
}

/**
 * Finds campaign advocacy in a post or comment. Overlapping hits are merged so one slogan yields
 * one finding; the first reason found for a span is kept.
 */
export function detectCampaign(text: string): CampaignMatch[] {
  const found: Candidate[] = [];
  voteDirectives(text, found);
  slogans(text, found);
  outAndHashtags(text, found);
  advocacy(text, found);
  money(text, found);
  return merge(found).map((c) => {
    const raw = text.slice(c.start, c.end);
    const trimmed = raw.replace(/[\s.,;:!?]+$/, '');
    return { excerpt: trimmed, range: [c.start, c.start + trimmed.length], reason: c.reason };
  });
}
