import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { availableBackends, openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { createTestCity, type TestCity } from '../testing/app.js';
import { cityContext } from '../testing/context.js';
import { createVaultKeyFile, loadVault } from '../accounts/vault.js';
import { storeSecret } from '../accounts/vault.commands.js';
import { registerVaultCommands } from './vault.cli.js';
import { CliError } from './main.js';

let out = '';
let err = '';

/** Runs `civicdesk vault ...` as runCli would once main.ts registers it: the exit code, output captured. */
async function run(args: string[]): Promise<number> {
  const program = new Command('civicdesk').exitOverride();
  registerVaultCommands(program);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    err += `civicdesk: ${(e as Error).message}\n`;
    return e instanceof CliError ? e.exitCode : 1;
  }
}

beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; });
  delete process.env.CIVICDESK_VAULT_KEY;
  delete process.env.CIVICDESK_VAULT_KEY_FILE;
});
afterEach(() => vi.restoreAllMocks());

describe.each(await availableBackends())('civicdesk vault on %s', (backend) => {
  let database: TestDatabase;
  let city: TestCity;
  let dataDir: string;

  beforeAll(async () => {
    database = await openTestDatabase(backend);
    dataDir = backend === 'sqlite' ? dirname(database.describe.replace(/^SQLite /, '')) : mkdtempSync(join(tmpdir(), 'civicdesk-vault-cli-'));
    if (database.url) process.env.DATABASE_URL = database.url;
    city = await createTestCity(database.db, 'red-lodge-mt', { slug: 'red-lodge' });
    const accountId = randomUUID();
    const at = new Date().toISOString();
    await database.db.insertInto('accounts').values({
      id: accountId, org_id: city.orgId, platform: 'facebook', handle: 'rl-cli', profile_url: null, department_id: null, board_name: null,
      minutes_reference: null, purpose: 'City news', signup_email: null, status: 'active', twofa_enabled: 0, twofa_attested_at: null,
      website_link_present: 0, aup_link_present: 0, connector_status: 'not_connected', connector_expires_at: null, request_id: null, created_at: at, updated_at: at,
    }).execute();
    // The server's first start creates <data>/vault.key.
    const vault = loadVault({ dataDir, env: {} });
    const ctx = await cityContext(database.db, city.orgId);
    await storeSecret(ctx, vault, { accountId, kind: 'password', value: 'Cli-Stored-Secret-3!' });
    await storeSecret(ctx, vault, { accountId, kind: 'username', value: 'rl-cli-login' });
  });
  afterAll(async () => {
    delete process.env.DATABASE_URL;
    await database?.dispose();
  });

  const rows = () => database.db.selectFrom('vault_secrets').selectAll().orderBy('id').execute();

  it('check opens every secret with the current key', async () => {
    expect(await run(['vault', 'check', '--data', dataDir])).toBe(0);
    expect(out).toMatch(/2 secret\(s\) checked with key id [0-9a-f]{8} .*0 failure\(s\)/);
  });

  it('a wrong key is named clearly, exits non-zero and changes nothing', async () => {
    const before = await rows();
    const wrongFile = join(mkdtempSync(join(tmpdir(), 'civicdesk-wrong-')), 'wrong.key');
    createVaultKeyFile(wrongFile);
    process.env.CIVICDESK_VAULT_KEY_FILE = wrongFile;
    expect(await run(['vault', 'check', '--data', dataDir])).toBe(1);
    expect(out).toContain('the vault key does not match the one these secrets were stored with (key id');
    expect(err).toContain('2 secret(s) do not open with the current vault key');

    err = '';
    const newFile = join(dataDir, 'never.key');
    expect(await run(['vault', 'rotate-key', '--new-key-file', newFile, '--data', dataDir])).not.toBe(0);
    expect(err).toMatch(/the vault key does not match the one these secrets were stored with \(key id [0-9a-f]{8}, have [0-9a-f]{8}\)/);
    expect(existsSync(newFile)).toBe(false);
    expect(await rows()).toEqual(before);

    delete process.env.CIVICDESK_VAULT_KEY_FILE;
    err = '';
    expect(await run(['vault', 'check', '--data', mkdtempSync(join(tmpdir(), 'civicdesk-nokey-'))])).not.toBe(0);
    expect(err).toContain('no vault key at');
  });

  it('rotate-key re-encrypts, tells the operator to swap the key, and the old key no longer works', async () => {
    const before = await rows();
    const newFile = join(dataDir, 'vault.key.new');
    expect(await run(['vault', 'rotate-key', '--new-key-file', newFile, '--data', dataDir])).toBe(0);
    expect(out).toContain(`created a new key at ${newFile} (mode 0600)`);
    expect(out).toContain('red-lodge: 2 secret(s) re-encrypted');
    expect(out).toContain(`NOW install the new key: replace the key file: mv ${newFile} ${join(dataDir, 'vault.key')}`);
    const after = await rows();
    const newKeyId = loadVault({ keyFile: newFile }).keyId;
    expect(after.every((r) => r.key_id === newKeyId)).toBe(true);
    expect(after.map((r) => Buffer.from(r.ciphertext).toString('hex'))).not.toEqual(before.map((r) => Buffer.from(r.ciphertext).toString('hex')));

    out = '';
    expect(await run(['vault', 'check', '--data', dataDir])).toBe(1);
    renameSync(newFile, join(dataDir, 'vault.key'));
    out = '';
    expect(await run(['vault', 'check', '--data', dataDir])).toBe(0);
    expect(out).toContain(`key id ${newKeyId}`);

    const events = await database.db.selectFrom('events').select(['after', 'actor_label']).where('org_id', '=', city.orgId)
      .where('action', '=', 'vault.key_rotated').execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.after!)).toEqual({ keyId: newKeyId, reencrypted: 2, alreadyCurrent: 0 });
    expect(events[0]!.actor_label).toMatch(/^operator \(CLI/);
  });
});
