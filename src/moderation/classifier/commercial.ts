// Commercial solicitation: advertising a business, product or scheme. Prices, links, phone
// numbers and business names each appear in lawful comments ("a $1,000 fine", "the lot by Hollis
// Hardware", a petition link), so single weak signals stay below the threshold and an ad is
// recognised by several together (a price with "only", "order at" a shop link, "Venmo
// accepted"). Get-rich, crypto, MLM and dating schemes are ads on their own and are also marked
// `spam` for the off_topic detector.
import { runRules, spanF, type Context, type Hit, type Rule } from './context.js';
import { URL } from './lexicon.js';

export const SPAM_RULES: Rule[] = [
  { id: 'get-rich-scheme', re: /\b(?:trading bot|passive income|financial freedom|be your own boss|work from home|from home with|join my team|(?:make|earn|making|earning) \$\d[\d,]*k?(?: ?\/ ?| per | a | an | )?(?:day|week|hour|hr|month|daily|weekly|monthly|from (?:home|your couch|your phone))|earn \$+|to the moon|guaranteed returns?|double your money|no experience (?:needed|required|necessary))/g, needles: ['making $', 'earning $', 'no experience', 'trading bot', 'passive income', 'financial freedom', 'own boss', 'from home', 'join my team', 'make $', 'earn $', 'to the moon', 'guaranteed return', 'double your money'], confidence: 0.55 },
  { id: 'dating-spam', re: /\b(?:hot|sexy|lonely) (?:local )?singles\b|\bhookupnow\b/g, needles: ['singles', 'hookupnow'], confidence: 0.55 },
];

const RULES: Rule[] = [
  ...SPAM_RULES,
  { id: 'crypto', re: /\b(?:crypto(?:currenc(?:y|ies)|s)?|bitcoin|btc|forex|nft|dogecoin|ethereum)\b/g, needles: ['crypto', 'bitcoin', 'btc', 'forex', 'nft', 'doge', 'ethereum'], confidence: 0.3 },
  // Selling followers, likes or views is the commonest spam on a city's page, and never civic.
  { id: 'engagement-for-sale', re: /\b(?:buy|cheap|instant|free)\b(?:\W+\w+){0,2}?\W+(?:followers|likes|views|subscribers|retweets)\b/g, needles: ['followers', 'likes', 'views', 'subscribers', 'retweets'], confidence: 0.5 },
  { id: 'promo-code', re: /\b(?:promo|discount|coupon) code\b|\buse (?:my )?code\b|\blink in (?:my )?bio\b|\b\d{1,2} ?% off\b/g, needles: ['code', 'link in', '% off', '%off'], confidence: 0.5 },
  { id: 'call-to-buy', re: /\b(?:order|shop|buy|book) (?:now|today|online|at|here)\b|\bsign up (?:now|today)\b|\b(?:dm|message|inbox|pm|text|call) (?:me|us)?\s*(?:to (?:buy|order|book)|['"]?\w+['"]? for (?:free|more|info|access|pricing|details))\b|\bcall (?:us )?(?:now|today)\b|\bvisit (?:our|us)\b|\b(?:call|text) (?:us |me )?(?:at |now |today )?(?:\(?\d{3}\)?[-. ])?\d{3}[-. ]\d{4}\b|\bget (?:yours|your (?:\w+ ){0,3}?(?:today|now))\b|\bmessage me to (?:learn|find out|get|join)\b|\bcall (?:\S+ ){1,4}?(?:today|now)\b|\bcall (?:\S+ ){0,3}?for (?:a |your )?(?:free|quote|estimate)\b|\bsign up (?:at|here)\b|\bask me how\b/g, needles: ['ask me how', 'order', 'shop', 'buy', 'book', 'sign up', 'dm', 'message', 'inbox', 'pm', 'text', 'call', 'visit', 'get your', 'get yours'], confidence: 0.35 },
  { id: 'sales-pressure', re: /\blimited (?:stock|time|offer|supply|spots)\b|\b(?:before|while) (?:they|supplies) (?:sell out|last)\b|\b(?:this|today) (?:week|weekend|day|month) only\b|\bact (?:now|fast)\b|\bfree (?:\w+ )?(?:shipping|trial|estimate|estimates|quote|quotes|consultation|in-home|access|test|delivery|inspection)\b|\bdon'?t miss out\b|\bno money down\b|\bfirst (?:month|week|visit|lesson|class|order) (?:is )?free\b|\bavailable (?:now|today)\b/g, needles: ['available', 'limited', 'sell out', 'supplies', 'only', 'act now', 'act fast', 'free', 'miss out', 'no money down'], confidence: 0.35 },
  { id: 'price-offer', re: /\$\d[\d,]*\.\d\d\b|\b\d+ for \$\d+|\$\d[\d,.]* ?(?:\/|per|a|an|each) ?(?:day|hr|hour|week|month|driveway|pack|lawn|yard|visit|session|person|bag|load|item)\b|\b(?:only|just|starting at|special|deal|sale|from) \$\d|\$\d[\d,.]* ?(?:obo|or best offer|firm|each|a (?:cup|piece|bag|box|dozen|pound|jar|bottle|slice))\b|\bobo\b/g, needles: ['$', 'obo'], confidence: 0.35 },
  { id: 'offers-goods', re: /\bselling (?:a |my |our |some |homemade |fresh |handmade |used |barely used )+\w+|\bfor sale\b|\bcome (?:by|stop by|check us out)\b|\b(?:stop|swing) by (?:our|the|my) (?:booth|table|stand|shop|truck)\b/g, needles: ['selling', 'for sale', 'come by', 'stop by', 'swing by', 'check us out'], confidence: 0.3 },
  { id: 'payment-terms', re: /\b(?:venmo|cash ?app|zelle|paypal)(?: accepted| only)?\b|\bcash only\b|\bwe accept\b|\blicensed (?:and|&) insured\b|\bsame[- ]day (?:service)?\b|\bany size\b|\bfree (?:pickup|removal)\b/g, needles: ['venmo', 'cash app', 'cashapp', 'zelle', 'paypal', 'we accept', 'cash only', 'licensed', 'same day', 'same-day', 'any size', 'free pickup', 'free removal'], confidence: 0.3 },
  { id: 'business-pitch', re: /\b(?:our|my) (?:business|shop|store|booth|company|products?|services|menu|catering|team)\b|\b(?:come|catch|find|visit) (?:find |visit |see )?(?:us|our (?:food truck|truck|booth|stand|table|shop|store|restaurant|bakery|salon|cart))\b|\bfollow (?:us |me )?(?:on \w+ )?@\w+|\bbooth (?:#\s?)?\d+\b|\bfollow (?:us )?@\w+ for\b|\btell 'em \w+ sent you\b|\b(?:llc|inc)\b|\bwe can (?:lower|fix|help|save|get|handle|remove|clean|install)\b|\bmy (?:program|course|system|method|coaching)\b/g, needles: ['we can', 'our ', 'my ', 'come', 'catch', 'find', 'visit', 'follow', 'booth', "tell 'em", 'llc', 'inc'], confidence: 0.3 },
  { id: 'shop-link', re: new RegExp(String.raw`(?:https?:\/\/)?[a-z0-9-]*(?:deal|shop|store|buy|sale|promo|discount|mart|market|essentials|offer|rental|outlet)[a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|us|shop|store|biz)\b`, 'g'), needles: ['deal', 'shop', 'store', 'buy', 'sale', 'promo', 'discount', 'mart', 'market', 'essentials', 'offer', 'rental', 'outlet'], confidence: 0.45 },
  { id: 'business-name', re: /\b[A-Z][\w'’]+ (?:Bros\.?|Brothers|LLC|Inc\.?|Co\.|Services|Solutions|Essentials|Enterprises|Deals|Pros|Experts|Rentals|Realty|Plumbing|Roofing|Landscaping|Motors|Shop|Store|Boutique|Bakery|Salon|Alarms|Security|Solar|Heating|Cooling|Electric|Insurance|Lending|Loans|Dental|Fitness|Cleaning|Movers|Filters)(?!\w)/g, confidence: 0.3, clean: true },
  { id: 'service-offer', re: /\b(?:junk removal|snow removal|lawn care|lawn service|house cleaning|tree (?:trimming|removal)|pressure washing|handyman|roofing|gutter cleaning|movers|towing|catering|bookkeeping|tax prep|hvac|ac (?:tune-?ups?|repair|installation)|tune-?ups?|solar (?:panels?|quotes?|installation))\b/g, confidence: 0.25 },
  { id: 'phone-number', re: /(?<![\d-])(?:\(\d{3}\) ?|\d{3}[-. ])?\d{3}[-. ]\d{4}(?![\d-])/g, confidence: 0.2, clean: true },
  { id: 'money-emoji', re: /💰|💵|🤑|💸/g, needles: ['💰', '💵', '🤑', '💸'], confidence: 0.2 },
  { id: 'link', re: new RegExp(URL, 'g'), needles: ['.'], confidence: 0.1 },
];

/**
 * Ad signals add up as independent evidence (noisy-or over the distinct rules that fired), so
 * three weak signals (0.3 each) make 0.66 and one never passes alone.
 */
// A link to the brand the comment names ("ParkEasy ... parkeasy.example.com"): self-promotion.
function brandLink(ctx: Context): Hit | null {
  for (const m of ctx.f.matchAll(/\b([a-z0-9]{4,})[a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|co|us|shop|store|biz)\b/g)) {
    const brand = m[1] ?? '';
    const named = new RegExp(String.raw`\b[A-Z][A-Za-z]*\s?[A-Z]?[A-Za-z]*\b`, 'g');
    for (const w of ctx.c.matchAll(named)) {
      if (w[0].replace(/\s/g, '').toLowerCase() === brand && w.index !== undefined && Math.abs(w.index - (m.index ?? 0)) > 3) {
        return { rule: 'links-its-own-brand', confidence: 0.35, spans: [spanF(ctx, m.index ?? 0, (m.index ?? 0) + m[0].length)] };
      }
    }
  }
  return null;
}

export function detectCommercial(ctx: Context): Hit[] {
  const hits = runRules(ctx, RULES);
  const brand = ctx.f.length < 5000 ? brandLink(ctx) : null;
  if (brand) hits.push(brand);
  if (hits.length >= 2) {
    const miss = hits.reduce((p, h) => p * (1 - h.confidence), 1);
    const combined = Math.min(0.95, 1 - miss);
    if (combined > Math.max(...hits.map((h) => h.confidence))) {
      hits.push({ rule: `signals:${hits.map((h) => h.rule).join('+')}`, confidence: combined, spans: hits.flatMap((h) => h.spans).slice(0, 6) });
    }
  }
  return hits;
}
