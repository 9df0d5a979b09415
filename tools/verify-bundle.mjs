#!/usr/bin/env node
// Verifies a CivicDesk records bundle offline: `node verify-bundle.mjs <bundle-dir>`.
//
// Deliberately one self-contained file using only Node's built-ins, so a records requester can check
// what a city gave them with nothing but Node (18 or later) and without trusting the city's code.
// Bundle layout:
//   checkpoint.txt  the city's signed tree head (a C2SP checkpoint in a C2SP signed note)
//   vkey.txt        the city's verifier key: <name>+<hex key ID>+<base64(0x01 || Ed25519 key)>
//   records.jsonl   {"leafIndex": n, "canonical": "<base64>", "proof": ["<hex>", ...]} per line
//   blobs/<sha256>  optional payloads and media that records refer to by hash
// Exit code: 0 all verified, 1 a problem was found, 2 usage error.
import * as crypto from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const HEX64 = /^[0-9a-f]{64}$/;
const EM_DASH_SPACE = '\u2014 ';
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const utf8 = new TextDecoder('utf-8', { fatal: true });

// crypto.hash (Node >= 20.12) returning a latin1 string is several times faster than createHash
// for 65-byte node inputs; older Nodes fall back.
const nodeScratch = Buffer.alloc(65, 1);
const sha256 = typeof crypto.hash === 'function'
  ? (data) => Buffer.from(crypto.hash('sha256', data, 'binary'), 'latin1')
  : (data) => crypto.createHash('sha256').update(data).digest();
const leafHash = (bytes) => sha256(Buffer.concat([Buffer.of(0), bytes]));
function nodeHash(left, right) {
  left.copy(nodeScratch, 1);
  right.copy(nodeScratch, 33);
  return sha256(nodeScratch);
}

/** Strict base64 (canonical padding, no whitespace), or null. */
function base64(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

const keyIdOf = (name, publicKey) =>
  crypto.createHash('sha256').update(name).update(Buffer.of(0x0a, 0x01)).update(publicKey).digest().subarray(0, 4);
const isKeyName = (name) => name.length > 0 && !/[\s\u0085+\u0000-\u001f]/u.test(name);

/** <name>+<key ID>+<base64(0x01 || key)>; the base64 may contain '+'. Throws with the reason. */
function parseVkey(text) {
  const [name, id, ...rest] = text.split('+');
  const material = base64(rest.join('+'));
  if (!isKeyName(name ?? '') || !/^[0-9a-f]{8}$/.test(id ?? '')) throw new Error('not of the form <name>+<key ID>+<key>');
  if (material === null || material.length !== 33 || material[0] !== 0x01) throw new Error('key is not an Ed25519 key');
  const publicKey = material.subarray(1);
  if (keyIdOf(name, publicKey).toString('hex') !== id) throw new Error('key ID does not match the key');
  return { name, id, publicKey };
}

/** Parses the signed note and the checkpoint body (c2sp.org/signed-note, c2sp.org/tlog-checkpoint). */
function parseCheckpoint(text) {
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new Error('contains a control character');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw new Error('no blank line before the signatures');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block === '' || !block.endsWith('\n')) throw new Error('must end with a signature line and a newline');
  const signatures = block.slice(0, -1).split('\n').map((line) => {
    const space = line.indexOf(' ', EM_DASH_SPACE.length);
    const name = line.slice(EM_DASH_SPACE.length, space);
    const bytes = space < 0 ? null : base64(line.slice(space + 1));
    if (!line.startsWith(EM_DASH_SPACE) || !isKeyName(name) || bytes === null || bytes.length < 5) {
      throw new Error('malformed signature line');
    }
    return { name, id: bytes.subarray(0, 4).toString('hex'), signature: bytes.subarray(4) };
  });
  const [origin, sizeText, rootText, ...extensions] = body.slice(0, -1).split('\n');
  if (!origin || rootText === undefined || extensions.some((line) => line === '')) throw new Error('body needs origin, size and root lines');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw new Error('tree size is not decimal');
  const root = base64(rootText);
  if (root === null || root.length !== 32) throw new Error('root hash is not base64 of 32 bytes');
  return { body, origin, size: Number(sizeText), root, signatures };
}

/** RFC 9162 §2.1.3.2 inclusion proof verification. */
function verifyInclusion(leaf, index, size, proof, root) {
  if (index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** Yields [lineNumber, text] for each line, reading in chunks so large bundles need little memory. */
function* lines(path) {
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  let pending = Buffer.alloc(0);
  let number = 0;
  try {
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      const data = read === 0 ? pending : Buffer.concat([pending, chunk.subarray(0, read)]);
      let start = 0;
      for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
        yield [++number, data.subarray(start, nl)];
        start = nl + 1;
      }
      pending = Buffer.from(data.subarray(start));
      if (read === 0) break;
    }
    if (pending.length > 0) yield [++number, pending];
  } finally {
    closeSync(fd);
  }
}

function fileSha256(path) {
  const hash = crypto.createHash('sha256');
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (let read; (read = readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Blob hashes a record's JSON refers to: payloadSha256, evidenceSha256 and media[].sha256, at any depth. */
function blobRefs(value, where = '', found = []) {
  if (Array.isArray(value)) value.forEach((item, i) => blobRefs(item, `${where}[${i}]`, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = where ? `${where}.${key}` : key;
      if ((key === 'payloadSha256' || key === 'evidenceSha256') && typeof item === 'string') found.push({ field: at, hash: item });
      else if (key === 'media' && Array.isArray(item)) {
        item.forEach((m, i) => {
          if (m !== null && typeof m === 'object' && typeof m.sha256 === 'string') found.push({ field: `${at}[${i}].sha256`, hash: m.sha256 });
        });
        blobRefs(item, at, found);
      } else blobRefs(item, at, found);
    }
  }
  return found;
}

function main(args) {
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error('usage: node verify-bundle.mjs <bundle-dir>');
    return 2;
  }
  const dir = args[0];
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`verify-bundle: ${dir} is not a directory`);
    return 2;
  }
  let problems = 0;
  let warnings = 0;
  const problem = (text) => (problems++, console.log(`FAIL ${text}`));
  const warn = (text) => (warnings++, console.log(`WARN ${text}`));
  const read = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name)) : (problem(`${name}: missing from the bundle`), null));

  // 1. The checkpoint, signed by the city's key.
  let vkey = null;
  let checkpoint = null;
  const vkeyBytes = read('vkey.txt');
  const checkpointBytes = read('checkpoint.txt');
  try {
    if (vkeyBytes) vkey = parseVkey(utf8.decode(vkeyBytes).trim());
  } catch (error) {
    problem(`vkey.txt: ${error.message}`);
  }
  try {
    if (checkpointBytes) checkpoint = parseCheckpoint(utf8.decode(checkpointBytes));
  } catch (error) {
    problem(`checkpoint.txt: ${error.message}`);
  }
  if (vkey && checkpoint) {
    const mine = checkpoint.signatures.filter((s) => s.name === vkey.name && s.id === vkey.id);
    const key = crypto.createPublicKey({ key: Buffer.concat([SPKI_ED25519, vkey.publicKey]), format: 'der', type: 'spki' });
    const message = Buffer.from(checkpoint.body, 'utf8');
    if (mine.length === 0) problem(`checkpoint.txt: no signature by ${vkey.name}+${vkey.id}`);
    else if (!mine.every((s) => s.signature.length === 64 && crypto.verify(null, message, key, s.signature))) {
      problem(`checkpoint.txt: the signature by ${vkey.name}+${vkey.id} does not verify (the checkpoint was altered)`);
    }
  }

  // 2. Each record: its leaf hash, through its inclusion proof, must give the checkpoint's root.
  const seen = new Set();
  const refs = new Map(); // blob hash -> [{ leaf, field }]
  let records = 0;
  let included = 0;
  const recordsPath = join(dir, 'records.jsonl');
  if (!existsSync(recordsPath)) problem('records.jsonl: missing from the bundle');
  else for (const [lineNo, bytes] of lines(recordsPath)) {
    if (bytes.length === 0) continue;
    records++;
    let record;
    try {
      record = JSON.parse(utf8.decode(bytes));
    } catch {
      problem(`records.jsonl line ${lineNo}: not a JSON object`);
      continue;
    }
    const index = record?.leafIndex;
    if (!Number.isSafeInteger(index) || index < 0) {
      problem(`records.jsonl line ${lineNo}: no valid leafIndex`);
      continue;
    }
    const leaf = `leaf ${index}`;
    if (seen.has(index)) problem(`${leaf}: appears more than once`);
    seen.add(index);
    const canonical = base64(record.canonical);
    const proof = Array.isArray(record.proof) && record.proof.every((p) => typeof p === 'string' && HEX64.test(p))
      ? record.proof.map((p) => Buffer.from(p, 'hex'))
      : null;
    if (canonical === null) problem(`${leaf}: canonical is not base64`);
    else if (proof === null) problem(`${leaf}: proof is not a list of 64-digit lower-case hex hashes`);
    else if (checkpoint && index >= checkpoint.size) problem(`${leaf}: beyond the checkpoint's tree size ${checkpoint.size}`);
    else if (checkpoint && !verifyInclusion(leafHash(canonical), index, checkpoint.size, proof, checkpoint.root)) {
      problem(`${leaf}: not in the checkpoint's tree (its bytes or its proof were altered)`);
    } else if (checkpoint) included++;
    if (canonical === null) continue;
    let parsed;
    try {
      parsed = JSON.parse(utf8.decode(canonical));
    } catch {
      continue; // not JSON: refers to no blobs
    }
    for (const { field, hash } of blobRefs(parsed)) {
      if (!HEX64.test(hash)) warn(`${leaf}: ${field} is not a lower-case SHA-256 hex`);
      else if (refs.has(hash)) refs.get(hash).push({ leaf, field });
      else refs.set(hash, [{ leaf, field }]);
    }
  }

  // 3. Blobs: each present file must hash to its name; referenced ones should be present.
  const blobDir = join(dir, 'blobs');
  if (!existsSync(blobDir)) {
    if (refs.size > 0) warn(`no blobs/ directory: ${refs.size} referenced blobs not checked`);
  } else {
    const present = new Set();
    for (const name of readdirSync(blobDir).sort()) {
      if (!HEX64.test(name)) {
        warn(`blobs/${name}: not named by a SHA-256 hex; not checked`);
        continue;
      }
      present.add(name);
      if (fileSha256(join(blobDir, name)) === name) continue;
      const users = refs.get(name) ?? [];
      if (users.length === 0) problem(`blobs/${name}: content does not hash to its name`);
      for (const { leaf, field } of users) problem(`${leaf}: blob ${name} (${field}) does not hash to its name (altered)`);
    }
    for (const [hash, users] of refs) {
      if (!present.has(hash)) for (const { leaf, field } of users) warn(`${leaf}: blob ${hash} (${field}) is not in the bundle`);
    }
  }

  const against = checkpoint ? `${checkpoint.origin} at tree size ${checkpoint.size}` : 'no readable checkpoint';
  const signer = vkey ? ` signed by ${vkey.name}+${vkey.id}` : '';
  const notes = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
  if (problems === 0) {
    console.log(`OK: ${included} of ${records} records verified against ${against}${signer}${notes}`);
    return 0;
  }
  console.log(`FAILED: ${problems} problem${problems === 1 ? '' : 's'}; ${included} of ${records} records in the tree of ${against}${signer}${notes}`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
