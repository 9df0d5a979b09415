import { writeFileSync, mkdirSync } from 'node:fs';
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
import { CliError } from './main.js';

export function registerStartCommand(program: Command): void {
  program.command('start').description('run the CivicDesk server (a demo city is created when no city is set up)')
    .option('--port <n>', 'port to listen on (also PORT)', process.env.PORT ?? '3000')
    .option('--host <host>', 'address to listen on (also HOST)', process.env.HOST ?? 'localhost')
    .option('--data <dir>', 'data folder (also CIVICDESK_DATA)')
    .action(async (opts: { port: string; host: string; data?: string }) => {
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
      const app = await buildApp({ db: database.db, logger, secureCookies: process.env.SECURE_COOKIES === 'true', archive, vault });
      const jobs = createJobQueue(database, { databaseUrl: config.databaseUrl, logger: app.log });
      await scheduleSessionPruning(jobs, database.db);
      await scheduleArchiveJobs(jobs, archive);
      await jobs.start();
      const stop = async () => {
        await app.close();
        await jobs.stop();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await app.listen({ port, host: opts.host });
      const shown = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
      console.log(`\nCivicDesk is running at http://${shown}:${port}  (data: ${database.describe})\n`);
    });
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
