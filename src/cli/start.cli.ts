import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildApp } from '../http/server.js';
import { createJobQueue } from '../jobs/jobs.js';
import { scheduleSessionPruning } from '../auth/sessions.jobs.js';
import { scheduleArchiveJobs } from '../archive/archive.jobs.js';
import { archiveDepsFor } from '../archive/archive.setup.js';
import { loadVault } from '../accounts/vault.js';
import { listOrganizations } from '../org/org.queries.js';
import { seedDemoCity } from '../org/demo.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { CaptureRunner, scheduleConnectorJobs } from '../platforms/platforms.runtime.js';
import { scheduleContentJobs } from '../content/content.jobs.js';
import { scheduleRecordsJobs } from '../records/requests.jobs.js';
import { createMailer, mailConfigFromEnv } from '../people/mail.js';
import { scheduleMail } from '../people/mail.jobs.js';
import { startDemoNetwork, type DemoNetwork } from '../platforms/demo/demo-network.js';
import { CliError } from './main.js';

type DemoMode = 'auto' | 'on' | 'off';
interface StartOptions { port: string; host: string; data?: string; demoNetwork?: boolean }

export function registerStartCommand(program: Command): void {
  program.command('start').description('run the CivicDesk server (a demo city is created when no city is set up)')
    .option('--port <n>', 'port to listen on (also PORT)', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on (also HOST)', process.env.HOST ?? 'localhost')
    .option('--data <dir>', 'data folder (also CIVICDESK_DATA)')
    .option('--no-demo-network', 'for the demo city: do not start the local AT Protocol network')
    .action(async (opts: StartOptions) => runServer(opts, opts.demoNetwork === false || process.env.CIVICDESK_DEMO_NETWORK === 'off' ? 'off' : 'auto'));
  program.command('demo').description('run CivicDesk with the demo city and a local AT Protocol (Bluesky) network on this machine, with residents who reply')
    .option('--port <n>', 'port to listen on (also PORT)', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on (also HOST)', process.env.HOST ?? 'localhost')
    .option('--data <dir>', 'data folder (also CIVICDESK_DATA)')
    .action(async (opts: StartOptions) => runServer(opts, 'on'));
}

async function runServer(opts: StartOptions, demoMode: DemoMode): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, got "${opts.port}"`, 2);
  const config = runtimeConfig(opts);
  const database = await openConfiguredDatabase(config);
  const logger = { level: process.env.LOG_LEVEL ?? 'info' };
  if ((await listOrganizations(database.db)).length === 0) {
    const demo = await seedDemoCity(database.db);
    printDemo(config.dataDir, demo);
  }
  const archive = archiveDepsFor(database, config.dataDir);
  const vault = loadVault({ dataDir: config.dataDir });
  let runner: CaptureRunner | undefined;
  const app = await buildApp({
    db: database.db, logger, secureCookies: process.env.SECURE_COOKIES === 'true', archive, vault,
    productionsDir: process.env.CIVICDESK_PRODUCTIONS ?? join(config.dataDir, 'productions'),
    onConnectorConnected: () => void runner?.refresh(),
    facebookWebhook: process.env.CIVICDESK_FACEBOOK_APP_SECRET && process.env.CIVICDESK_FACEBOOK_VERIFY_TOKEN
      ? { appSecret: process.env.CIVICDESK_FACEBOOK_APP_SECRET, verifyToken: process.env.CIVICDESK_FACEBOOK_VERIFY_TOKEN } : undefined,
  });
  const log = { info: (m: string) => app.log.info(m), warn: (m: string) => app.log.warn(m) };
  runner = new CaptureRunner({ archive, vault, log });
  const jobs = createJobQueue(database, { databaseUrl: config.databaseUrl, logger: app.log });
  const mailLog = { warn: (m: string) => app.log.warn(m) };
  const mailer = createMailer(mailConfigFromEnv(), mailLog);
  await scheduleMail(jobs, database.db, mailer, mailLog);
  await scheduleSessionPruning(jobs, database.db);
  await scheduleArchiveJobs(jobs, archive);
  await scheduleConnectorJobs(jobs, { archive, vault, log });
  await scheduleContentJobs(jobs, database.db, { archive, vault });
  await scheduleRecordsJobs(jobs, database.db);
  // The demo city (its sign-ins were written at first run) gets its local network unless turned off.
  const demoCity = existsSync(join(config.dataDir, 'demo-credentials.txt')) ? (await listOrganizations(database.db))[0] : undefined;
  let demo: DemoNetwork | undefined;
  if (demoMode === 'on' || (demoMode === 'auto' && demoCity)) {
    const orgId = demoCity?.id ?? (await listOrganizations(database.db))[0]?.id;
    try {
      if (!orgId) throw new Error('no city is set up');
      demo = await startDemoNetwork({ db: database.db, archive, vault, log, replyEverySeconds: Number(process.env.CIVICDESK_DEMO_REPLY_SECONDS) || undefined }, orgId);
      console.log(`\nDemo: a local AT Protocol (Bluesky) network runs on this machine at ${demo.network.pdsUrl}; nothing is posted to the real Bluesky.`);
    } catch (err) {
      if (demoMode === 'on') throw new CliError(`the demo network could not start: ${(err as Error).message}`, 1);
      console.warn(`\n!!! The demo's local Bluesky network did not start (${(err as Error).message}); CivicDesk runs without it.`);
    }
  }
  await runner.refresh();
  await jobs.start();
  const stop = async () => {
    await app.close();
    await runner?.stop();
    await demo?.stop();
    await jobs.stop();
    mailer.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ port, host: opts.host });
  const shown = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  console.log(`\nCivicDesk is running at http://${shown}:${port}  (data: ${database.describe})\n`);
}

function printDemo(dataDir: string, demo: Awaited<ReturnType<typeof seedDemoCity>>): void {
  const lines = [
    `Demo city "${demo.name}" created (Kalispell policy pack). Demo sign-ins (2FA is set up at first sign-in):`,
    ...demo.staff.map((s) => `  ${s.email.padEnd(44)} ${s.password}   ${s.displayName}`),
  ];
  mkdirSync(dataDir, { recursive: true });
  // Kept so the credentials survive the terminal scrolling away; readable only by this user.
  writeFileSync(join(dataDir, 'demo-credentials.txt'), `${lines.join('\n')}\n`, { mode: 0o600 });
  console.log(`\n${lines.join('\n')}\n  (also saved in ${join(dataDir, 'demo-credentials.txt')})`);
}
