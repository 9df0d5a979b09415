// `civicdesk vault`: operator commands for the credential vault's key. The key is one per
// installation (not per city), so these act on every city's secrets at once.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { rotateVaultKey } from '../accounts/vault.commands.js';
import { checkSecrets } from '../accounts/vault.queries.js';
import { createVaultKeyFile, loadVault, VAULT_KEY_ENV, type Vault } from '../accounts/vault.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { CliError } from './main.js';

interface DataOpts { data?: string }

async function withDatabase<T>(opts: DataOpts, fn: (db: Kysely<DB>, dataDir: string) => Promise<T>): Promise<T> {
  const config = runtimeConfig(opts);
  const database = await openConfiguredDatabase(config);
  try {
    return await fn(database.db, config.dataDir);
  } finally {
    await database.close();
  }
}

// Operator commands never create the current key: a missing key file must be reported, not replaced.
function currentVault(dataDir: string): Vault {
  return loadVault({ dataDir, create: false });
}

async function cityNames(db: Kysely<DB>): Promise<Map<string, string>> {
  const orgs = await db.selectFrom('organizations').select(['id', 'slug']).execute();
  return new Map(orgs.map((o) => [o.id, o.slug]));
}

export function registerVaultCommands(program: Command): Command {
  const vault = program.command('vault').description('the credential vault\'s key: check it, rotate it');

  vault.command('check').description('open every stored secret with the current key; name any that fail (exit 1 if so)')
    .option('--data <dir>')
    .action(async (opts: DataOpts) => {
      await withDatabase(opts, async (db, dataDir) => {
        const current = currentVault(dataDir);
        const report = await checkSecrets(db, current);
        const slugs = await cityNames(db);
        for (const f of report.failures) console.log(`FAIL ${slugs.get(f.orgId) ?? f.orgId} account ${f.accountId} ${f.kind}: ${f.problem}`);
        console.log(`${report.checked} secret(s) checked with key id ${current.keyId} (from ${current.source}), ${report.failures.length} failure(s)`);
        if (report.failures.length) throw new CliError(`${report.failures.length} secret(s) do not open with the current vault key`, 1);
      });
    });

  vault.command('rotate-key').description('re-encrypt every secret under a new key (created if the file does not exist); then install the new key')
    .requiredOption('--new-key-file <path>', 'the new key (base64, 32 bytes); written here with mode 0600 if missing')
    .option('--data <dir>')
    .action(async (opts: DataOpts & { newKeyFile: string }) => {
      await withDatabase(opts, async (db, dataDir) => {
        const current = currentVault(dataDir);
        const newPath = resolve(opts.newKeyFile);
        if (current.source === newPath) throw new CliError('--new-key-file is the key file in use: give a path for the new key', 2);
        const created = !existsSync(newPath);
        if (created) createVaultKeyFile(newPath);
        const next = loadVault({ keyFile: newPath });
        let report;
        try {
          report = await rotateVaultKey(db, current, next, undefined, `operator (CLI, ${process.env.USER ?? 'unknown user'})`);
        } catch (err) {
          // Nothing was re-encrypted, so a key made for this attempt is of no use: do not leave it lying around.
          if (created) rmSync(newPath, { force: true });
          throw err;
        }
        const slugs = await cityNames(db);
        if (created) console.log(`created a new key at ${newPath} (mode 0600)`);
        for (const c of report.cities) console.log(`${slugs.get(c.orgId) ?? c.orgId}: ${c.reencrypted} secret(s) re-encrypted${c.alreadyCurrent ? `, ${c.alreadyCurrent} already under the new key` : ''}`);
        console.log(`re-encrypted ${report.reencrypted} secret(s): key id ${report.fromKeyId} -> ${report.toKeyId}`);
        // The database now needs the new key; the running server still holds the old one.
        const install = current.source === VAULT_KEY_ENV
          ? `set ${VAULT_KEY_ENV} to the contents of ${newPath}`
          : `replace the key file: mv ${newPath} ${current.source}`;
        console.log(`NOW install the new key: ${install}, then restart CivicDesk and run \`civicdesk vault check\`.`);
        console.log('Until then secrets cannot be revealed or stored (the server reports a key mismatch). Destroy every copy of the old key afterwards.');
      });
    });
  return vault;
}
