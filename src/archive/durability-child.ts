// The process that durability.test.ts kills. It loads its modules, says `ready`, and waits for `go`
// on stdin (so the test can start the next child while it checks the last one: loading modules
// through tsx takes longer than anything else here). Then it opens the archive database, captures
// batches in a loop and, after each batch's transaction has committed, acknowledges it with one
// line on stdout, `ack <record id> <record id> ...`, until it is killed. A line written is an
// acknowledgement the test holds the archive to (stdout to a pipe is written synchronously on
// POSIX). It exits by itself if stdin closes (the test went away) or after a minute.
//
//   node --import tsx src/archive/durability-child.ts <sqlitePath | postgres://url> <keysDir> <blobsDir> <orgId> <run>
//
// The key folder must be the one the test uses: record MACs are derived from the city's key.
import { openDatabase } from '../db/database.js';
import { comment } from '../testing/archive.js';
import type { ArchiveDeps } from './archive.service.js';
import { capture } from './capture.js';
import type { RecordInput } from './record.js';
import { FolderBlobStore, FolderKeyStore } from './stores.js';

const [target, keysDir, blobsDir, orgId, runArg] = process.argv.slice(2);
if (!target || !keysDir || !blobsDir || !orgId || !runArg) {
  process.stderr.write('usage: durability-child.ts <sqlitePath|postgres-url> <keysDir> <blobsDir> <orgId> <run>\n');
  process.exit(2);
}
const run = Number(runArg);

process.stdin.setEncoding('utf8');
process.stdin.on('end', () => process.exit(0));
setTimeout(() => process.exit(4), 60_000).unref();
process.stdout.write('ready\n');
await new Promise<void>((go) => {
  let received = '';
  process.stdin.on('data', (chunk: string) => {
    received += chunk;
    if (received.includes('go\n')) go();
  });
});

const database = await openDatabase(/^postgres(ql)?:\/\//.test(target) ? { databaseUrl: target, sqlitePath: '' } : { sqlitePath: target });
const deps: ArchiveDeps = {
  db: database.db, dialect: database.dialect, host: 'civicdesk.test',
  blobs: new FolderBlobStore(blobsDir), keys: new FolderKeyStore(keysDir),
};
// The key was created by the test; a child that made its own would write records no one can verify.
if (!deps.keys.load(orgId)) {
  process.stderr.write(`no archive key for ${orgId} in ${keysDir}\n`);
  process.exit(3);
}

let previous: RecordInput[] = [];
for (let batch = 0; ; batch++) {
  // Batch sizes vary so the kill lands in every phase: validation, media, the transaction, commit.
  const size = 1 + ((batch * 37 + run * 11) % 60);
  const records: RecordInput[] = [];
  for (let i = 0; i < size; i++) {
    const n = run * 1_000_000 + batch * 100 + i;
    const media = i % 10 === 3 ? { media: [{ bytes: Buffer.from(`image ${n}`), mime: 'image/png', alt: `photo ${n}` }] } : {};
    records.push(comment(n, { text: `Resident comment ${n} about snow removal on Main Street`, ...media }));
  }
  // Now and then a record captured before: it must come back as the same record, not a new one.
  if (previous.length > 0 && batch % 4 === 1) records.push(previous[0]);
  const captured = await capture(deps, orgId, records);
  process.stdout.write(`ack ${captured.map((c) => c.id).join(' ')}\n`);
  previous = records;
}
