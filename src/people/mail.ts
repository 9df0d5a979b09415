// E-mail to staff, through an outbox. queueMail writes a row inside the transaction of the change
// it announces (like notify()), so nobody is e-mailed about a change that was rolled back, and a
// committed change's mail survives a crash or an SMTP outage. sendPendingMail (a job every 30 s)
// delivers due rows over SMTP and records the outcome on the row.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import nodemailer from 'nodemailer';
import type { DB } from '../db/schema.js';

export type { MailOutboxTable, MailStatus } from '../db/schema.js';

export interface MailInput {
  orgId: string;
  /** A staff member: their address is looked up unless toAddress is given; disabled staff get nothing. */
  toUserId?: string;
  toAddress?: string;
  subject: string;
  text: string;
  html?: string;
  /** Default: now. Pass the command's clock so the outbox agrees with the change's events. */
  at?: Date;
}

export interface MailLogger {
  warn(msg: string): void;
}

export const DEFAULT_MAIL_FROM = 'CivicDesk <no-reply@localhost>';
export const DEFAULT_PUBLIC_URL = 'http://localhost:3000';
export const MAX_MAIL_ATTEMPTS = 5;
const MINUTE = 60_000;
/** Wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final. */
const RETRY_DELAYS_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE];
/**
 * A row being sent is leased by pushing send_after this far ahead, so a second sender (another
 * server, an overlapping job run) skips it. If the process dies mid-send, the row is tried again
 * after the lease: delivery is at-least-once.
 */
const SEND_LEASE_MS = 10 * MINUTE;

/** Queues one message inside the caller's transaction. Returns its outbox id, or null if skipped. */
export async function queueMail(trx: Transaction<DB>, input: MailInput): Promise<string | null> {
  let address = input.toAddress;
  if (input.toUserId) {
    const user = await trx.selectFrom('users').select(['email', 'status'])
      .where('org_id', '=', input.orgId).where('id', '=', input.toUserId).executeTakeFirst();
    // A user id from another city (or none) is a caller's bug; better loud here than mail astray.
    if (!user) throw new Error(`queueMail: no user ${input.toUserId} in city ${input.orgId}`);
    if (user.status !== 'active') return null;
    address ??= user.email;
  }
  if (!address) throw new Error('queueMail: give toUserId or toAddress');
  const city = await trx.selectFrom('organizations').select('name').where('id', '=', input.orgId).executeTakeFirst();
  const cityName = city?.name ?? 'your city';
  const at = (input.at ?? new Date()).toISOString();
  const id = randomUUID();
  await trx.insertInto('mail_outbox').values({
    id, org_id: input.orgId, to_address: address, to_user_id: input.toUserId ?? null,
    // Header folding is the transport's job, but a line break in a subject is never intended.
    subject: input.subject.replace(/\s+/g, ' ').trim(),
    text_body: `${input.text.trimEnd()}\n\n${textFooter(cityName)}`,
    html_body: input.html ? `${input.html}\n${htmlFooter(cityName)}` : null,
    created_at: at, send_after: at, status: 'pending', attempts: 0,
    last_error: null, sent_at: null, message_id: null,
  }).execute();
  return id;
}

/**
 * The e-mail twin of notify(): one message per distinct user (disabled users skipped), with an
 * optional in-app link made absolute against CIVICDESK_PUBLIC_URL.
 */
export async function queueMailForUsers(
  trx: Transaction<DB>, orgId: string, userIds: string[], subject: string, text: string,
  link?: string | null, opts: { at?: Date } = {},
): Promise<string[]> {
  const url = link ? absoluteLink(link) : null;
  const fullText = url ? `${text}\n\nOpen in CivicDesk: ${url}` : text;
  const html = `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`
    + (url ? `\n<p><a href="${escapeHtml(url)}">Open in CivicDesk</a></p>` : '');
  const ids: string[] = [];
  for (const toUserId of [...new Set(userIds)]) {
    const id = await queueMail(trx, { orgId, toUserId, subject, text: fullText, html, at: opts.at });
    if (id) ids.push(id);
  }
  return ids;
}

export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CIVICDESK_PUBLIC_URL || DEFAULT_PUBLIC_URL).replace(/\/+$/, '');
}

/** '/requests/1' → 'https://desk.city.gov/requests/1'; keeps a path prefix in the base URL. */
export function absoluteLink(link: string, base = publicBaseUrl()): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return link;
  return `${base}${link.startsWith('/') ? '' : '/'}${link}`;
}

// Honest about what the recipient can do today: there is no per-person mail setting yet.
function textFooter(city: string): string {
  return [
    '-- ',
    `CivicDesk for ${city}. You receive this because you have a staff account in CivicDesk for ${city}.`,
    'E-mail notifications cannot be changed or turned off in CivicDesk yet; if you should not get them, ask your CivicDesk administrator.',
  ].join('\n');
}

function htmlFooter(city: string): string {
  const c = escapeHtml(city);
  return `<hr><p style="font-size:smaller;color:#555">CivicDesk for ${c}. You receive this because you have a staff account in CivicDesk for ${c}.<br>`
    + 'E-mail notifications cannot be changed or turned off in CivicDesk yet; if you should not get them, ask your CivicDesk administrator.</p>';
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// --- Sending -------------------------------------------------------------------------------------

export interface MailConfig {
  /** smtp://user:pass@host:587 or smtps://...:465. Unset: mail stays queued. */
  smtpUrl?: string;
  from: string;
}

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig {
  return { smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM || DEFAULT_MAIL_FROM };
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

export interface Mailer {
  /** False when no usable SMTP_URL is set: nothing is sent and mail waits in the outbox. */
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

let warnedUnconfigured = false;

/** Never throws: a server without mail still starts, and says once, clearly, that mail waits. */
export function createMailer(config: MailConfig = mailConfigFromEnv(), log: MailLogger = console): Mailer {
  const problem = smtpUrlProblem(config.smtpUrl);
  if (problem) {
    if (!warnedUnconfigured) {
      warnedUnconfigured = true;
      log.warn(`E-mail is not sent: ${problem}. Approvers still get in-app notifications; e-mail waits in the outbox and goes out once SMTP_URL is set (e.g. smtp://user:pass@mail.example.gov:587) and CivicDesk is restarted.`);
    }
    return { configured: false, send: async () => { throw new Error('SMTP is not configured'); }, close: () => undefined };
  }
  // nodemailer waits up to 2 minutes to connect and 10 minutes on a silent socket by default;
  // a stalled server should fail this attempt and be retried later instead.
  const transport = nodemailer.createTransport(
    { url: config.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 },
    { from: config.from },
  );
  return {
    configured: true,
    async send(mail) {
      const info = await transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? undefined });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

function smtpUrlProblem(smtpUrl: string | undefined): string | null {
  if (!smtpUrl) return 'SMTP_URL is not set';
  try {
    const { protocol } = new URL(smtpUrl);
    return protocol === 'smtp:' || protocol === 'smtps:' ? null : 'SMTP_URL must start with smtp:// or smtps://';
  } catch {
    // The URL may hold a password: describe the problem without echoing it.
    return 'SMTP_URL is not a valid URL';
  }
}

export interface SendResult {
  sent: number;
  /** Failed this time, will be tried again later. */
  retried: number;
  /** Given up: MAX_MAIL_ATTEMPTS failures, or the recipient was disabled after queueing. */
  failed: number;
}

export async function sendPendingMail(
  db: Kysely<DB>, mailer: Mailer, opts: { now?: Date; batch?: number } = {},
): Promise<SendResult> {
  const result: SendResult = { sent: 0, retried: 0, failed: 0 };
  if (!mailer.configured) return result;
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const mdb = db;
  const due = await mdb.selectFrom('mail_outbox').leftJoin('users', 'users.id', 'mail_outbox.to_user_id')
    .select(['mail_outbox.id', 'mail_outbox.to_address', 'mail_outbox.subject', 'mail_outbox.text_body',
      'mail_outbox.html_body', 'mail_outbox.attempts', 'mail_outbox.send_after', 'users.status as user_status'])
    .where('mail_outbox.status', '=', 'pending').where('mail_outbox.send_after', '<=', nowIso)
    .orderBy('mail_outbox.send_after').orderBy('mail_outbox.id').limit(opts.batch ?? 50).execute();

  for (const row of due) {
    const claimed = await mdb.updateTable('mail_outbox')
      .set({ send_after: new Date(now.getTime() + SEND_LEASE_MS).toISOString() })
      .where('id', '=', row.id).where('status', '=', 'pending').where('send_after', '=', row.send_after)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue; // another sender has it
    if (row.user_status === 'disabled') {
      // Disabled between queueing and sending: they get nothing, and the row says why.
      await mdb.updateTable('mail_outbox').set({ status: 'failed', last_error: 'recipient was disabled before the mail was sent' })
        .where('id', '=', row.id).execute();
      result.failed++;
      continue;
    }
    const attempts = row.attempts + 1;
    try {
      const { messageId } = await mailer.send({ to: row.to_address, subject: row.subject, text: row.text_body, html: row.html_body });
      await mdb.updateTable('mail_outbox')
        .set({ status: 'sent', attempts, sent_at: nowIso, message_id: messageId, last_error: null })
        .where('id', '=', row.id).execute();
      result.sent++;
    } catch (err) {
      const error = errorText(err);
      if (attempts >= MAX_MAIL_ATTEMPTS) {
        await mdb.updateTable('mail_outbox').set({ status: 'failed', attempts, last_error: error }).where('id', '=', row.id).execute();
        result.failed++;
      } else {
        const retryAt = new Date(now.getTime() + RETRY_DELAYS_MS[attempts - 1]).toISOString();
        await mdb.updateTable('mail_outbox').set({ attempts, last_error: error, send_after: retryAt }).where('id', '=', row.id).execute();
        result.retried++;
      }
    }
  }
  return result;
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}
