// E-mail through the outbox against a real SMTP server on 127.0.0.1: mail queued in a committed
// transaction arrives, mail queued in a rolled-back one never leaves, an SMTP outage is retried
// with backoff, a refusing server is given up on after five attempts, disabled staff get nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { randomUUID } from 'node:crypto';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import type { DB } from '../db/schema.js';
import {
  absoluteLink, createMailer, MAX_MAIL_ATTEMPTS, queueMail, queueMailForUsers, sendPendingMail,
  type Mailer,
} from './mail.js';

interface Received {
  envelopeTo: string[];
  to: string;
  subject: string;
  messageId: string;
  text: string;
  html: string | null;
}

interface TestSmtp {
  port: number;
  received: Received[];
  close(): Promise<void>;
}

/** Addresses starting "refuse" are refused at RCPT TO with a permanent error, like a bad mailbox. */
async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refuse')) {
        callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ ...parseMessage(Buffer.concat(chunks).toString('utf8')), envelopeTo: session.envelope.rcptTo.map((r) => r.address) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Just enough MIME for what nodemailer writes: unfolded headers, multipart/alternative, and
// quoted-printable or base64 bodies.
function parseMessage(raw: string): Omit<Received, 'envelopeTo'> {
  const { headers, body } = splitPart(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const parts = type.startsWith('multipart/') ? multipartParts(body, type) : [{ headers, body }];
  const partOf = (mime: string) => {
    const part = parts.find((p) => (p.headers.get('content-type') ?? 'text/plain').startsWith(mime));
    return part ? decodeBody(part.body, part.headers.get('content-transfer-encoding')) : null;
  };
  return {
    to: headers.get('to') ?? '', subject: headers.get('subject') ?? '', messageId: headers.get('message-id') ?? '',
    text: partOf('text/plain') ?? '', html: partOf('text/html'),
  };
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const normalized = raw.replace(/\r\n/g, '\n');
  const end = normalized.indexOf('\n\n');
  const head = end < 0 ? normalized : normalized.slice(0, end);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: end < 0 ? '' : normalized.slice(end + 2) };
}

function multipartParts(body: string, type: string): Array<{ headers: Map<string, string>; body: string }> {
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary) return [];
  return body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).map((p) => splitPart(p.replace(/^\n/, '')));
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? '7bit').toLowerCase();
  if (enc === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (enc === 'quoted-printable') {
    const bytes = body.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25')).trimEnd();
  }
  return body.trimEnd();
}

describe('mail without SMTP and links', () => {
  it('warns once, clearly, and does not throw when SMTP_URL is unset', () => {
    const warn = vi.fn<(msg: string) => void>();
    const a = createMailer({ from: 'CivicDesk <no-reply@localhost>' }, { warn });
    const b = createMailer({ from: 'CivicDesk <no-reply@localhost>' }, { warn });
    expect(a.configured).toBe(false);
    expect(b.configured).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/SMTP_URL is not set.*in-app notifications.*outbox/);
  });

  it('makes a link absolute against the public URL, keeping its path', () => {
    expect(absoluteLink('/requests/7', 'https://desk.example.gov/civicdesk')).toBe('https://desk.example.gov/civicdesk/requests/7');
    expect(absoluteLink('requests/7', 'http://localhost:3000')).toBe('http://localhost:3000/requests/7');
    expect(absoluteLink('https://elsewhere.example/x', 'http://localhost:3000')).toBe('https://elsewhere.example/x');
  });
});

// Mail needs only a city and its staff rows, not a policy pack or roles, so they are inserted
// directly (and the test does not depend on the HTTP app).
async function insertCity(db: Kysely<DB>, name: string): Promise<string> {
  const id = randomUUID();
  await db.insertInto('organizations').values({
    id, slug: `c-${id.slice(0, 8)}`, name, pack_id: 'test', pack_version: '1', created_at: new Date().toISOString(),
  }).execute();
  return id;
}

async function insertUser(db: Kysely<DB>, orgId: string, email: string): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db.insertInto('users').values({
    id, org_id: orgId, email, display_name: email, department_id: null, password_hash: 'x', password_changed_at: now,
    totp_secret: null, totp_enabled: 0, totp_last_step: null, totp_pending_secret: null, recovery_codes: '[]',
    status: 'active', failed_logins: 0, locked_until: null, created_at: now,
  }).execute();
  return id;
}

describe.each(await availableBackends())('mail on %s', (backend) => {
  let database: TestDatabase;
  let db: Kysely<DB>;
  let city: { orgId: string };
  let smtp: TestSmtp;
  let mailer: Mailer;
  let approverId = '';
  const approverEmail = 'approver@example.test';
  const at = (iso: string) => new Date(iso);

  const rows = (subject: string) =>
    db.selectFrom('mail_outbox').selectAll()
      .where('subject', '=', subject).execute();
  const receivedWith = (subject: string) => smtp.received.filter((m) => m.subject === subject);
  const queue = (subject: string, when: Date, extra: { toUserId?: string; toAddress?: string } = { toUserId: approverId }) =>
    db.transaction().execute((trx) => queueMail(trx, { orgId: city.orgId, subject, text: `Body of ${subject}.`, at: when, ...extra }));

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    db = database.db;
    city = { orgId: await insertCity(db, 'City of Testville') };
    approverId = await insertUser(db, city.orgId, approverEmail);
    smtp = await startSmtp();
    mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'CivicDesk <no-reply@localhost>' });
  });

  afterAll(async () => {
    mailer?.close();
    await smtp?.close();
    await database?.dispose();
  });

  it('delivers mail queued in a committed transaction, with the footer naming the city', async () => {
    const cityName = 'City of Testville';
    const when = at('2030-01-01T09:00:00Z');
    await queue('Request awaits you', when);
    expect(await sendPendingMail(db, mailer, { now: when })).toEqual({ sent: 1, retried: 0, failed: 0 });

    const [msg] = receivedWith('Request awaits you');
    expect(msg.envelopeTo).toEqual([approverEmail]);
    expect(msg.to).toContain(approverEmail);
    expect(msg.text).toContain('Body of Request awaits you.');
    expect(msg.text).toContain(`CivicDesk for ${cityName}`);
    expect(msg.text).toMatch(/cannot be changed or turned off in CivicDesk yet/);
    expect(msg.html).toBeNull();
    const [row] = await rows('Request awaits you');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, to_user_id: approverId, last_error: null, sent_at: when.toISOString() });
    expect(msg.messageId).toBe(row.message_id);
    // Sent once only.
    expect(await sendPendingMail(db, mailer, { now: at('2030-01-02T00:00:00Z') })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(receivedWith('Request awaits you')).toHaveLength(1);
  });

  it('never sends mail queued in a transaction that rolled back', async () => {
    const when = at('2030-01-03T09:00:00Z');
    await expect(db.transaction().execute(async (trx) => {
      await queueMail(trx, { orgId: city.orgId, toUserId: approverId, subject: 'Rolled back', text: 'Never.', at: when });
      throw new Error('the approval failed');
    })).rejects.toThrow('the approval failed');
    expect(await sendPendingMail(db, mailer, { now: when })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(await rows('Rolled back')).toHaveLength(0);
    expect(receivedWith('Rolled back')).toHaveLength(0);
  });

  it('sends one message per user with an absolute link and an HTML alternative', async () => {
    vi.stubEnv('CIVICDESK_PUBLIC_URL', 'https://desk.example.gov/civicdesk/');
    try {
      const when = at('2030-01-04T09:00:00Z');
      const ids = await db.transaction().execute((trx) =>
        queueMailForUsers(trx, city.orgId, [approverId, approverId], 'Decision needed', 'A request <waits> for you.', '/requests/r1', { at: when }));
      expect(ids).toHaveLength(1);
      await sendPendingMail(db, mailer, { now: when });
      const [msg] = receivedWith('Decision needed');
      expect(msg.text).toContain('A request <waits> for you.');
      expect(msg.text).toContain('Open in CivicDesk: https://desk.example.gov/civicdesk/requests/r1');
      expect(msg.html).toContain('A request &lt;waits&gt; for you.');
      expect(msg.html).toContain('href="https://desk.example.gov/civicdesk/requests/r1"');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('keeps mail queued while SMTP is down, backs off, and delivers once it is back', async () => {
    const when = at('2030-01-05T09:00:00Z');
    await queue('Outage', when);
    const port = smtp.port;
    const { received } = smtp;
    await smtp.close();

    expect(await sendPendingMail(db, mailer, { now: when })).toEqual({ sent: 0, retried: 1, failed: 0 });
    let [row] = await rows('Outage');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, send_after: '2030-01-05T09:01:00.000Z' });
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    // Not due again before the backoff has passed.
    expect(await sendPendingMail(db, mailer, { now: at('2030-01-05T09:00:30Z') })).toEqual({ sent: 0, retried: 0, failed: 0 });
    // Still down a minute later: the next wait is five minutes.
    expect(await sendPendingMail(db, mailer, { now: at('2030-01-05T09:01:00Z') })).toEqual({ sent: 0, retried: 1, failed: 0 });
    [row] = await rows('Outage');
    expect(row).toMatchObject({ status: 'pending', attempts: 2, send_after: '2030-01-05T09:06:00.000Z' });

    smtp = await startSmtp(port);
    smtp.received.push(...received);
    expect(await sendPendingMail(db, mailer, { now: at('2030-01-05T09:06:00Z') })).toEqual({ sent: 1, retried: 0, failed: 0 });
    [row] = await rows('Outage');
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(receivedWith('Outage')).toHaveLength(1);
  });

  it(`gives up after ${MAX_MAIL_ATTEMPTS} failures and keeps the SMTP error`, async () => {
    const when = at('2030-01-06T09:00:00Z');
    await queue('Refused', when, { toAddress: 'refuse-me@example.test' });
    let now = when;
    for (let attempt = 1; attempt <= MAX_MAIL_ATTEMPTS; attempt++) {
      const result = await sendPendingMail(db, mailer, { now });
      expect(result).toEqual(attempt < MAX_MAIL_ATTEMPTS ? { sent: 0, retried: 1, failed: 0 } : { sent: 0, retried: 0, failed: 1 });
      now = new Date((await rows('Refused'))[0].send_after);
    }
    const [row] = await rows('Refused');
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_MAIL_ATTEMPTS, sent_at: null });
    expect(row.last_error).toMatch(/550.*mailbox unavailable/);
    expect(await sendPendingMail(db, mailer, { now: at('2031-01-01T00:00:00Z') })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(receivedWith('Refused')).toHaveLength(0);
  });

  it('sends nothing to a disabled user, whether disabled before queueing or before sending', async () => {
    const leaverId = await insertUser(db, city.orgId, 'leaver@example.test');
    const lateId = await insertUser(db, city.orgId, 'late-leaver@example.test');
    await db.updateTable('users').set({ status: 'disabled' }).where('id', '=', leaverId).execute();

    const when = at('2030-01-07T09:00:00Z');
    expect(await queue('To a leaver', when, { toUserId: leaverId })).toBeNull();
    const ids = await db.transaction().execute((trx) =>
      queueMailForUsers(trx, city.orgId, [leaverId, lateId], 'To both', 'Hello.', null, { at: when }));
    expect(ids).toHaveLength(1);
    await db.updateTable('users').set({ status: 'disabled' }).where('id', '=', lateId).execute();

    expect(await sendPendingMail(db, mailer, { now: when })).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await rows('To a leaver')).toHaveLength(0);
    const [row] = await rows('To both');
    expect(row).toMatchObject({ status: 'failed', to_user_id: lateId, last_error: 'recipient was disabled before the mail was sent' });
    expect(smtp.received.filter((m) => m.subject === 'To a leaver' || m.subject === 'To both')).toHaveLength(0);
  });

  it('leaves mail queued when SMTP is not configured', async () => {
    const when = at('2030-01-08T09:00:00Z');
    await queue('Unconfigured', when);
    const off = createMailer({ from: 'CivicDesk <no-reply@localhost>' }, { warn: () => undefined });
    expect(await sendPendingMail(db, off, { now: when })).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect((await rows('Unconfigured'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await sendPendingMail(db, mailer, { now: when })).toEqual({ sent: 1, retried: 0, failed: 0 });
  });
});
