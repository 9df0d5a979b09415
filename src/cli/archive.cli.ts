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
import { searchArchive } from '../archive/search.js';
import { dueForDisposition } from '../archive/retention.js';
import { listHolds } from '../archive/holds.js';
import { RECORD_KINDS, type RecordKind } from '../archive/record.js';

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
  archive.command('search [words...]').description('full-text search with filters')
    .option('--account <id>').option('--kind <kind>').option('--author <who>').option('--from <date>').option('--to <date>')
    .option('--status <deleted|hidden>').option('--on-hold').option('--limit <n>', 'results', '20')
    .option('--city <slug>').option('--data <dir>')
    .action(async (words: string[], opts: CityOpts & { account?: string; kind?: string; author?: string; from?: string; to?: string; status?: string; onHold?: boolean; limit: string }) => {
      await withArchive(opts, async (deps, city) => {
        if (opts.status && opts.status !== 'deleted' && opts.status !== 'hidden') throw new CliError('--status is deleted or hidden', 2);
        if (opts.kind && !(RECORD_KINDS as readonly string[]).includes(opts.kind)) throw new CliError(`--kind is one of ${RECORD_KINDS.join(', ')}`, 2);
        const found = await searchArchive(deps, city.org.id, {
          text: words.join(' ') || undefined, accountId: opts.account, kind: opts.kind as RecordKind | undefined, author: opts.author,
          from: opts.from, to: opts.to, status: opts.status as 'deleted' | 'hidden' | undefined, onHold: opts.onHold ? true : undefined,
          limit: Number(opts.limit) || 20,
        });
        for (const hit of found.results) {
          const flags = [hit.deleted && 'deleted', hit.hidden && 'hidden', hit.destroyed && 'destroyed', ...hit.holds.map((h) => `hold:${h.name}`)].filter(Boolean).join(',');
          const who = hit.author.handle ?? hit.author.name ?? '';
          console.log(`${hit.capturedAt} ${hit.kind.padEnd(18)} ${hit.id} ${who} ${flags ? `[${flags}] ` : ''}${(hit.text ?? '').replace(/\s+/g, ' ').slice(0, 200)}`);
        }
        console.log(`${found.total}${found.totalCapped ? '+' : ''} match(es)`);
      });
    });

  archive.command('disposition').description('list records past their retention date (approval is a person\'s act: in the web app or API)')
    .option('--limit <n>', 'how many', '100').option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts & { limit: string }) => {
      await withArchive(opts, async (deps, city) => {
        const report = await dueForDisposition(deps, city.org.id, city.pack, new Date(), { limit: Number(opts.limit) || 100 });
        for (const d of report.due) console.log(`${d.retainUntil.slice(0, 10)} ${d.series.padEnd(16)} ${d.kind.padEnd(18)} ${d.id}`);
        console.log(`${report.due.length} record(s) due; ${report.blocked.count}${report.blocked.capped ? '+' : ''} kept by legal holds${report.blocked.holds.map((h) => ` (${h.name}: ${h.count})`).join('')}`);
      });
    });

  archive.command('holds').description('list legal holds').option('--city <slug>').option('--data <dir>')
    .action(async (opts: CityOpts) => {
      await withArchive(opts, async (deps, city) => {
        for (const h of await listHolds(deps.db, city.org.id)) {
          console.log(`${h.id} ${h.releasedAt ? 'released' : 'ACTIVE  '} ${h.name} — ${h.reason} ${JSON.stringify(h.criteria)}`);
        }
      });
    });
  return archive;
}
