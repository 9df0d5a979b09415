import { readFileSync, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { findBlanks, formatPackErrors, listBundledPacks, loadBundledPack, parsePack } from '../policy/pack.loader.js';
import type { PolicyPack } from '../policy/pack.schema.js';
import { CliError } from './main.js';

function readPack(idOrFile: string): PolicyPack {
  if (!existsSync(idOrFile)) return loadBundledPack(idOrFile);
  const parsed = parsePack(readFileSync(idOrFile, 'utf8'), idOrFile);
  if (!parsed.ok) throw new CliError(`pack is not valid:\n${formatPackErrors(parsed.errors)}`, 2);
  return parsed.pack;
}

export function registerPackCommands(program: Command): void {
  const pack = program.command('pack').description('policy packs: list, show, validate');

  pack.command('list').description('the bundled packs').action(() => {
    for (const p of listBundledPacks()) console.log(`${p.id.padEnd(16)} ${p.version.padEnd(14)} ${p.title}`);
  });

  pack.command('show <idOrFile>').description('print a pack as JSON').action((idOrFile: string) => {
    console.log(JSON.stringify(readPack(idOrFile), null, 2));
  });

  pack.command('validate <file>').description('check a pack file; names the file, JSON path and reason of each problem')
    .action((file: string) => {
      if (!existsSync(file)) throw new CliError(`${file}: no such file`, 2);
      const parsed = parsePack(readFileSync(file, 'utf8'), file);
      if (!parsed.ok) {
        process.stderr.write(`${formatPackErrors(parsed.errors)}\n`);
        throw new CliError(`${file}: ${parsed.errors.length} problem(s); the pack is not valid`, 1);
      }
      const blanks = findBlanks(parsed.pack);
      const note = blanks.length ? ` (a template: fill ${blanks.join(', ')} with \`civicdesk init\`)` : '';
      console.log(`${file}: valid pack ${parsed.pack.id} version ${parsed.pack.version}${note}`);
    });
}
