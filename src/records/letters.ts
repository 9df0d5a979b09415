// The letters a records request needs, as plain text (readable by any screen reader, printable,
// pasteable into an e-mail: BZ-13 asks for an accessible format). Pure functions of the pack and
// the request, so the same request always gives the same letter. Exemptions are quoted from the
// pack with their citations; nothing here invents a legal right the pack does not state.
import type { RecordsRequestsTable } from '../db/schema.js';
import type { PolicyPack, RecordsExemption } from '../policy/pack.schema.js';
import { roleTitle } from '../policy/pack.summary.js';
import { cityDate } from './clock.js';
import { money, recordsRules } from './requests.shared.js';

export const LETTER_KINDS = ['acknowledgement', 'denial', 'cover'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

/** What was withheld, per exemption code: whole records excluded and spans redacted. */
export interface Withholding {
  code: string;
  records: number;
  redactions: number;
}

export interface ProductionContents {
  records: number;
  redactedCopies: number;
  withheld: Withholding[];
  /** A paragraph the custodian adds (for example how the records were searched). */
  note?: string | null;
}

function longDate(isoDate: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })
    .format(new Date(`${isoDate}T00:00:00Z`));
}

function header(pack: PolicyPack, r: RecordsRequestsTable, subject: string, now: Date): string[] {
  return [
    pack.city.name, longDate(cityDate(now, pack.city.timeZone)), '',
    `To: ${r.requester_name} (${r.requester_contact})`,
    `Re: ${subject}, public records request ${r.number}`, '',
    `Dear ${r.requester_name},`, '',
  ];
}

function signature(pack: PolicyPack): string[] {
  const rules = recordsRules(pack);
  return ['', 'Sincerely,', '', roleTitle(pack, rules.custodianRole), pack.city.name];
}

function exemptionLines(pack: PolicyPack, withheld: readonly Withholding[]): string[] {
  const byCode = new Map<string, RecordsExemption>(recordsRules(pack).exemptions.map((e) => [e.code, e]));
  return withheld.map((w) => {
    const e = byCode.get(w.code);
    const what = [w.records ? `${w.records} record(s) withheld` : '', w.redactions ? `${w.redactions} passage(s) redacted` : ''].filter(Boolean).join(', ');
    return `- ${e?.label ?? w.code} [${w.code}]: ${e?.citation ?? 'exemption no longer in the policy pack'}${what ? ` (${what})` : ''}`;
  });
}

function clockSentence(r: RecordsRequestsTable): string {
  const unit = r.clock_business === 1 ? 'business days' : 'days';
  return `Under ${r.clock_statute}, we will answer by ${longDate(r.due_on)} (${r.clock_days} ${unit} from the day we received it).`;
}

export function acknowledgementLetter(pack: PolicyPack, r: RecordsRequestsTable, now: Date): string {
  const received = longDate(cityDate(new Date(r.received_at), pack.city.timeZone));
  const estimates = [
    r.fee_estimate_cents !== null ? `We estimate the fee at ${money(r.fee_estimate_cents)}.` : 'We will tell you of any fee before we incur it.',
    r.time_estimate_hours !== null ? `We estimate the work at ${r.time_estimate_hours} hour(s).` : '',
  ].filter(Boolean);
  return [
    ...header(pack, r, 'Acknowledgement', now),
    `The ${pack.city.name} received your request on ${received} for:`, '', `  ${r.scope}`, '',
    clockSentence(r), ...estimates, '',
    `Please quote ${r.number} when you write to us about this request.`,
    ...signature(pack),
  ].join('\n');
}

/** `whole`: the request was denied outright; otherwise records were produced with some withheld. */
export function denialLetter(pack: PolicyPack, r: RecordsRequestsTable, withheld: readonly Withholding[], explanation: string | null, whole: boolean, now: Date): string {
  return [
    ...header(pack, r, whole ? 'Denial' : 'Partial denial', now),
    `You asked for: ${r.scope}`, '',
    whole
      ? 'We cannot release the records you asked for. The law that requires us to withhold them:'
      : 'We are releasing the records you asked for, except for the records and passages withheld under the law below:',
    '', ...exemptionLines(pack, withheld),
    ...(explanation ? ['', explanation] : []),
    '', `Please quote ${r.number} if you have questions about this decision.`,
    ...signature(pack),
  ].join('\n');
}

export function coverLetter(pack: PolicyPack, r: RecordsRequestsTable, c: ProductionContents, now: Date): string {
  const redacted = c.redactedCopies
    ? [`${c.redactedCopies} of them are copies with passages redacted; each redaction is marked in the text as [REDACTED: code], and the codes are:`, '', ...exemptionLines(pack, c.withheld.filter((w) => w.redactions > 0))]
    : [];
  const excluded = c.withheld.filter((w) => w.records > 0);
  return [
    ...header(pack, r, 'Records produced', now),
    `You asked for: ${r.scope}`, '',
    `Enclosed are ${c.records} record(s) from the City's archive of its official social media.`,
    ...redacted,
    ...(excluded.length ? ['', 'Some records were withheld in full:', '', ...exemptionLines(pack, excluded)] : []),
    ...(r.fee_estimate_cents !== null ? ['', `Fee: ${money(r.fee_estimate_cents)}.`] : []),
    ...(c.note ? ['', c.note] : []),
    '', 'Each record is copied from the City\'s archive, where the original is kept unchanged.',
    ...signature(pack),
  ].join('\n');
}
