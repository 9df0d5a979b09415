import { createPrivateKey, generateKeyPairSync, verify, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateArchiveKey,
  loadPrivateKey,
  publicKeyFromPrivate,
  publicKeyFromRaw,
  recordMac,
  recordMacKey,
  verifyRecordMac,
} from './keys.js';

describe('archive keys', () => {
  it('generates an Ed25519 key whose raw public key matches the private key', () => {
    const key = generateArchiveKey();
    expect(key.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(key.publicKeyRaw).toHaveLength(32);
    const privateKey = loadPrivateKey(key.privateKeyPem);
    expect(publicKeyFromPrivate(privateKey)).toEqual(key.publicKeyRaw);
    expect(publicKeyFromPrivate(key.privateKeyPem)).toEqual(key.publicKeyRaw);
    const message = Buffer.from('checkpoint');
    expect(verify(null, message, publicKeyFromRaw(key.publicKeyRaw), sign(null, message, privateKey))).toBe(true);
  });

  it('matches RFC 8032 §7.1 test 1 (seed to public key)', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    expect(publicKeyFromPrivate(privateKey).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  });

  it('refuses keys that are not Ed25519 private keys', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => loadPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(/Ed25519/);
    expect(() => publicKeyFromPrivate(generateKeyPairSync('ed25519').publicKey)).toThrow(/private/);
    expect(() => publicKeyFromPrivate(privateKey)).toThrow();
    expect(() => publicKeyFromRaw(Buffer.alloc(31))).toThrow(RangeError);
    expect(publicKey.type).toBe('public');
  });

  it('derives a stable per-key MAC key and MACs canonical bytes', () => {
    const a = generateArchiveKey();
    const b = generateArchiveKey();
    const macKey = recordMacKey(a.privateKeyPem);
    expect(macKey).toHaveLength(32);
    expect(recordMacKey(loadPrivateKey(a.privateKeyPem))).toEqual(macKey);
    expect(recordMacKey(b.privateKeyPem)).not.toEqual(macKey);

    const record = Buffer.from('{"kind":"post","id":1}');
    const mac = recordMac(macKey, record);
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyRecordMac(macKey, record, mac)).toBe(true);
    expect(verifyRecordMac(macKey, Buffer.from('{"kind":"post","id":2}'), mac)).toBe(false);
    expect(verifyRecordMac(recordMacKey(b.privateKeyPem), record, mac)).toBe(false);
    expect(verifyRecordMac(macKey, record, mac.toUpperCase())).toBe(false);
    expect(verifyRecordMac(macKey, record, mac.slice(2))).toBe(false);
  });
});
