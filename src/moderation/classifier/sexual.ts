// Sexual content beyond the explicit words of the lexicon match: dating and "nudes" spam,
// innuendo ("if you know what I mean", 🍆💦, "wearing something tiny") and leering at staff. Each
// innuendo cue alone is common and innocent (a wink, "after dark"), so most are weak cues that
// only reach the threshold together.
import { runRules, type Context, type Hit, type Rule } from './context.js';

const RULES: Rule[] = [
  { id: 'dating-or-nudes-spam', re: /\b(?:hot|sexy|lonely|horny) (?:local )?(?:singles|girls|women|moms|milfs|babes|men|guys)\b|\bhookup ?(?:spot|site|app|tonight|now)|\bonlyfans\b|\bnudes\b|\bsend (?:me )?(?:pics|nudes)\b|\bsexting\b|\bbooty call\b|\bspicy (?:content|pics|vids|videos|photos|page)\b/g, needles: ['spicy', 'singles', 'girls', 'women', 'moms', 'milf', 'babes', ' men', 'guys', 'hookup', 'onlyfans', 'nudes', 'send', 'sexting', 'booty'], confidence: 0.8 },
  { id: 'asks-for-pics', re: /\bsend (?:me )?(?:their|her|his|your) (?:pics|photos|nudes|selfies)\b/g, needles: ['send'], confidence: 0.45 },
  { id: 'offers-pics', re: /\b(?:dm|message|inbox|pm|hmu|text) (?:me )?for (?:pics|nudes|fun|a good time|more pics)\b/g, needles: ['for pics', 'for nudes', 'for fun', 'for a good time', 'for more pics'], confidence: 0.6 },
  { id: 'adult-link', re: /\bhotties\b|\bxxx\b|\b(?:vids|videos|pics)\b[^.!?\n]{0,30}(?:🔞|18\+|adult)/g, needles: ['hotties', 'xxx', 'vids', 'videos', 'pics'], confidence: 0.5 },
  { id: 'explicit-adjective', re: /\b(?:sexy|horny|topless|nsfw)\b/g, needles: ['sexy', 'horny', 'topless', 'nsfw'], confidence: 0.45 },
  { id: 'innuendo-emoji', re: /🍆|🍑|💦|🔞|👅/g, needles: ['🍆', '🍑', '💦', '🔞', '👅'], confidence: 0.45 },
  { id: 'innuendo', re: /\bif (?:you|ya|u) know what i mean\b|\bif (?:you|ya|u) catch my drift\b|\bknow what i'?m sayin'?g?\b|\bwink,? wink\b|\bnudge,? nudge\b|\b(?:that'?s what she said)\b/g, needles: ['know what i', 'catch my drift', 'wink', 'nudge', 'what she said'], confidence: 0.45 },
  { id: 'appearance', re: /\bwear(?:ing|s)? (?:a lot less|way less|less|nothing|something (?:tiny|skimpy|revealing|small|tight|sexy|see[- ]through))\b|\b(?:cute|hot|sexy|fine|thicc|pretty|gorgeous|beautiful|hottest) (?:young |\w+ )?(?:librarians?|lifeguards?|officers?|clerks?|cashiers?|girls?|lad(?:y|ies)|waitress(?:es)?|nurses?|teachers?|contestants?|receptionists?|bartenders?|wom[ae]n|moms?|cops?|staff(?:ers)?)\b|\bcheck(?:ing)? (?:her|him|them) out\b|\b(?:swimsuit (?:portion|competition|contest)|bikinis?|lingerie|thongs?|speedos?|yoga pants|tight shorts)\b|\bin (?:their|her|his|those) (?:\w+ )?(?:suits|swimsuits|bathing suits|uniforms|shorts)\b/g, needles: ['suits', 'uniform', 'shorts', 'wear', 'cute', 'hot', 'sexy', 'fine', 'thicc', 'pretty', 'gorgeous', 'beautiful', 'check', 'swimsuit', 'bikini', 'lingerie', 'thong', 'speedo', 'yoga pants', 'tight shorts'], confidence: 0.4 },
  { id: 'objectifies-someone', re: /\blooks? (?:good|hot|sexy|fine|great) in (?:those |that |her |his |a )?(?:tight|short|skimpy|little|low-cut|see-through|tiny) \w+|\b(?:tight|skimpy|low-cut|see-through|tiny|itty bitty) (?:skirts?|dress(?:es)?|tops?|shorts|pants|jeans|uniforms?|bikinis?|swimsuits?)\b/g, needles: ['look', 'tight', 'skimpy', 'low-cut', 'see-through', 'tiny', 'itty'], confidence: 0.6 },
  { id: 'explicit-act', re: /\b(?:ride|sit on|suck|lick|spank|bend (?:her|him|you) over|blow) (?:my|me|it|this|her|him)\b|\b(?:throbbing|moist|rock hard|deep inside|bend over|daddy)\b/g, needles: ['ride', 'sit on', 'suck', 'lick', 'spank', 'bend', 'blow', 'throbbing', 'moist', 'rock hard', 'deep inside', 'daddy'], confidence: 0.4 },
  { id: 'sexual-remark-on-body', re: /\bnice (?:ass|butt|tits|rack|boobs|body|legs|booty|bum|package)\b|\b(?:her|his) (?:tits|rack|boobs|booty)\b/g, needles: ['nice ', 'her ', 'his '], confidence: 0.75 },
  { id: 'come-on', re: /\b(?:can|could) (?:\w+ ){1,4}?(?:me|my \w+) (?:anytime|any time|all night)\b|\b(?:put out|light) my fire\b|\bwhat i'?d do to (?:her|him)\b/g, needles: ['anytime', 'any time', 'all night', 'my fire', "what i"], confidence: 0.4 },
  { id: 'leering', re: /\bbinoculars\b|\b(?:see|meet|have) (?:her|him) (?:after (?:hours|dark|work)|alone|in private)\b/g, needles: ['binoculars', 'see her', 'see him', 'meet her', 'meet him', 'have her', 'have him'], confidence: 0.35 },
  { id: 'hookup', re: /\bhook ?ups?\b|\bafter dark\b/g, needles: ['hook', 'after dark'], confidence: 0.3 },
  { id: 'suggestive-emoji', re: /😏|😉|😈|💋|🥵|🤤|😘|👀/g, needles: ['😏', '😉', '😈', '💋', '🥵', '🤤', '😘', '👀'], confidence: 0.3 },
];

const STRONG_EMOJI = ['🍆', '🍑', '💦', '🔞', '👅'];

export function detectSexual(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  // Two or more different innuendo emoji ("🍆💦") say it without words.
  const emoji = STRONG_EMOJI.filter((e) => ctx.f.includes(e));
  if (emoji.length >= 2) hits.push({ rule: 'innuendo-emoji-combination', confidence: 0.6, spans: hits.find((h) => h.rule === 'innuendo-emoji')?.spans ?? [] });
  return hits;
}

/** One identifiable person as the object of a sexual remark ("the cute librarian ... see her"). */
export const SINGLE_TARGET = /\b(?:her|him|she|he)\b|\bthe (?:cute |hot |sexy |new )?(?:librarian|clerk|receptionist|cashier|waitress|nurse|teacher|officer|lifeguard|girl|lady|woman|guy)\b(?!s)|@\w+/;
