// The `civicdesk` command. Each subcommand returns an exit code; errors a person can fix are
// printed as one clear line, never a stack trace.
import { Command, CommanderError } from 'commander';
import { AppError } from '../http/errors.js';
import { registerPackCommands } from './pack.cli.js';
import { registerStartCommand } from './start.cli.js';
import { registerInitCommand } from './init.cli.js';
import { registerUserCommands } from './user.cli.js';
import { registerEventsCommands } from './events.cli.js';
import { registerArchiveCommands } from './archive.cli.js';
import { registerVaultCommands } from './vault.cli.js';
import { registerAccountCommands } from './accounts.cli.js';
import { registerRequestCommands } from './requests.cli.js';
import { registerClassifyCommand } from './classify.cli.js';
import { registerRecordsCommands } from './records.cli.js';

/** Thrown by subcommands for a failure the user caused; carries the exit code. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const program = new Command('civicdesk')
    .description('CivicDesk: run a city\'s official social media under its adopted policy')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerStartCommand(program);
  registerInitCommand(program);
  registerPackCommands(program);
  registerUserCommands(program);
  registerEventsCommands(program);
  registerArchiveCommands(program);
  registerVaultCommands(program);
  registerAccountCommands(program);
  registerRequestCommands(program);
  registerClassifyCommand(program);
  registerRecordsCommands(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      process.stderr.write(`civicdesk: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof AppError) {
      const fields = err.details.fields?.map((f) => `\n  ${f.path}: ${f.message}`).join('') ?? '';
      const sources = err.details.sources?.length ? ` (${err.details.sources.join(', ')})` : '';
      process.stderr.write(`civicdesk: ${err.message}${sources}${fields}\n`);
      return 1;
    }
    process.stderr.write(`civicdesk: ${(err as Error).message}\n`);
    return 1;
  }
}

// Run directly (e.g. `tsx src/cli/main.ts start`).
if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
