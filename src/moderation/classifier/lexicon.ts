// Word lists shared by several detectors, as regex source fragments over the folded (lower-case,
// de-obfuscated) text. General vocabulary only: nothing here names a particular city, street or
// person, because the classifier is judged on comments it has never seen.

/** People a comment can aim at by role: officials, staff and residents. */
export const PERSON_ROLE = String.raw`(?:(?:deputy |vice |assistant )?mayor|council ?(?:wo)?man|council ?member|councilm[ae]n|councillor|councilor|alder(?:man|woman|person)|commissioner|city manager|city administrator|administrator|manager|director|chief|officer|deputy|sheriff|clerk|superintendent|inspector|ranger|librarian|lifeguard|supervisor|planner|engineer|staffer|treasurer|judge|attorney|trustee|cop|detective|sergeant|lieutenant|captain|dispatcher|driver|guy|gal|lady|woman|man|dude|neighbou?r|employee|worker|receptionist|cashier|teacher|coach|contestant)s?`;

/** Pronouns and phrases that pick out a person. */
export const PERSON_POINTER = String.raw`(?:you|ya|u|him|her|he|she|whoever|everyone who|anyone who|this (?:guy|woman|man|lady|clown)|that (?:guy|woman|man|lady|clown))`;

/** Nouns that only ever insult a person (never a policy, a plan or an animal in the park). */
export const INSULT_PERSON = String.raw`(?:idiots?|morons?|imbeciles?|cretins?|buffoons?|jackass(?:es)?|dumbass(?:es)?|asshats?|assholes?|assclowns?|dipshits?|shitheads?|dickheads?|dirtbags?|scumbags?|sleazebags?|sleazeballs?|slimeballs?|lowlifes?|losers?|halfwits?|nitwits?|dimwits?|numbskulls?|boneheads?|knuckleheads?|meatheads?|airheads?|twits?|jerks?|creeps?|degenerates?|troglodytes?|neanderthals?|bozos?|doofus(?:es)?|dolts?|oafs?|nincompoops?|simpletons?|dunces?|ignoramus(?:es)?|douche(?:bag)?s?|wankers?|pricks?|bastards?|bitch(?:es)?|cunts?|twats?|sack of (?:shit|crap|garbage|trash)|piece of (?:shit|crap|garbage|trash|work)|waste of (?:space|oxygen|skin|air)|trust[- ]fund (?:baby|brat|kid)s?|retards?|cowards?|skanks?|nutjobs?|nutcases?|lunatics?|psychos?|psychopaths?|sociopaths?|goons?|bimbos?|hags?|a-?holes?|what an? (?:\w+ )?tool)`;
/**
 * Words that insult only when aimed at a person ("a slimy little weasel", "you clown") and are
 * otherwise literal: there are clowns at the festival, snakes on the trail, pigs at the fair.
 */
export const INSULT_FIGURATIVE = String.raw`(?:clowns?|fools?|pigs?|swine|snakes?|rats?|weasels?|worms?|parasites?|leech(?:es)?|cockroach(?:es)?|vermin|trash|garbage|tools?|sheep|puppets?|hyenas?|vultures?|maggots?|toads?|jellyfish|slugs?|donkeys?|jackals?|sloths?|baboons?|cows?|boomers?|karens?|dinosaurs?|fossils?|bootlickers?|stooges?|lapdogs?|shills?)`;
/** Modifiers that make a figurative noun an insult ("spoiled trust-fund clown", "lying snake"). */
export const INSULT_MODIFIER = String.raw`(?:miserable|vile|despicable|pathetic|sad|sorry|horrible|awful|nasty|brainless|mindless|clueless|gutless|cowardly|spineless|slimy|lying|fat|absolute|complete|total|utter|little|stupid|dumb|pathetic|useless|worthless|sneaky|dirty|filthy|greedy|two-faced|brain[- ]?dead|spineless|gutless|disgusting|ugly|lazy|bloated|smug|entitled|trust[- ]fund|sniveling|miserable|incompetent|corrupt|crooked)`;
export const INSULT_NOUN = String.raw`(?:${INSULT_PERSON}|${INSULT_FIGURATIVE})`;

/** Adjectives that insult a person (not "incompetent" or "corrupt": those judge official conduct). */
export const INSULT_ADJ = String.raw`(?:stupid|dumb|brain[- ]?dead|moronic|retarded|fat|ugly|senile|worthless|disgusting|pathetic|slimy|spineless|gutless|knuckle[- ]dragging|mouth[- ]breathing|inbred|lying|smug|spoiled|sniveling|useless)`;

/** Institutions and policies a resident may criticise (the target of a viewpoint). */
export const CIVIC_TARGET = String.raw`(?:city|town|council\w*|mayor|commission\w*|manager|administration|government|officials?|department|dept|public works|parks|police|pd|sheriff|chief|staff|clerk|director|contractor|crews?|officers?|(?:the|this|these|that|your|their) (?:ban|rules?|polic(?:y|ies)|plan|budget|decision|project|post|schedule|contract|detour|fines?|fees?|tax(?:es)?|ordinance|program|lanes|change|hearing|proposal|appointments?|process|planning|study|closure|construction|advisory|enforcement|raise|hiring|culture|information|reminder|rezoning|levy|bond|route|response|service|system|splash pad|park|spending)|you(?:r|rselves)?|y'?all|they|them)`;

/** Words that show a comment is about city business at all (off_topic never fires with one). */
export const CIVIC_WORD = String.raw`\b(?:city|council\w*|mayor|commission\w*|county|government|ordinance|permit|zoning|rezoning|tax(?:es)?|budget|vote|voting|election|ballot|levy|bond|police|officers?|fire ?(?:fighters?|department|dept)|sheriff|public works|parks?|library|street|road|roads|traffic|detour|construction|plow\w*|snow|trash|recycling|water|sewer|meeting|hearing|agenda|residents?|neighbou?rhood|crews?|staff|department|dept|program|festival|event|alert|advisory|hiring|job|apply|application|park(?:ing)?)\b`;

/**
 * Classes protected from discrimination. The first group names people directly; the second are
 * adjectives that do so only in front of a word for people ("trans people", not "black ice").
 */
const ORIGIN = String.raw`(?:hmong|laotian|cambodian|burmese|nepali|bhutanese|congolese|eritrean|yemeni|lebanese|turkish|kurdish|bosnian|albanian|romanian|roma|jamaican|dominican|colombian|brazilian|peruvian|ecuadorian|nicaraguan|persian|egyptian|moroccan|bangladeshi|taiwanese|tibetan|samoan|tongan|caucasian|mexican|somali|haitian|syrian|afghan|pakistani|arab|african|asian|hispanic|latin[oax]|puerto rican|cuban|venezuelan|guatemalan|honduran|salvadoran|filipino|vietnamese|korean|chinese|japanese|indian|russian|ukrainian|polish|nigerian|ethiopian|sudanese|iraqi|iranian|palestinian|israeli|native|indigenous|middle eastern|immigrant|migrant|refugee|foreign)`;
export const CLASS_NOUN = String.raw`(?:muslims?|islam(?:ic)?|christians?|jews|jewish|hindus?|sikhs?|buddhists?|atheists?|catholics?|mormons?|${ORIGIN}s|mexicans?|chinese|vietnamese|japanese|gypsies|illegals|foreigners?|blacks|whites|the gays|gays|lesbians?|homosexuals?|transgenders?|trannies|queers?|lgbt\w*|the disabled|cripples?|boomers|old (?:guys|people|folks|men|women|farts|timers|geezers|ladies)|anyone (?:over|older than) \d\d|real americans|people who (?:can barely|can'?t|don'?t|barely) speak english|(?:a |the )?(?:mosques?|synagogues?))`;
export const CLASS_ADJ = String.raw`(?:muslim|christian|jewish|hindu|sikh|catholic|mormon|${ORIGIN}|black|white|brown|gay|lesbian|trans|transgender|queer|drag|disabled|handicapped|autistic|deaf|blind|special needs|elderly|old)`;
export const PEOPLE_NOUN = String.raw`(?:people|persons|families|family|kids|children|men|women|folks|residents|neighbou?rs|performers|queens|workers|guys|students|applicants|officers|employees|tenants|owners|community|communities|population|immigrants|refugees|couples)`;
export const PROTECTED_CLASS = String.raw`(?:${CLASS_NOUN}|${CLASS_ADJ} ${PEOPLE_NOUN})`;

/** Web addresses, bare domains included ("shop.example.com/deal"). */
export const URL = String.raw`(?:https?:\/\/\S+|\b(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|us|info|biz|xyz|ly|gg|me|tv|shop|store|app|link)\b(?:\/\S*)?)`;
