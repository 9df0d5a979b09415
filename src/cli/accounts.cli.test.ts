import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { registerAccountCommands } from './accounts.cli.js';
import { CliError } from './main.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { addTestAdmin, insertTestAccount, userIdByEmail } from '../accounts/fixtures.js';
import { isPublishingAllowed } from '../accounts/accounts.commands.js';

let out: string;
let data: string;
let city: TestCity;
let accountId: string;

/** Runs `civicdesk account …` as main.ts would, returning the exit code. */
async function run(args: string[]): Promise<number> {
  const program = new Command('civicdesk').exitOverride().configureOutput({ writeErr: (s) => { out += s; } });
  registerAccountCommands(program);
  try {
    await program.parseAsync(['account', ...args, '--data', data], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      out += `ERROR ${err.message}\n`;
      return err.exitCode;
    }
    throw err;
  }
}

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  data = mkdtempSync(join(tmpdir(), 'civicdesk-account-cli-'));
  const database = await openConfiguredDatabase(runtimeConfig({ data }));
  try {
    city = await createTestCity(database.db, 'kalispell-mt', { slug: 'kalispell' });
    accountId = await insertTestAccount(database.db, city.orgId, { handle: 'KalispellCity', profile_url: 'https://facebook.com/KalispellCity' });
    await insertTestAccount(database.db, city.orgId, { platform: 'twitter', handle: '=evil()', status: 'approved' });
    await addTestAdmin(database.db, city.orgId, accountId, await userIdByEmail(database.db, city.orgId, city.staffByRole.it_director!));
  } finally {
    await database.close();
  }
});

beforeEach(() => {
  out = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; });
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { out += String(s); return true; });
});
afterEach(() => vi.restoreAllMocks());

describe('civicdesk account', () => {
  it('lists accounts, filtered by status', async () => {
    expect(await run(['list'])).toBe(0);
    expect(out).toContain('KalispellCity');
    expect(out).toContain('2 account(s) in');
    out = '';
    expect(await run(['list', '--status', 'approved'])).toBe(0);
    expect(out).not.toContain('KalispellCity');
    expect(await run(['list', '--status', 'gone'])).toBe(2);
  });

  it('shows an account by id or platform:handle with its checks', async () => {
    expect(await run(['show', 'facebook:KalispellCity'])).toBe(0);
    expect(out).toContain(accountId);
    expect(out).toContain('(IT)');
    expect(out).toMatch(/PASS IT administrator on the account/);
    expect(out).toMatch(/FAIL Acceptable Use statement linked: .*\[KA-3\]/);
    expect(await run(['show', 'nothing'])).toBe(2);
  });

  it('reports failing checks with exit 1', async () => {
    expect(await run(['compliance'])).toBe(1);
    expect(out).toMatch(/FAIL facebook KalispellCity: Two-factor authentication attested/);
    expect(out).not.toContain('=evil()');
  });

  it('prints the lists as CSV with formulas neutralised', async () => {
    expect(await run(['lists', '--csv', 'accounts'])).toBe(0);
    const lines = out.split('\r\n');
    expect(lines[0]).toBe('Platform,Handle,Status,Department,Board,Profile,Administrators');
    expect(lines).toContain("twitter,'=evil(),approved,,,,");
    out = '';
    expect(await run(['lists', 'platforms'])).toBe(0);
    expect(out).toContain('Platform: facebook');
    expect(await run(['lists', 'secrets'])).toBe(2);
  });

  it('suspends an account as the operator, after which it does not publish', async () => {
    await expect(run(['suspend', accountId])).rejects.toThrow(/--reason/);
    expect(await run(['suspend', accountId, '--reason', 'Compromised password'])).toBe(0);
    expect(out).toContain('suspended facebook KalispellCity');
    const database = await openConfiguredDatabase(runtimeConfig({ data }));
    try {
      const publishing = await isPublishingAllowed(database.db, city.orgId, accountId);
      expect(publishing.allowed).toBe(false);
      expect(publishing.reason).toContain('Compromised password');
      const [event] = await database.db.selectFrom('events').select(['actor_label', 'action']).where('action', '=', 'account.suspended').execute();
      expect(event?.actor_label).toMatch(/^operator \(CLI/);
    } finally {
      await database.close();
    }
  });
});
