// Signed tree heads as C2SP tlog-checkpoint bodies inside C2SP signed notes, so the same text
// verifies with any signed-note tool (e.g. golang.org/x/mod/sumdb/note) and can be cosigned by
// witnesses. Formats: c2sp.org/signed-note, c2sp.org/tlog-checkpoint.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { loadPrivateKey, publicKeyFromPrivate, publicKeyFromRaw } from './keys.js';

/** Signature type byte for Ed25519 notes (c2sp.org/signed-note, "Signature types"). */
export const ED25519_SIGNATURE_TYPE = 0x01;
const EM_DASH_SPACE = '\u2014 ';
// The spec asks verifiers to accept at least 16 signatures; past 100 (Go's limit) it is abuse.
const MAX_SIGNATURES = 100;

export interface Checkpoint {
  origin: string;
  size: number;
  /** The RFC 6962 root at `size`, 32 bytes. */
  root: Buffer;
}

export interface NoteSignature {
  keyName: string;
  /** First 4 bytes of the decoded signature field. */
  keyId: Buffer;
  /** The rest: for Ed25519, the 64-byte signature over the note text. */
  signature: Buffer;
}

export interface ParsedCheckpoint extends Checkpoint {
  /** The signed text, exactly: origin, size and root lines (and any extensions), each ending "\n". */
  body: string;
  extensions: string[];
  signatures: NoteSignature[];
}

export interface VerifierKey {
  keyName: string;
  keyId: Buffer;
  publicKeyRaw: Buffer;
}

export class CheckpointFormatError extends Error {
  override name = 'CheckpointFormatError';
}

function fail(why: string): never {
  throw new CheckpointFormatError(why);
}

/** Non-empty, no Unicode space (JS \s lacks U+0085, which Go's unicode.IsSpace has) and no '+'. */
function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s\u0085+]/u.test(name) && !/[\u0000-\u001f\u007f]/.test(name);
}

/** Strict RFC 4648 §4 base64: canonical padding, no whitespace, so one value has one spelling. */
function strictBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4]. */
export function keyId(keyName: string, publicKeyRaw: Uint8Array): Buffer {
  if (publicKeyRaw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createHash('sha256')
    .update(keyName, 'utf8')
    .update(Buffer.of(0x0a, ED25519_SIGNATURE_TYPE))
    .update(publicKeyRaw)
    .digest()
    .subarray(0, 4);
}

/** The verifier key text: `<name>+<hex key ID>+<base64(0x01 || public key)>`. */
export function vkeyFor(keyName: string, publicKeyRaw: Uint8Array): string {
  if (!isKeyName(keyName)) throw new RangeError(`invalid key name ${JSON.stringify(keyName)}`);
  const material = Buffer.concat([Buffer.of(ED25519_SIGNATURE_TYPE), publicKeyRaw]).toString('base64');
  return `${keyName}+${keyId(keyName, publicKeyRaw).toString('hex')}+${material}`;
}

/** Parses a vkey and checks that its key ID matches its key; throws, as a bad vkey is a config error. */
export function parseVkey(vkey: string): VerifierKey {
  // The base64 part may itself contain '+', so split on the first two only.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 0 || second < 0) throw new Error('vkey must be <name>+<key ID>+<key>');
  const keyName = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const material = strictBase64(vkey.slice(second + 1));
  if (!isKeyName(keyName)) throw new Error('vkey has an invalid key name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error('vkey key ID must be 8 lower-case hex digits');
  if (material === null || material.length !== 33 || material[0] !== ED25519_SIGNATURE_TYPE) {
    throw new Error('vkey key must be base64 of 0x01 followed by a 32-byte Ed25519 key');
  }
  const publicKeyRaw = Buffer.from(material.subarray(1));
  if (keyId(keyName, publicKeyRaw).toString('hex') !== idHex) throw new Error('vkey key ID does not match its key');
  return { keyName, keyId: Buffer.from(idHex, 'hex'), publicKeyRaw };
}

/** Splits a signed note into its text and signature lines, rejecting anything malformed. */
export function parseNote(text: string): { body: string; signatures: NoteSignature[] } {
  if (Buffer.from(text, 'utf8').toString('utf8') !== text) fail('note is not valid UTF-8');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) fail('note contains a control character');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) fail('note has no blank line before its signatures');
  const body = text.slice(0, split + 1);
  const block = text.slice(split + 2);
  if (block.length === 0 || !block.endsWith('\n')) fail('note must end with a signature line and a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) fail('note has too many signatures');
  const signatures = lines.map((line) => {
    if (!line.startsWith(EM_DASH_SPACE)) fail('signature line must start with an em dash and a space');
    const rest = line.slice(EM_DASH_SPACE.length);
    const space = rest.indexOf(' ');
    const keyName = rest.slice(0, space);
    const bytes = space < 0 ? null : strictBase64(rest.slice(space + 1));
    if (!isKeyName(keyName) || bytes === null || bytes.length < 5) fail('malformed signature line');
    return { keyName, keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
  });
  return { body, signatures };
}

/** Signs `body` (which must end in a newline) and returns the signed note. */
export function signNote(body: string, keyName: string, privateKey: KeyObject | string): string {
  if (!isKeyName(keyName)) throw new RangeError(`invalid key name ${JSON.stringify(keyName)}`);
  if (!body.endsWith('\n') || body.includes('\n\n') || body.startsWith('\n')) {
    throw new RangeError('note text must be non-empty lines, each ending in a newline');
  }
  const key = typeof privateKey === 'string' ? loadPrivateKey(privateKey) : privateKey;
  const id = keyId(keyName, publicKeyFromPrivate(key));
  const signature = sign(null, Buffer.from(body, 'utf8'), key);
  return `${body}\n${EM_DASH_SPACE}${keyName} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/**
 * The note text if a signature by `vkey` verifies, else null. Signatures by other keys are ignored
 * (witness cosignatures, rotated keys); a signature that claims this key but fails rejects the whole
 * note, as c2sp.org/signed-note recommends.
 */
export function verifyNote(text: string, vkey: string | VerifierKey): string | null {
  const key = typeof vkey === 'string' ? parseVkey(vkey) : vkey;
  let note: { body: string; signatures: NoteSignature[] };
  try {
    note = parseNote(text);
  } catch (error) {
    if (error instanceof CheckpointFormatError) return null;
    throw error;
  }
  const mine = note.signatures.filter((s) => s.keyName === key.keyName && s.keyId.equals(key.keyId));
  if (mine.length === 0) return null;
  const publicKey = publicKeyFromRaw(key.publicKeyRaw);
  const message = Buffer.from(note.body, 'utf8');
  const allValid = mine.every((s) => s.signature.length === 64 && verify(null, message, publicKey, s.signature));
  return allValid ? note.body : null;
}

/** `<origin>\n<size>\n<base64 root>\n`; we add no extension lines. */
export function checkpointBody({ origin, size, root }: Checkpoint): string {
  if (origin.length === 0 || /[\u0000-\u001f]/.test(origin)) throw new RangeError('origin must be one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer');
  if (root.length !== 32) throw new RangeError('root must be 32 bytes');
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

export function signCheckpoint(checkpoint: Checkpoint, keyName: string, privateKey: KeyObject | string): string {
  return signNote(checkpointBody(checkpoint), keyName, privateKey);
}

/** Parses a signed checkpoint without checking signatures; throws CheckpointFormatError. */
export function parseCheckpoint(text: string): ParsedCheckpoint {
  const { body, signatures } = parseNote(text);
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) fail('checkpoint needs origin, size and root lines');
  if (lines.some((line) => line.length === 0)) fail('checkpoint lines must be non-empty');
  const [origin, sizeText, rootText, ...extensions] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) fail('tree size must be decimal without leading zeros');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) fail('tree size is too large');
  const root = strictBase64(rootText);
  if (root === null || root.length !== 32) fail('root hash must be base64 of 32 bytes');
  return { origin, size, root, body, extensions, signatures };
}

/** The checkpoint if `vkey` signed it, else null (including for malformed text). */
export function verifyCheckpoint(text: string, vkey: string | VerifierKey): Checkpoint | null {
  if (verifyNote(text, vkey) === null) return null;
  try {
    const { origin, size, root } = parseCheckpoint(text);
    return { origin, size, root };
  } catch (error) {
    if (error instanceof CheckpointFormatError) return null;
    throw error;
  }
}
