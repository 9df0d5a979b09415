import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openConfiguredDatabase, runtimeConfig } from './config.js';
import { cityFor, operatorContext } from './city.js';
import { runCli } from './main.js';
import { registerRequestCommands } from './requests.cli.js';
import { submitRequest } from '../accounts/requests.commands.js';
import { addDepartment, addPerson } from '../people/people.commands.js';

let out: string;
let dir: string;

beforeEach(() => {
  out = '';
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-requests-cli-'));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  delete process.env.DATABASE_URL;
});
afterEach(() => vi.restoreAllMocks());

// Until the lead wires registerRequestCommands into main.ts, drive it through its own program.
async function run(args: string[]): Promise<void> {
  const program = new Command('civicdesk').exitOverride();
  registerRequestCommands(program);
  await program.parseAsync(args, { from: 'user' });
}

describe('civicdesk request / training', () => {
  it('records training as the operator, then lists and shows a request with its chain', async () => {
    const data = join(dir, 'data');
    expect(await runCli(['init', '--pack', 'bozeman-mt', '--data', data, '--admin-email', 'it@bozeman.example'])).toBe(0);

    out = '';
    await run(['training', 'record', '--email', 'it@bozeman.example', '--module', 'security-awareness', '--date', '2025-01-15', '--data', data]);
    expect(out).toContain('recorded security-awareness for it@bozeman.example on 2025-01-15');
    out = '';
    await run(['training', 'status', '--email', 'it@bozeman.example', '--data', data]);
    expect(out).toMatch(/security-awareness\s+current\s+2025-01-15/);
    expect(out).toMatch(/site-creation\s+missing/);
    await expect(run(['training', 'record', '--email', 'it@bozeman.example', '--module', 'nope', '--date', '2025-01-15', '--data', data])).rejects.toThrow('Unknown training module');

    const database = await openConfiguredDatabase(runtimeConfig({ data }));
    let id = '';
    try {
      const city = await cityFor(database.db, undefined);
      const parks = await addDepartment(operatorContext(database.db, city), 'Parks');
      const director = await addPerson(operatorContext(database.db, city), {
        email: 'parks@bozeman.example', displayName: 'Parks Director', password: 'Parks-Director-Passw0rd!', roles: ['department_director'], departmentId: parks,
      });
      // A tool request needs account.request, which a department director holds for their department.
      const actor = { kind: 'user' as const, userId: director, orgId: city.org.id, label: 'parks', roles: ['department_director'], departmentId: parks, pack: city.pack };
      id = await submitRequest({ db: database.db, actor, packVersion: city.packDigest }, 'platform', { platform: 'bluesky', name: 'Bluesky' });
    } finally {
      await database.close();
    }

    out = '';
    await run(['request', 'list', '--status', 'pending', '--data', data]);
    expect(out).toContain(id);
    expect(out).toContain('awaits Director of IT');
    expect(out).toContain('Approve the platform Bluesky (bluesky)');
    out = '';
    await run(['request', 'show', id, '--data', data]);
    expect(out).toContain('1. Director of IT approves the platform for city use');
    expect(out).toContain(': awaiting');
    await expect(run(['request', 'list', '--status', 'maybe', '--data', data])).rejects.toThrow('--status');
  });
});
