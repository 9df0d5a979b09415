// `civicdesk records export`: an account's whole history (or any slice of the archive) as the same
// verifiable package a records request produces, with a progress bar for long exports.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { withArchive } from './archive.cli.js';
import { operatorContext } from './city.js';
import { CliError } from './main.js';
import { exportRecords } from '../records/exports.commands.js';
import { RECORD_KINDS } from '../archive/record.js';

interface ExportOpts {
  out: string; purpose: string; title?: string; account?: string; kind: string[]; from?: string; to?: string; thread?: string;
  city?: string; data?: string; progress: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRecordsCommands(program: Command): Command {
  const records = program.command('records').description('public records: exports outside a records request');
  records.command('export').description('write a verifiable package (WACZ, PDF, CSV, proofs) of archived records')
    .requiredOption('--out <file.zip>', 'the ZIP to write')
    .requiredOption('--purpose <text>', 'why the records are exported (recorded with the export)')
    .option('--title <text>', 'title shown in the package')
    .option('--account <id|handle>', 'one account\'s records (its id or its handle)')
    .option('--kind <kind>', 'only this kind (repeatable)', collect, [])
    .option('--from <date>', 'captured on or after').option('--to <date>', 'captured on or before')
    .option('--thread <platformId>', 'one thread')
    .option('--no-progress', 'no progress bar')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: ExportOpts) => {
      const badKind = opts.kind.find((k) => !(RECORD_KINDS as readonly string[]).includes(k));
      if (badKind) throw new CliError(`--kind ${badKind}: expected one of ${RECORD_KINDS.join(', ')}`, 2);
      for (const [name, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
        if (value !== undefined && Number.isNaN(Date.parse(value))) throw new CliError(`${name} ${value}: expected a date like 2026-01-31`, 2);
      }
      await withArchive(opts, async (deps, city) => {
        let accountId: string | undefined;
        if (opts.account) {
          const wanted = opts.account;
          const account = await deps.db.selectFrom('accounts').select(['id', 'handle']).where('org_id', '=', city.org.id)
            .where((eb) => eb.or([eb('id', '=', wanted), eb('handle', '=', wanted)])).executeTakeFirst();
          if (!account) throw new CliError(`no account "${wanted}" in ${city.org.name}`, 2);
          accountId = account.id;
        }
        const bar = opts.progress && process.stderr.isTTY ? new SingleBar({ format: '{phase} [{bar}] {value}/{total} ({percentage}%) eta {eta_formatted}', stream: process.stderr }, Presets.shades_classic) : null;
        let phase = '';
        const summary = await exportRecords(operatorContext(deps.db, city), deps, {
          selection: { accountId, kinds: opts.kind, from: opts.from, to: opts.to, threadId: opts.thread },
          title: opts.title ?? `${city.org.name}: archived records${opts.account ? ` of ${opts.account}` : ''}`,
          purpose: opts.purpose,
          outFile: resolve(opts.out),
          onProgress: (done, total, p) => {
            if (!bar) return;
            if (p !== phase) { if (phase) bar.stop(); phase = p; bar.start(total, done, { phase: p.padEnd(10) }); } else bar.update(done);
          },
        });
        bar?.stop();
        console.log(`wrote ${summary.file}: ${summary.records} record(s), ${(summary.bytes / 1e6).toFixed(1)} MB, sha256 ${summary.sha256}`);
        console.log(`checkpoint: tree size ${summary.checkpoint.size}, root ${summary.checkpoint.rootHash}`);
      });
    });
  return records;
}
