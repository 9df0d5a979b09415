import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './main.js';

let out: string;
let err: string;
let dir: string;

beforeEach(() => {
  out = '';
  err = '';
  dir = mkdtempSync(join(tmpdir(), 'civicdesk-cli-'));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out += `${a.join(' ')}\n`; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { err += String(s); return true; });
  delete process.env.DATABASE_URL;
});
afterEach(() => vi.restoreAllMocks());

describe('civicdesk CLI', () => {
  it('pack validate accepts the bundled packs and rejects a broken one with file, path and reason', async () => {
    expect(await runCli(['pack', 'validate', 'packs/bozeman-mt.json'])).toBe(0);
    expect(out).toContain('valid pack bozeman-mt');

    const broken = JSON.parse(readFileSync('packs/kalispell-mt.json', 'utf8')) as { roles: Array<{ grants: string[] }> };
    broken.roles[1]!.grants[0] = 'comment.obliterate';
    const file = join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify(broken, null, 2));
    expect(await runCli(['pack', 'validate', file])).toBe(1);
    expect(err).toContain(`${file}: $.roles[1].grants[0]`);
    expect(err).toContain('comment.obliterate');
  });

  it('init refuses the LMC template until its blanks are filled, then sets the city up', async () => {
    const data = join(dir, 'data');
    expect(await runCli(['init', '--pack', 'lmc-model', '--data', data])).toBe(2);
    expect(err).toContain('city_name');
    expect(err).toContain('administrator_title');

    err = '';
    const code = await runCli(['init', '--pack', 'lmc-model', '--data', data, '--city', 'Lakeside', '--website', 'https://lakeside.example',
      '--email-domain', 'lakeside.example', '--set', 'administrator_title=City Administrator',
      '--set', 'data_practices_contact_title=Responsible Authority', '--set', 'adopted_on=2025-03-01', '--admin-email', 'admin@lakeside.example']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('admin@lakeside.example');

    out = '';
    expect(await runCli(['user', 'list', '--data', data])).toBe(0);
    expect(out).toContain('admin@lakeside.example');
    expect(await runCli(['user', 'add', '--data', data, '--email', 'clerk@lakeside.example', '--name', 'Clerk', '--role', 'no_such_role'])).toBe(1);
    expect(err).toContain('no_such_role');

    out = '';
    expect(await runCli(['events', 'tail', '--data', data])).toBe(0);
    expect(out).toContain('city.created');
    expect(out).toContain('staff.added');
  });

  it('archive verify passes on a fresh city and names a record edited behind its back', async () => {
    const data = join(dir, 'data');
    expect(await runCli(['init', '--pack', 'bozeman-mt', '--data', data, '--admin-email', 'it@bozeman.example'])).toBe(0);
    out = '';
    expect(await runCli(['archive', 'checkpoint', '--data', data])).toBe(0);
    expect(out).toMatch(/civicdesk\.localhost\/bozeman\/archive\n\d+\n/);
    out = '';
    expect(await runCli(['archive', 'verify', '--data', data])).toBe(0);
    expect(out).toMatch(/0 problem\(s\)/);
    out = '';
    expect(await runCli(['archive', 'search', 'staff.added', '--data', data])).toBe(0);
    expect(out).toContain('it@bozeman.example');
    expect(out).toMatch(/1 match\(es\)/);

    const SQLite = (await import('better-sqlite3')).default;
    const raw = new SQLite(join(data, 'civicdesk.db'));
    raw.exec('DROP TRIGGER archive_contents_no_update');
    const victim = raw.prepare('SELECT record_id FROM archive_contents LIMIT 1').get() as { record_id: string };
    raw.prepare("UPDATE archive_contents SET canonical = replace(canonical, 'staff', 'STAFF') WHERE record_id = ?").run(victim.record_id);
    raw.close();
    out = '';
    expect(await runCli(['archive', 'verify', '--data', data])).toBe(1);
    expect(out).toContain(`ALTERED    record ${victim.record_id}`);
  });

  it('start refuses a bad port with a clear message', async () => {
    expect(await runCli(['start', '--port', 'abc', '--data', join(dir, 'd')])).toBe(2);
    expect(err).toContain('--port');
  });
});
