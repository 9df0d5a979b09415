import { resolve } from 'node:path';
import type { Command } from 'commander';
import { archiveDepsFor } from '../archive/archive.setup.js';
import { createCheckpoint } from '../archive/checkpoints.js';
import { exportBundle } from '../archive/export.js';
import { verifyArchive } from '../archive/verify.js';
import { archiveEvents } from '../archive/events-archiver.js';
import { openConfiguredDatabase, runtimeConfig, type RuntimeConfig } from './config.js';
import { cityFor } from './city.js';
import { CliError } from './main.js';
import type { ArchiveDeps } from '../archive/archive.service.js';
import type { OrgWithPack } from '../org/org.queries.js';

interface CityOpts { city?: string; data?: string }

export async function withArchive<T>(opts: CityOpts, fn: (deps: ArchiveDeps, city: OrgWithPack, config: RuntimeConfig) => Promise<T>): Promise<T> {
  const config = runtimeConfig(opts);
  const database = await openConfiguredDatabase(config);
  try {
    const city = await cityFor(database.db, opts.city);
    return await fn(archiveDepsFor(database, config.dataDir), city, config);
  } finally {
    await database.close();
  }
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerArchiveCommands(program: Command): Command {
  const archive = program.command('archive').description('the public-records archive: verify, checkpoint, export, search, disposition, holds');

  archive.command('verify').description('recompute every record, leaf and checkpoint; name anything altered, removed or inserted (exit 1 if so)')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts) => {
      await withArchive(opts, async (deps, city) => {
        await archiveEvents(deps, city.org.id);
        const report = await verifyArchive(deps, city.org.id);
        for (const p of report.problems) console.log(`${p.kind.toUpperCase().padEnd(10)} ${p.message}`);
        const rate = report.seconds > 0 ? Math.round(report.records / report.seconds) : report.records;
        console.log(`${city.org.name}: ${report.records} records (${report.destroyed} destroyed under the schedule), ${report.checkpoints} signed checkpoints, ` +
          `${report.problems.length} problem(s), ${report.seconds.toFixed(2)} s (${rate} records/s)`);
        if (!report.ok) throw new CliError('the archive does not verify', 1);
      });
    });

  archive.command('checkpoint').description('sign a checkpoint now and print it')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts) => {
      await withArchive(opts, async (deps, city) => {
        const cp = await createCheckpoint(deps, city.org.id);
        console.log(cp.note.replace(/\n$/, ''));
        console.log(`vkey: ${cp.vkey}`);
      });
    });

  archive.command('export').description('write a records bundle (with proofs and the offline verifier) for a records request')
    .requiredOption('--out <dir>', 'folder to write the bundle into')
    .option('--id <recordId>', 'a record to include (repeatable)', collect, [])
    .option('--thread <platformId>', 'every record of a thread')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts & { out: string; id: string[]; thread?: string }) => {
      await withArchive(opts, async (deps, city) => {
        let ids = opts.id;
        if (opts.thread) {
          const thread = opts.thread;
          const rows = await deps.db.selectFrom('archive_records').select('id').where('org_id', '=', city.org.id)
            .where((eb) => eb.or([eb('thread_id', '=', thread), eb('platform_id', '=', thread), eb('subject_id', '=', thread)])).execute();
          ids = [...ids, ...rows.map((r) => r.id)];
        }
        if (ids.length === 0) throw new CliError('name records with --id or --thread', 2);
        const summary = await exportBundle(deps, city.org.id, ids, resolve(opts.out));
        console.log(`wrote ${summary.records} record(s) and ${summary.blobs} blob(s) to ${summary.dir} (tree size ${summary.treeSize}); check with: node ${summary.dir}/verify-bundle.mjs ${summary.dir}`);
        if (summary.destroyed.length) console.log(`destroyed under the retention schedule, not included: ${summary.destroyed.join(', ')}`);
      });
    });
  return archive;
}
