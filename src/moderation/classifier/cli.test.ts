// The `civicdesk classify` contract, end to end: a child process reading JSON lines on stdin.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function run(input: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'classify', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('civicdesk classify', () => {
  it('answers every line in order, marks the malformed one with an error, and exits 0', async () => {
    const input = [
      JSON.stringify({ id: 'c1', post: 'Road construction begins Monday.', text: 'this detour is bullsh1t' }),
      '{"id": "c2", "text": "unterminated',
      JSON.stringify({ id: 'c3', post: 'Road construction begins Monday.', text: 'Will the 14 bus still stop at Birchwood?' }),
    ].join('\n');
    const { code, stdout } = await run(`${input}\n`);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ id: 'c1', labels: ['profanity'], viewpoint: true });
    expect(lines[0].evidence).toHaveProperty('profanity');
    expect(lines[1]).toHaveProperty('error');
    expect(lines[1]).not.toHaveProperty('labels');
    expect(lines[2]).toMatchObject({ id: 'c3', labels: [], viewpoint: false, evidence: {} });
  }, 60_000);

  it('marks empty and media-only comments unclassifiable, reads --allow, and keeps going after bad records', async () => {
    const input = [
      JSON.stringify({ id: 'e', text: '' }),
      JSON.stringify({ id: 'm', media: ['photo.jpg'] }),
      JSON.stringify({ id: 'n', text: 42 }),
      '[1, 2]',
      '',
      JSON.stringify({ id: 'a', text: 'Thanks Mayor Dick Smith, Cockrell Street looks great' }),
    ].join('\n');
    const { code, stdout } = await run(`${input}\n`, ['--allow', 'Dick Smith,Cockrell Street']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.id)).toEqual(['e', 'm', 'n', null, null, 'a']);
    expect(lines[0]).toMatchObject({ unclassifiable: 'empty text', labels: [] });
    expect(lines[1]).toMatchObject({ unclassifiable: 'media only', labels: [] });
    expect(lines[2]).toHaveProperty('error');
    expect(lines[3]).toHaveProperty('error');
    expect(lines[4]).toHaveProperty('error');
    expect(lines[5]).toMatchObject({ labels: [] });
  }, 60_000);
});
