// `civicdesk request list|show` (read the approval requests) and `civicdesk training record|status`.
// Deciding a request is deliberately not here: each step is decided by a named person signed in as
// themselves, never by the console operator, so the chain can tell requester from approvers.
import type { Command } from 'commander';
import { getRequest, listRequests } from '../accounts/requests.queries.js';
import type { RequestStatus } from '../db/schema.js';
import { findUserByEmail } from '../people/people.queries.js';
import { recordCompletion } from '../people/training.commands.js';
import { trainingStatus } from '../people/training.queries.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { cityFor, operatorContext } from './city.js';
import { CliError } from './main.js';

const STATUSES: readonly RequestStatus[] = ['pending', 'approved', 'rejected', 'withdrawn'];

type Opened = Awaited<ReturnType<typeof openConfiguredDatabase>>;
type City = Awaited<ReturnType<typeof cityFor>>;

async function withCity<T>(opts: { city?: string; data?: string }, fn: (database: Opened, city: City) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(runtimeConfig(opts));
  try {
    return await fn(database, await cityFor(database.db, opts.city));
  } finally {
    await database.close();
  }
}

function isStatus(value: string): value is RequestStatus {
  return (STATUSES as readonly string[]).includes(value);
}

export function registerRequestCommands(program: Command): void {
  const request = program.command('request').description('approval requests: new accounts, administrators, staff access, retirement, platforms');

  request.command('list').description('list requests, newest first')
    .option('--status <status>', `only ${STATUSES.join(' | ')}`)
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: { status?: string; city?: string; data?: string }) => {
      if (opts.status !== undefined && !isStatus(opts.status)) throw new CliError(`--status must be one of ${STATUSES.join(', ')}`, 2);
      const status = opts.status;
      await withCity(opts, async (database, city) => {
        const rows = await listRequests(database.db, city.org.id, status ? { status } : {});
        for (const r of rows) {
          const where = r.awaiting ? `awaits ${r.awaiting.roleTitle}` : r.status;
          console.log([r.id, r.createdAt.slice(0, 10), r.type.padEnd(15), where.padEnd(34), r.summary, `(by ${r.requestedBy.email})`].join('  '));
        }
        console.log(`${rows.length} request(s)`);
      });
    });

  request.command('show <id>').description('one request with its chain and each step\'s decision')
    .option('--city <slug>').option('--data <dir>')
    .action(async (id: string, opts: { city?: string; data?: string }) => {
      await withCity(opts, async (database, city) => {
        const r = await getRequest(database.db, city.org.id, id);
        if (!r) throw new CliError(`no request ${id} in ${city.org.name}`, 2);
        console.log(`${r.summary}\n  ${r.type}, ${r.status}, requested by ${r.requestedBy.name} <${r.requestedBy.email}> on ${r.createdAt}`);
        console.log(`  chain ${r.chain.key} [${r.chain.sources.join(', ')}]`);
        for (const s of r.steps) {
          const d = s.decision ? ` by ${s.decision.byName} on ${s.decision.at}${s.decision.comment ? `: ${s.decision.comment}` : ''}` : '';
          console.log(`  ${s.index + 1}. ${s.roleTitle} ${s.label}: ${s.state}${d}`);
        }
        console.log(`  subject ${JSON.stringify(r.subject)}`);
      });
    });

  const training = program.command('training').description('training the city\'s policy requires (LX-11, BZ-4)');

  training.command('record').description('record that a staff member completed a training module')
    .requiredOption('--email <email>').requiredOption('--module <id>').requiredOption('--date <YYYY-MM-DD>')
    .option('--evidence <text>', 'certificate number, sign-in sheet, ...')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: { email: string; module: string; date: string; evidence?: string; city?: string; data?: string }) => {
      await withCity(opts, async (database, city) => {
        const person = await findUserByEmail(database.db, city.org.id, opts.email);
        if (!person) throw new CliError(`no staff member ${opts.email} in ${city.org.name}`, 2);
        await recordCompletion(operatorContext(database.db, city), { userId: person.id, moduleId: opts.module, completedOn: opts.date, evidence: opts.evidence ?? null });
        const status = await trainingStatus(database.db, city.org.id, city.pack, person.id, new Date());
        const m = status.modules.find((x) => x.moduleId === opts.module);
        console.log(`recorded ${opts.module} for ${opts.email} on ${opts.date}${m?.expiresOn ? `; renew by ${m.expiresOn}` : ''}`);
      });
    });

  training.command('status').description('what a staff member has done and still needs')
    .requiredOption('--email <email>').option('--city <slug>').option('--data <dir>')
    .action(async (opts: { email: string; city?: string; data?: string }) => {
      await withCity(opts, async (database, city) => {
        const person = await findUserByEmail(database.db, city.org.id, opts.email);
        if (!person) throw new CliError(`no staff member ${opts.email} in ${city.org.name}`, 2);
        const status = await trainingStatus(database.db, city.org.id, city.pack, person.id, new Date());
        if (status.modules.length === 0) console.log(`${city.org.name}'s policy requires no training modules`);
        for (const m of status.modules) {
          console.log(`${m.moduleId.padEnd(24)} ${m.state.padEnd(8)} ${m.completedOn ?? '-'}${m.expiresOn ? ` (until ${m.expiresOn})` : ''}  ${m.title}`);
        }
      });
    });
}
