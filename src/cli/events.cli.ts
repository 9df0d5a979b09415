import type { Command } from 'commander';
import { listEvents, type EventView } from '../events/events.queries.js';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { cityFor } from './city.js';

function line(e: EventView): string {
  const sources = e.sources.length ? ` [${e.sources.join(',')}]` : '';
  return `${String(e.seq).padStart(6)} ${e.createdAt} ${e.action.padEnd(28)} ${e.targetType}:${e.targetId} by ${e.actor}${sources}`;
}

export function registerEventsCommands(program: Command): void {
  const events = program.command('events').description('the append-only event log');
  events.command('tail').description('print the latest events; --follow keeps printing new ones')
    .option('-n, --lines <n>', 'how many', '20')
    .option('-f, --follow', 'keep watching')
    .option('--city <slug>').option('--data <dir>')
    .action(async (opts: { lines: string; follow?: boolean; city?: string; data?: string }) => {
      const database = await openConfiguredDatabase(runtimeConfig(opts));
      try {
        const city = await cityFor(database.db, opts.city);
        const latest = (await listEvents(database.db, city.org.id, { limit: Number(opts.lines) || 20 })).reverse();
        latest.forEach((e) => console.log(line(e)));
        let after = latest.at(-1)?.seq ?? 0;
        while (opts.follow) {
          await new Promise((r) => setTimeout(r, 1000));
          for (const e of await listEvents(database.db, city.org.id, { afterSeq: after, limit: 500 })) {
            console.log(line(e));
            after = e.seq;
          }
        }
      } finally {
        await database.close();
      }
    });
}
