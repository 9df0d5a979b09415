// A city's archive key: one Ed25519 key that signs the city's checkpoints, and from which the
// per-record MAC key is derived, so an operator backs up a single secret.
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hkdfSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

export interface ArchiveKey {
  /** PKCS#8 PEM; the only secret. Kept out of the database, so a database dump cannot forge records. */
  privateKeyPem: string;
  /** The 32-byte RFC 8032 public key, as published in the city's vkey. */
  publicKeyRaw: Buffer;
}

const MAC_INFO = 'civicdesk record mac';
// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw key follows it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function generateArchiveKey(): ArchiveKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyRaw: rawPublicKey(publicKey),
  };
}

/** Parses a PKCS#8 PEM and refuses anything but an Ed25519 private key. */
export function loadPrivateKey(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`archive key must be Ed25519, got ${key.asymmetricKeyType ?? 'unknown'}`);
  }
  return key;
}

function asPrivateKey(privateKey: KeyObject | string): KeyObject {
  if (typeof privateKey === 'string') return loadPrivateKey(privateKey);
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('expected an Ed25519 private key');
  }
  return privateKey;
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  if (der.length !== ED25519_SPKI_PREFIX.length + 32 || !der.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)) {
    throw new Error('not an Ed25519 public key');
  }
  return Buffer.from(der.subarray(ED25519_SPKI_PREFIX.length));
}

/** The 32-byte raw public key of a private key (KeyObject or PKCS#8 PEM). */
export function publicKeyFromPrivate(privateKey: KeyObject | string): Buffer {
  return rawPublicKey(createPublicKey(asPrivateKey(privateKey)));
}

/** A verification KeyObject from the 32-byte raw public key (as carried in a vkey). */
export function publicKeyFromRaw(publicKeyRaw: Uint8Array): KeyObject {
  if (publicKeyRaw.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, publicKeyRaw]), format: 'der', type: 'spki' });
}

/**
 * The HMAC key for records: HKDF-SHA256 over the 32-byte Ed25519 seed, with the info string as
 * domain separation so the MAC key is never the signing key itself. A row inserted straight into
 * the database by someone without the archive key has no valid MAC, so verification can name it as
 * inserted rather than merely "not matching".
 */
export function recordMacKey(privateKey: KeyObject | string): Buffer {
  const jwk = asPrivateKey(privateKey).export({ format: 'jwk' });
  if (typeof jwk.d !== 'string') throw new Error('private key has no seed');
  const seed = Buffer.from(jwk.d, 'base64url');
  return Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), MAC_INFO, 32));
}

/** Lower-case hex HMAC-SHA256 of a record's canonical bytes. */
export function recordMac(key: Uint8Array, canonical: Uint8Array): string {
  return createHmac('sha256', key).update(canonical).digest('hex');
}

/** Constant-time check of a stored MAC (hex), so a probe cannot learn a valid MAC byte by byte. */
export function verifyRecordMac(key: Uint8Array, canonical: Uint8Array, mac: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(recordMac(key, canonical), 'hex'), Buffer.from(mac, 'hex'));
}
