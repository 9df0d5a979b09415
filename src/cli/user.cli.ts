import type { Command } from 'commander';
import { addPerson, disablePerson } from '../people/people.commands.js';
import { findUserByEmail, listDepartments, listPeople } from '../people/people.queries.js';
import { generatePassword } from '../org/demo.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { cityFor, operatorContext } from './city.js';
import { CliError } from './main.js';

const collect = (value: string, previous: string[]) => [...previous, value];

async function withCity<T>(opts: { city?: string; data?: string }, fn: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>, city: Awaited<ReturnType<typeof cityFor>>) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(runtimeConfig(opts));
  try {
    return await fn(database, await cityFor(database.db, opts.city));
  } finally {
    await database.close();
  }
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('staff sign-ins: add, list, disable');

  user.command('add').description('add a staff member')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>', 'display name')
    .option('--role <id>', 'role id from the pack (repeatable)', collect, [])
    .option('--department <name>')
    .option('--password <password>', 'initial password (generated when left out)')
    .option('--city <slug>')
    .option('--data <dir>')
    .action(async (opts: { email: string; name: string; role: string[]; department?: string; password?: string; city?: string; data?: string }) => {
      await withCity(opts, async (database, city) => {
        if (opts.role.length === 0) {
          throw new CliError(`give at least one --role (${city.pack.roles.map((r) => `${r.id} = ${r.title}`).join('; ')})`, 2);
        }
        let departmentId: string | null = null;
        if (opts.department) {
          const dept = (await listDepartments(database.db, city.org.id)).find((d) => d.name.toLowerCase() === opts.department?.toLowerCase());
          if (!dept) throw new CliError(`no department "${opts.department}" in ${city.org.name}`, 2);
          departmentId = dept.id;
        }
        const password = opts.password ?? generatePassword();
        await addPerson(operatorContext(database.db, city), { email: opts.email, displayName: opts.name, password, roles: opts.role, departmentId });
        console.log(`added ${opts.email} to ${city.org.name}${opts.password ? '' : `; password: ${password}`}`);
      });
    });

  user.command('list').description('list staff').option('--city <slug>').option('--data <dir>')
    .action(async (opts: { city?: string; data?: string }) => {
      await withCity(opts, async (database, city) => {
        for (const p of await listPeople(database.db, city.org.id)) {
          console.log([p.email.padEnd(40), p.status.padEnd(9), (p.totpEnabled ? '2FA' : 'no-2FA').padEnd(7), p.roles.join(',')].join(' '));
        }
      });
    });

  user.command('disable').description('disable a staff sign-in (kept for the record)')
    .requiredOption('--email <email>').option('--city <slug>').option('--data <dir>')
    .action(async (opts: { email: string; city?: string; data?: string }) => {
      await withCity(opts, async (database, city) => {
        const found = await findUserByEmail(database.db, city.org.id, opts.email);
        if (!found) throw new CliError(`no staff member ${opts.email} in ${city.org.name}`, 2);
        await disablePerson(operatorContext(database.db, city), found.id);
        console.log(`disabled ${opts.email}`);
      });
    });
}
