import type { Command } from 'commander';
import { fillBlanks, findBlanks, loadBundledPack } from '../policy/pack.loader.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { createOrganization } from '../org/org.commands.js';
import { addPerson } from '../people/people.commands.js';
import { generatePassword } from '../org/demo.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { operatorContext, cityFor } from './city.js';
import { CliError } from './main.js';

interface InitOptions {
  pack: string;
  city?: string;
  website?: string;
  emailDomain?: string;
  state?: string;
  timeZone?: string;
  slug?: string;
  set: string[];
  adminEmail?: string;
  adminName?: string;
  data?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerInitCommand(program: Command): void {
  program.command('init').description('set up a real city from a policy pack')
    .requiredOption('--pack <id>', 'policy pack id (see `civicdesk pack list`)')
    .option('--city <name>', 'city name (fills {{city_name}})')
    .option('--website <url>', 'official website (fills {{city_website}})')
    .option('--email-domain <domain>', 'staff e-mail domain (fills {{email_domain}})')
    .option('--state <XX>', 'two-letter state')
    .option('--time-zone <tz>', 'IANA time zone, e.g. America/Denver')
    .option('--slug <slug>', 'short name used in public page addresses')
    .option('--set <key=value>', 'fill any other template blank (repeatable)', collect, [])
    .option('--admin-email <email>', 'e-mail of the first administrator')
    .option('--admin-name <name>', 'name of the first administrator', 'City administrator')
    .option('--data <dir>', 'data folder (also CIVICDESK_DATA)')
    .action(async (opts: InitOptions) => {
      const pack = buildPack(opts);
      const config = runtimeConfig(opts);
      const database = await openConfiguredDatabase(config);
      try {
        const { slug } = await createOrganization(database.db, { pack, slug: opts.slug });
        const city = await cityFor(database.db, slug);
        const adminRole = pack.roles.find((r) => r.grants.some((g) => g.startsWith('staff.manage')));
        if (!adminRole) throw new CliError('the pack has no role that may manage staff', 1);
        const email = opts.adminEmail ?? `admin@${pack.city.emailDomain}`;
        const password = generatePassword();
        await addPerson(operatorContext(database.db, city), { email, displayName: opts.adminName ?? 'City administrator', password, roles: [adminRole.id] });
        console.log(`City "${pack.city.name}" set up with the ${pack.id} pack (public pages at /p/${slug}/acceptable-use).`);
        console.log(`First administrator (${adminRole.title}): ${email}  password: ${password}`);
        console.log('Sign in, set up two-step verification, then add your staff. Change this password after first sign-in.');
      } finally {
        await database.close();
      }
    });
}

function buildPack(opts: InitOptions): PolicyPack {
  const values: Record<string, string> = {};
  for (const pair of opts.set) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new CliError(`--set expects key=value, got "${pair}"`, 2);
    values[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (opts.city) values.city_name = opts.city;
  if (opts.website) values.city_website = opts.website;
  if (opts.emailDomain) values.email_domain = opts.emailDomain;
  let pack = fillBlanks(loadBundledPack(opts.pack), values);
  pack = {
    ...pack,
    city: {
      ...pack.city,
      ...(opts.city ? { name: opts.city } : {}),
      ...(opts.website ? { website: opts.website } : {}),
      ...(opts.emailDomain ? { emailDomain: opts.emailDomain } : {}),
      ...(opts.state ? { state: opts.state } : {}),
      ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    },
  };
  const blanks = findBlanks(pack);
  if (blanks.length) {
    throw new CliError(`the ${opts.pack} pack is a template; fill these blanks: ${blanks.map((b) => `--set ${b}=...`).join(' ')}`, 2);
  }
  return pack;
}
