// Where bytes and keys live outside the database. Blobs are content-addressed by SHA-256, so a
// second write of the same media is free and a blob can be checked against its name. The
// interface is what an S3-compatible store would implement later.
import { createHash, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateArchiveKey, loadPrivateKey, publicKeyFromPrivate, recordMacKey } from './keys.js';

export interface BlobStore {
  put(bytes: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Uint8Array | null>;
  has(sha256: string): Promise<boolean>;
}

export class FolderBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(sha256);
    if (existsSync(path)) return sha256;
    mkdirSync(join(this.root, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
    // Write then rename: a crash never leaves a partial blob under its final name.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { flush: true });
    renameSync(tmp, path);
    return sha256;
  }

  async get(sha256: string): Promise<Uint8Array | null> {
    const path = this.pathOf(sha256);
    return existsSync(path) ? readFileSync(path) : null;
  }

  async has(sha256: string): Promise<boolean> {
    return existsSync(this.pathOf(sha256));
  }
}

export interface CityKey {
  privateKey: KeyObject;
  publicKeyRaw: Buffer;
  macKey: Buffer;
}

/**
 * Each city's Ed25519 archive key, one PEM file per city in a folder outside the database (a copy
 * of the database alone can neither sign checkpoints nor forge record MACs).
 */
export class FolderKeyStore {
  private readonly cache = new Map<string, CityKey>();

  constructor(private readonly root: string) {}

  load(orgId: string): CityKey | null {
    const cached = this.cache.get(orgId);
    if (cached) return cached;
    const path = join(this.root, `${orgId}.ed25519.pem`);
    if (!existsSync(path)) return null;
    const privateKey = loadPrivateKey(readFileSync(path, 'utf8'));
    const key = { privateKey, publicKeyRaw: publicKeyFromPrivate(privateKey), macKey: recordMacKey(privateKey) };
    this.cache.set(orgId, key);
    return key;
  }

  create(orgId: string): CityKey {
    const existing = this.load(orgId);
    if (existing) return existing;
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    const generated = generateArchiveKey();
    writeFileSync(join(this.root, `${orgId}.ed25519.pem`), generated.privateKeyPem, { mode: 0o600, flag: 'wx' });
    const key = this.load(orgId);
    if (!key) throw new Error('archive key was not written');
    return key;
  }
}
