// `civicdesk classify`: comment triage as a filter. Reads JSON lines {"id", "post", "text"} on
// stdin and writes one JSON line per input line to stdout, in order:
//   {"id": "...", "labels": ["profanity", ...], "viewpoint": true, "evidence": {...}}
// plus "unclassifiable" when there is nothing to classify (empty text, media only). A malformed
// line gets {"id": ..., "error": "..."} and processing continues; the exit code is 0 either way,
// so one bad comment never stops a pipeline.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { classify } from '../moderation/classifier/index.js';
import type { ClassifyOptions } from '../moderation/classifier/index.js';

interface Options {
  allow: string[];
  officials: string[];
}

function collect(value: string, previous: string[]): string[] {
  return previous.concat(value.split(',').map((v) => v.trim()).filter(Boolean));
}

function idOf(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const id = (raw as Record<string, unknown>).id;
    if (typeof id === 'string') return id;
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  }
  return null;
}

function failure(id: string | null, error: string): { json: string; ok: false } {
  return { json: JSON.stringify({ id, error }), ok: false };
}

/** The output line (without the newline) for one input line. Never throws. */
export function classifyLine(line: string, options: ClassifyOptions): { json: string; ok: boolean } {
  if (line.trim() === '') return failure(null, 'empty line');
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return failure(null, `malformed JSON: ${(err as Error).message}`);
  }
  const id = idOf(raw);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return failure(id, 'expected a JSON object {"id", "post", "text"}');
  const record = raw as Record<string, unknown>;
  if (record.text !== undefined && record.text !== null && typeof record.text !== 'string') return failure(id, '"text" must be a string');
  if (record.post !== undefined && record.post !== null && typeof record.post !== 'string') return failure(id, '"post" must be a string');
  // A comment that is only a photo arrives with no text; platforms put the attachment alongside.
  const hasMedia = ['media', 'attachments', 'images', 'image', 'video'].some((k) => record[k] !== undefined && record[k] !== null);
  try {
    const result = classify({ text: typeof record.text === 'string' ? record.text : '', post: typeof record.post === 'string' ? record.post : undefined, hasMedia }, options);
    const json = JSON.stringify({
      id, labels: result.labels, viewpoint: result.viewpoint, evidence: result.evidence,
      ...(result.unclassifiable ? { unclassifiable: result.unclassifiable } : {}),
    });
    return { json, ok: true };
  } catch (err) {
    return failure(id, `classifier failed: ${(err as Error).message}`);
  }
}

/** Classifies a JSON-lines stream into another, in order, honouring back-pressure. */
export async function classifyStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: ClassifyOptions): Promise<{ lines: number; errors: number }> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let count = 0;
  let errors = 0;
  for await (const line of lines) {
    count += 1;
    const { json, ok } = classifyLine(line, options);
    if (!ok) errors += 1;
    if (!output.write(`${json}\n`)) await once(output, 'drain');
  }
  return { lines: count, errors };
}

export function registerClassifyCommand(program: Command): void {
  program.command('classify')
    .description('triage comments: JSON lines {"id","post","text"} on stdin, one JSON line {"id","labels","viewpoint","evidence"} per line on stdout')
    .option('--allow <terms>', 'local names and streets that are never profanity, comma-separated (repeatable)', collect, [])
    .option('--officials <names>', "officials' names, comma-separated (repeatable)", collect, [])
    .action(async (opts: Options) => {
      const { lines, errors } = await classifyStream(process.stdin, process.stdout, { allowlist: opts.allow, officials: opts.officials });
      if (errors > 0) process.stderr.write(`civicdesk classify: ${errors} of ${lines} line(s) could not be read\n`);
    });
}
