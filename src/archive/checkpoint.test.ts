import { createPrivateKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CheckpointFormatError,
  checkpointBody,
  keyId,
  parseCheckpoint,
  parseNote,
  parseVkey,
  signCheckpoint,
  signNote,
  verifyCheckpoint,
  verifyNote,
  vkeyFor,
} from './checkpoint.js';
import { generateArchiveKey, publicKeyFromPrivate } from './keys.js';
import { leafHash, rootOf } from './merkle.js';

function privateKeyFromSeed(seed: Buffer): KeyObject {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

// The worked example of golang.org/x/mod/sumdb/note (package documentation): the signer key
// PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 || seed)>, its vkey, and the signed note.
const PETER_SKEY_MATERIAL = 'AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE = `${PETER_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

// Real signed tree heads of the Go checksum database (sum.golang.org), a C2SP checkpoint whose origin
// is "go.sum database tree", verified with the key built into the go command. The first is the
// checkpoint in transparency-dev/formats' log/checkpoint_test.go benchmark.
const SUMDB_VKEY = 'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';
const SUMDB_CHECKPOINTS: Array<[string, number]> = [
  ['go.sum database tree\n31700353\nqINS1GRFhWHwdkUeqLEoP4yEMkTBBzxBkGwGQlVlVcs=\n\n— sum.golang.org Az3grnmrIUEDFqHzAElIQCPNoRFRAAdFo47fooyWKMHb89k11GJh5zHIfNCOBmwn/C3YI8oW9/C8DJ87F61QqspBYwM=\n', 31700353],
  ['go.sum database tree\n65209736\n5+uGFjx6xBZG8ip1+wi77v+grwbhhukIrxEUS8PXvRo=\n\n— sum.golang.org Az3grnbssgK7ubgFX36gVETtNv0U23qxyAhAMai2QUfeGa3nB/akvkMdlUErfcZz7l/R3cVtYspg3dxXABkGZZKdsQ8=\n', 65209736],
];

describe('signed notes against published examples', () => {
  const peter = privateKeyFromSeed(Buffer.from(PETER_SKEY_MATERIAL, 'base64').subarray(1));

  it('computes the key ID and vkey of the Go example key', () => {
    const publicKeyRaw = publicKeyFromPrivate(peter);
    expect(keyId('PeterNeumann', publicKeyRaw).toString('hex')).toBe('c74f20a3');
    expect(vkeyFor('PeterNeumann', publicKeyRaw)).toBe(PETER_VKEY);
    expect(parseVkey(PETER_VKEY).publicKeyRaw).toEqual(publicKeyRaw);
  });

  it('reproduces the Go example note byte for byte (Ed25519 is deterministic) and verifies it', () => {
    expect(signNote(PETER_TEXT, 'PeterNeumann', peter)).toBe(PETER_NOTE);
    expect(verifyNote(PETER_NOTE, PETER_VKEY)).toBe(PETER_TEXT);
    expect(verifyNote(PETER_NOTE.replace('cryptography', 'cryptographY'), PETER_VKEY)).toBeNull();
  });

  it('verifies real sum.golang.org checkpoints with the Go checksum database key', () => {
    const vkey = parseVkey(SUMDB_VKEY);
    expect(vkey.keyId.toString('hex')).toBe('033de0ae');
    for (const [text, size] of SUMDB_CHECKPOINTS) {
      const checkpoint = verifyCheckpoint(text, SUMDB_VKEY);
      expect(checkpoint?.origin).toBe('go.sum database tree');
      expect(checkpoint?.size).toBe(size);
      expect(checkpoint?.root).toHaveLength(32);
      expect(verifyCheckpoint(text.replace(`\n${size}\n`, `\n${size + 1}\n`), SUMDB_VKEY)).toBeNull();
    }
  });
});

describe('checkpoints', () => {
  const key = generateArchiveKey();
  const name = 'civicdesk.example/springfield';
  const vkey = vkeyFor(name, key.publicKeyRaw);
  const root = rootOf(['a', 'b', 'c'].map((s) => leafHash(Buffer.from(s))));
  const checkpoint = { origin: name, size: 3, root };
  const signed = signCheckpoint(checkpoint, name, key.privateKeyPem);

  it('has the C2SP layout and round-trips', () => {
    const sig = signed.split('\n')[4];
    expect(signed.startsWith(`${name}\n3\n${root.toString('base64')}\n\n— ${name} `)).toBe(true);
    expect(signed.endsWith('\n')).toBe(true);
    expect(Buffer.from(sig.split(' ')[2], 'base64')).toHaveLength(68);
    expect(verifyCheckpoint(signed, vkey)).toEqual(checkpoint);
    const parsed = parseCheckpoint(signed);
    expect(parsed.body).toBe(checkpointBody(checkpoint));
    expect(parsed.signatures[0].keyId).toEqual(keyId(name, key.publicKeyRaw));
  });

  it('fails when the size, root or origin changes, or another key signed', () => {
    const otherRoot = Buffer.from(root);
    otherRoot[0] ^= 1;
    expect(verifyCheckpoint(signed.replace(`\n3\n`, `\n4\n`), vkey)).toBeNull();
    expect(verifyCheckpoint(signed.replace(root.toString('base64'), otherRoot.toString('base64')), vkey)).toBeNull();
    expect(verifyCheckpoint(signed.replace(`${name}\n3`, `${name}x\n3`), vkey)).toBeNull();

    const other = generateArchiveKey();
    const forged = signCheckpoint(checkpoint, name, other.privateKeyPem);
    expect(verifyCheckpoint(forged, vkey)).toBeNull(); // same name, different key ID: not ours
    expect(verifyCheckpoint(signed, vkeyFor(name, other.publicKeyRaw))).toBeNull();
    // A forged signature line that claims our key ID rejects the note even beside a good one.
    const forgedLine = forged.split('\n')[4].split(' ');
    const claimed = Buffer.from(forgedLine[2], 'base64');
    keyId(name, key.publicKeyRaw).copy(claimed);
    expect(verifyCheckpoint(`${signed}— ${name} ${claimed.toString('base64')}\n`, vkey)).toBeNull();
    // Cosignatures by unknown keys are ignored.
    const witness = signNote(checkpointBody(checkpoint), 'witness.example', other.privateKeyPem).split('\n\n')[1];
    expect(verifyCheckpoint(signed + witness, vkey)).toEqual(checkpoint);
  });

  it('parses strictly', () => {
    const body = (size: string, rootText = root.toString('base64'), origin = name): string =>
      signed.replace(`${name}\n3\n${root.toString('base64')}\n`, `${origin}\n${size}\n${rootText}\n`);
    const bad: Array<[string, string]> = [
      ['missing trailing newline', signed.slice(0, -1)],
      ['no blank line', signed.replace('\n\n', '\n')],
      ['no signature', checkpointBody(checkpoint) + '\n'],
      ['leading zero size', body('03')],
      ['negative size', body('-3')],
      ['non-decimal size', body('0x3')],
      ['fractional size', body('3.0')],
      ['unsafe size', body('9007199254740993')],
      ['bad base64 root', body('3', '!!!!')],
      ['unpadded root', body('3', root.toString('base64').replace(/=+$/, ''))],
      ['short root', body('3', root.subarray(0, 31).toString('base64'))],
      ['empty origin', body('3', root.toString('base64'), '')],
      ['only two lines', signed.replace(`3\n${root.toString('base64')}\n`, '3\n')],
      ['CRLF', signed.replace(/\n/g, '\r\n')],
      ['tab', signed.replace(`${name}\n`, `${name}\t\n`)],
      ['hyphen for em dash', signed.replace('— ', '- ')],
      ['bad signature base64', signed.replace(/ ([A-Za-z0-9+/=]+)\n$/, ' $1$\n')],
      ['short signature', signed.replace(/ ([A-Za-z0-9+/=]+)\n$/, ' AAAA\n')],
      ['key name with plus', signed.replace(`— ${name}`, `— a+b`)],
    ];
    for (const [why, text] of bad) {
      expect(() => parseCheckpoint(text), why).toThrow(CheckpointFormatError);
      expect(verifyCheckpoint(text, vkey), why).toBeNull();
    }
    expect(() => parseNote('text\n\n— name AAAAAAA=\n')).not.toThrow();
    expect(parseCheckpoint(signed.replace(`${root.toString('base64')}\n`, `${root.toString('base64')}\next\n`)).extensions).toEqual(['ext']);
  });

  it('refuses bad vkeys and bad inputs to sign', () => {
    expect(() => parseVkey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/does not match/);
    expect(() => parseVkey(`${name}+abc+AAAA`)).toThrow();
    expect(() => parseVkey(name)).toThrow();
    expect(() => vkeyFor('has space', key.publicKeyRaw)).toThrow(RangeError);
    expect(() => signCheckpoint({ ...checkpoint, origin: 'a\nb' }, name, key.privateKeyPem)).toThrow(RangeError);
    expect(() => signCheckpoint({ ...checkpoint, size: -1 }, name, key.privateKeyPem)).toThrow(RangeError);
    expect(() => signCheckpoint(checkpoint, 'a+b', key.privateKeyPem)).toThrow(RangeError);
  });
});
