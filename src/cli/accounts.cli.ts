// `civicdesk account …`: the registry from the server console. Suspension is here because MN-2 lets
// the city shut an account down at once, and the operator may need to when nobody can sign in.
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { AccountStatus, DB } from '../db/schema.js';
import { accessList, adminsByAccount, getAccount, listAccounts, ACCOUNT_STATUSES, type AccountView } from '../accounts/accounts.queries.js';
import { isPublishingAllowed, suspendAccount } from '../accounts/accounts.commands.js';
import { complianceOf, failingChecks } from '../accounts/compliance.js';
import { buildList, isListKind, listToCsv, LIST_KINDS } from '../accounts/lists.js';
import type { OrgWithPack } from '../org/org.queries.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { cityFor, operatorContext } from './city.js';
import { CliError } from './main.js';

interface CityOpts { city?: string; data?: string }

async function withCity<T>(opts: CityOpts, fn: (db: Kysely<DB>, city: OrgWithPack) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(runtimeConfig(opts));
  try {
    return await fn(database.db, await cityFor(database.db, opts.city));
  } finally {
    await database.close();
  }
}

/** An account by id, or by `platform:handle` as operators know it. */
async function findAccount(db: Kysely<DB>, city: OrgWithPack, ref: string): Promise<AccountView> {
  const byId = await getAccount(db, city.org.id, ref);
  if (byId) return byId;
  const colon = ref.indexOf(':');
  if (colon > 0) {
    const [platform, handle] = [ref.slice(0, colon), ref.slice(colon + 1)];
    const match = (await listAccounts(db, city.org.id, { platform })).find((a) => a.handle === handle);
    if (match) return match;
  }
  throw new CliError(`no account "${ref}" in ${city.org.name} (give its id or platform:handle)`, 2);
}

function isStatus(value: string): value is AccountStatus {
  return (ACCOUNT_STATUSES as readonly string[]).includes(value);
}

export function registerAccountCommands(program: Command): Command {
  const account = program.command('account').description('official accounts: list, show, suspend, compliance, the lists the policy requires');

  account.command('list').description('list the city\'s official accounts')
    .option('--status <status>', `only accounts in this state (${ACCOUNT_STATUSES.join(', ')})`)
    .option('--platform <id>')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts & { status?: string; platform?: string }) => {
      if (opts.status && !isStatus(opts.status)) throw new CliError(`unknown status "${opts.status}" (${ACCOUNT_STATUSES.join(', ')})`, 2);
      await withCity(opts, async (db, city) => {
        const status = opts.status && isStatus(opts.status) ? opts.status : undefined;
        const accounts = await listAccounts(db, city.org.id, { status, platform: opts.platform });
        for (const a of accounts) {
          console.log([a.id.padEnd(36), a.platform.padEnd(12), a.handle.padEnd(30), a.status.padEnd(10), a.department ?? ''].join(' '));
        }
        console.log(`${accounts.length} account(s) in ${city.org.name}`);
      });
    });

  account.command('show <account>').description('one account (id or platform:handle): facts, administrators, access, compliance')
    .option('--city <slug>').option('--data <dir>')
    .action(async (ref: string, opts: CityOpts) => {
      await withCity(opts, async (db, city) => {
        const a = await findAccount(db, city, ref);
        const admins = (await adminsByAccount(db, city.org.id, city.pack, [a.id])).get(a.id) ?? [];
        const access = await accessList(db, city.org.id, a.id);
        const checks = (await complianceOf(db, city.org.id, city.pack, [a], new Date())).get(a.id) ?? [];
        const publishing = await isPublishingAllowed(db, city.org.id, a.id);
        console.log(`${a.platform} ${a.handle} (${a.id})`);
        console.log(`  status:      ${a.status}${publishing.allowed ? '' : ` (not publishing: ${publishing.reason ?? 'not allowed'})`}`);
        console.log(`  department:  ${a.department ?? '-'}${a.boardName ? `; board: ${a.boardName} (minutes: ${a.minutesReference ?? '-'})` : ''}`);
        console.log(`  profile:     ${a.profileUrl ?? '-'}`);
        console.log(`  purpose:     ${a.purpose}`);
        console.log(`  sign-up:     ${a.signupEmail ?? '-'}`);
        console.log(`  admins:      ${admins.map((p) => `${p.displayName} <${p.email}>${p.isIt ? ' (IT)' : ''}`).join('; ') || '-'}`);
        console.log(`  access:      ${access.map((p) => `${p.displayName} <${p.email}>`).join('; ') || '-'}`);
        for (const c of checks) console.log(`  ${c.status.toUpperCase().padEnd(4)} ${c.label}: ${c.detail}${c.sources.length ? ` [${c.sources.join(', ')}]` : ''}`);
      });
    });

  account.command('suspend <account>').description('shut an account down at once (MN-2); nothing is published to it until reactivated')
    .requiredOption('--reason <text>', 'why (recorded in the event log)')
    .option('--city <slug>').option('--data <dir>')
    .action(async (ref: string, opts: CityOpts & { reason: string }) => {
      await withCity(opts, async (db, city) => {
        const a = await findAccount(db, city, ref);
        await suspendAccount(operatorContext(db, city), a.id, opts.reason);
        console.log(`suspended ${a.platform} ${a.handle}`);
      });
    });

  account.command('compliance').description('failing and warning checks across the city\'s live accounts (exit 1 if any fail)')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts) => {
      await withCity(opts, async (db, city) => {
        const found = await failingChecks(db, city.org.id, city.pack, new Date());
        for (const f of found) {
          console.log(`${f.check.status.toUpperCase().padEnd(4)} ${f.platform} ${f.handle}: ${f.check.label}: ${f.check.detail}${f.check.sources.length ? ` [${f.check.sources.join(', ')}]` : ''}`);
        }
        const failures = found.filter((f) => f.check.status === 'fail').length;
        console.log(`${failures} failing, ${found.length - failures} warning check(s) in ${city.org.name}`);
        if (failures) throw new CliError(`${failures} compliance check(s) fail`, 1);
      });
    });

  account.command('lists <list>').description(`print a list the policy requires (${LIST_KINDS.join(', ')}), as CSV with --csv`)
    .option('--csv', 'RFC 4180 CSV on standard output')
    .option('--city <slug>').option('--data <dir>')
    .action(async (kind: string, opts: CityOpts & { csv?: boolean }) => {
      if (!isListKind(kind)) throw new CliError(`unknown list "${kind}" (${LIST_KINDS.join(', ')})`, 2);
      await withCity(opts, async (db, city) => {
        const list = await buildList(db, city.org.id, city.pack, kind);
        if (opts.csv) {
          process.stdout.write(listToCsv(list));
          return;
        }
        console.log(`${list.title} — ${city.org.name}${list.sources.length ? ` [${list.sources.join(', ')}]` : ''}`);
        for (const row of list.rows) console.log(list.columns.map((c) => `${c.label}: ${row[c.key] || '-'}`).join(' | '));
        console.log(`${list.rows.length} row(s)`);
      });
    });
  return account;
}
