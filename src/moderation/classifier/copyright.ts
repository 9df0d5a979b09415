// Copyright: sharing someone else's work whole (a full article, book, album or broadcast), links
// to pirated copies, cracked software, and passing off a photo after removing its watermark.
// Quoting a line or linking the city's own documents is fine, so a work word needs a copying act
// plus completeness ("the entire", "all 300 pages") or a free/bypass cue ("so you don't have to
// buy it", "paywalled", "all free").
import { runRules, type Context, type Hit, type Rule } from './context.js';

const WORK = String.raw`(?:movies?|films?|albums?|songs?|tracks|books?|e-?books?|novels?|textbooks?|pdfs?|articles?|story|stories|episodes?|seasons?|series|broadcasts?|special|shows?|concerts?|games?|software|photos?|pictures?|videos?|footage|documentar(?:y|ies)|audiobooks?|magazines?|newspapers?|bestsellers?|music|mp3s?|discography|comics?|manga|courses?)`;
const COPY_ACT = String.raw`(?:photocopied|xeroxed|screenshotted|downloaded|copy-pasted|uploaded|upload(?:ing)?|ripped|rip(?:ping)?|scanned|scan(?:ning)?|copied|copy(?:ing)?|pasted|reposted|torrent(?:ed|ing)?|pirated|bootleg(?:ged)?|leaked|screen[- ]?recorded|recorded)`;
const WHOLE = String.raw`(?:entire|whole|full|complete)`;
const COUNT = String.raw`(?:all \d[\d,]* (?:pages|tracks|songs|episodes|minutes|chapters|books|ebooks|movies|seasons)|\d[\d,]* (?:e-?books|books|movies|songs|albums|episodes|audiobooks))`;

const RULES: Rule[] = [
  { id: 'copies-whole-work', re: new RegExp(String.raw`\b${COPY_ACT} (?:\S+ ){0,6}?${WHOLE} (?:\S+ ){0,5}?${WORK}\b`, 'g'), needles: ['entire', 'whole', 'full', 'complete'], confidence: 0.5 },
  { id: 'copies-a-work', re: new RegExp(String.raw`\b${COPY_ACT} (?:\w+ ){0,2}?${WORK}\b`, 'g'), needles: ['photocop', 'xerox', 'screenshot', 'download', 'copy', 'copied', 'upload', 'rip', 'scan', 'past', 'repost', 'torrent', 'pirat', 'bootleg', 'leak', 'record'], confidence: 0.3 },
  { id: 'whole-work-offered', re: new RegExp(String.raw`\b${WHOLE} (?:\S+ ){0,4}?${WORK}\b|\b${COUNT}\b`, 'g'), needles: ['entire', 'whole', 'full', 'complete', 'all', 'book', 'movie', 'song', 'album', 'episode'], confidence: 0.35 },
  { id: 'bypasses-payment', re: /\bso (?:you|nobody|no one|u) (?:don'?t|doesn'?t|has to|have to|needs? to|won'?t)(?: have to| need to)? (?:buy|pay|subscribe)\b|\b(?:don'?t|no need to|never) (?:have to |need to )?(?:buy|pay for) (?:it|them|the \w+)\b|\bpaywall(?:ed)?\b|\bwithout paying\b|\bads cut out\b|\bno ads\b|\bad-?free\b|\bsince it'?s \$\d|\binstead of (?:paying|buying)\b|\bwithout a subscription\b|\bdon'?t need a subscription\b|\bfull (?:article|text) continues\b|\bskip the (?:paywall|wait|holds)\b/g, needles: ['buy', 'pay', 'paywall', 'ads', 'ad-free', 'adfree', 'subscription', 'skip the', 'full article continues', 'full text continues', "since it", 'instead of'], confidence: 0.4 },
  { id: 'free-copies', re: /\b(?:all|totally|100%) free\b|\bfor free\b|\bfree (?:download|pdf|stream|copy|copies|online)\b|\bwatch (?:it )?free\b/g, needles: ['free'], confidence: 0.3 },
  { id: 'offers-a-copy', re: /\b(?:dm|message|email|pm|inbox) me for (?:the|a|my) (?:pdf|copy|file|link|scan|download)\b/g, needles: [' me for'], confidence: 0.4 },
  { id: 'pirate-host-link', re: /\b[a-z0-9-]*(?:watch|stream|movies?|torrent|pirat|flix)[a-z0-9-]*\.[a-z]{2,}(?:\.[a-z]{2,})*(?:\/\S*)?|\b(?:on|from|in) my (?:google )?(?:drive|dropbox|mega|server|page)\b|\b(?:mega|drive|dropbox|mediafire|rapidgator|1fichier|zippyshare|files|anonfiles|pastebin)\.[a-z.]+\/\S+|\bmagnet:\?|\.torrent\b|\b(?:123movies|putlocker|fmovies|libgen|z-library|zlib|thepiratebay)\b|\S+\.pdf\b/g, needles: ['watch', 'stream', 'movie', 'torrent', 'pirat', 'flix', 'my ', 'mega', 'drive', 'dropbox', 'mediafire', 'rapidgator', '1fichier', 'zippyshare', 'files', 'anonfiles', 'pastebin', 'magnet', 'libgen', 'z-library', 'zlib', '.pdf'], confidence: 0.35 },
  { id: 'removed-watermark', re: /\b(?:cropped|removed|cut|edited|photoshopped|blurred|erased) (?:off |out )?(?:the |their |its )?(?:\S+ ){0,3}?(?:watermark|logo|photo credit|credit line|credit|copyright notice|signature)\b/g, needles: ['watermark', 'logo', 'credit', 'copyright notice', 'signature'], confidence: 0.8 },
  { id: 'passes-off-as-own', re: /\b(?:posting|passing|claiming|calling) it (?:off )?as (?:my own|mine)\b|\bit'?s mine now\b/g, needles: ['as my own', 'as mine', 'mine now'], confidence: 0.45 },
  { id: 'pirated-software', re: /\b(?:cracked|keygen|warez|nulled|pirated) (?:\w+ ){0,2}?(?:key|keys|license|licence|software|version|copy|activation|app|game)\b|\b(?:serial|license|licence|activation|product) key (?:that works|for free|here)\b/g, needles: ['crack', 'keygen', 'warez', 'nulled', 'pirat', 'serial key', 'license key', 'licence key', 'activation key', 'product key'], confidence: 0.8 },
  { id: 'reposts-paywalled-text', re: /\bhere'?s the (?:whole|full|entire) (?:thing|article|story|text)\b|\b(?:copied|pasted|copy-pasted) (?:the )?(?:whole|full|entire) (?:thing|article|story)\b|\[(?:full )?(?:article|story) continues\]|\b(?:pasted|posting|copied|reposting) (?:it |the whole thing )?(?:here|below)\b|\bfull text of\b/g, needles: ['here', 'copied', 'pasted', 'continues', 'below', 'full text'], confidence: 0.6 },
];

// Lawful free copies: the library's own lending apps and the public domain.
const LAWFUL_SOURCE = /\b(?:library card|with your card|libby|hoopla|overdrive|kanopy|public domain|gutenberg|creative commons)\b/;

export function detectCopyright(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  return LAWFUL_SOURCE.test(ctx.f) ? hits.filter((h) => h.rule !== 'free-copies' && h.rule !== 'whole-work-offered') : hits;
}
