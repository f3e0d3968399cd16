/**
 * Ed25519 keys in OpenSSH's formats, turned into Node KeyObjects. The audit key must be an
 * OpenSSH key because git's SSH signing (the signed audit commit) reads only that format,
 * and Node's crypto cannot read it; ssh-keygen in turn cannot read PKCS#8 Ed25519 keys.
 *
 * - Public key line (authorized_keys / *.pub): "ssh-ed25519 <base64 blob> [comment]", the blob
 *   being string "ssh-ed25519", string key (32 bytes) in SSH wire encoding (RFC 4251 5: uint32
 *   big-endian length, then the bytes).
 * - Private key file ("openssh-key-v1", OpenSSH's PROTOCOL.key): only unencrypted files with one
 *   Ed25519 key, which is what `ssh-keygen -t ed25519 -N ''` writes. The private section holds
 *   the 32-byte seed followed by the public key; JWK (OKP, Ed25519) turns them into a KeyObject.
 *
 * Ours, not sshpk: sshpk reads every key type and format (RSA, DSA, ECDSA, PEM, PKCS#8,
 * encrypted keys) through nine dependencies into the Action's bundle; the audit key must be one
 * unencrypted Ed25519 key, which these few checks accept and nothing else.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const SSH_ED25519 = 'ssh-ed25519';
const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const BEGIN = '-----BEGIN OPENSSH PRIVATE KEY-----';
const END = '-----END OPENSSH PRIVATE KEY-----';

export type Parsed<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

export interface SshPublicKey {
  /** The raw 32-byte Ed25519 public key. */
  raw: Buffer;
  key: KeyObject;
  comment: string;
}

export interface SshPrivateKey {
  key: KeyObject;
  publicKey: SshPublicKey;
  /** The comment stored in the key file (ssh-keygen -C). */
  comment: string;
}

/** Parses "ssh-ed25519 AAAA... comment". */
export function parsePublicKeyLine(line: string): Parsed<SshPublicKey> {
  const m = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: (.*))?$/.exec(line.trim());
  if (!m) return { error: 'it is not an OpenSSH public key line ("ssh-ed25519 AAAA... comment")' };
  if (m[1] !== SSH_ED25519) return { error: `it is a "${m[1]}" key; audit keys must be ssh-ed25519` };
  const blob = strictBase64(m[2]!);
  if (!blob) return { error: 'its key is not valid base64' };
  try {
    const reader = new WireReader(blob);
    if (reader.text() !== SSH_ED25519) return { error: 'its key blob is not an ssh-ed25519 key' };
    const raw = reader.bytes();
    reader.end();
    if (raw.length !== 32) return { error: 'its Ed25519 key is not 32 bytes long' };
    return { value: { raw, key: publicKeyObject(raw), comment: m[3] ?? '' } };
  } catch (e) {
    return { error: `its key blob is damaged (${(e as Error).message})` };
  }
}

/** "ssh-ed25519 <base64> comment" for a raw public key. */
export function publicKeyLine(raw: Uint8Array, comment = ''): string {
  const blob = Buffer.concat([wireString(Buffer.from(SSH_ED25519)), wireString(Buffer.from(raw))]);
  return `${SSH_ED25519} ${blob.toString('base64')}${comment ? ` ${comment}` : ''}`;
}

/** Parses an unencrypted OpenSSH Ed25519 private key file. */
export function parseOpenSshPrivateKey(fileText: string): Parsed<SshPrivateKey> {
  const lines = fileText.trim().split(/\r?\n/);
  if (lines[0] !== BEGIN || lines[lines.length - 1] !== END) {
    const pem = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(lines[0] ?? '');
    return {
      error: pem
        ? `it is a "${pem[1]}" PEM file, not an OpenSSH private key; make the audit key with: ssh-keygen -t ed25519 -N '' -f FILE`
        : `it is not an OpenSSH private key (it must start with ${BEGIN})`,
    };
  }
  const data = strictBase64(lines.slice(1, -1).join(''));
  if (!data) return { error: 'the key file is damaged: its body is not valid base64' };
  try {
    return readKeyFile(new WireReader(data));
  } catch (e) {
    return { error: `the key file is damaged (${(e as Error).message})` };
  }
}

function readKeyFile(r: WireReader): Parsed<SshPrivateKey> {
  if (!r.take(MAGIC.length).equals(MAGIC)) return { error: 'it is not an "openssh-key-v1" private key' };
  const cipher = r.text();
  const kdf = r.text();
  r.bytes(); // KDF options
  if (cipher !== 'none' || kdf !== 'none') {
    return {
      error: `the key is encrypted with a passphrase (${cipher}, ${kdf}); the audit key is read without one: remove it with ssh-keygen -p -N '' -f FILE, and protect the file instead (mode 0600, a secret store)`,
    };
  }
  if (r.u32() !== 1) return { error: 'the file holds several keys; it must hold exactly one Ed25519 key' };
  const publicBlob = r.bytes();
  const secret = new WireReader(r.bytes());
  r.end();
  // Two equal random numbers open the private part: they differ when it is damaged (or decrypted wrongly).
  const check1 = secret.u32();
  const check2 = secret.u32();
  if (check1 !== check2) return { error: 'the key file is damaged (its check numbers differ)' };
  const type = secret.text();
  if (type !== SSH_ED25519) return { error: `it is a "${type}" key; audit keys must be ssh-ed25519` };
  const pub = secret.bytes();
  const priv = secret.bytes();
  const comment = secret.text();
  const padding = secret.rest();
  if (pub.length !== 32 || priv.length !== 64 || !priv.subarray(32).equals(pub)) {
    return { error: 'the key file is damaged (the Ed25519 key has the wrong size or does not match itself)' };
  }
  if (!padding.every((b, i) => b === i + 1) || padding.length >= 8) return { error: 'the key file is damaged (bad padding)' };
  const outer = parsePublicKeyLine(`${SSH_ED25519} ${publicBlob.toString('base64')}`);
  if (outer.error !== undefined || !outer.value.raw.equals(pub))
    return { error: 'the key file is damaged (its two copies of the public key differ)' };
  const key = createPrivateKey({
    key: { kty: 'OKP', crv: 'Ed25519', d: priv.subarray(0, 32).toString('base64url'), x: pub.toString('base64url') },
    format: 'jwk',
  });
  // The seed determines the public key: a file whose halves disagree is not one key.
  const derived = createPublicKey(key).export({ format: 'jwk' }).x;
  if (derived !== pub.toString('base64url')) return { error: 'the key file is damaged (its private key does not give its public key)' };
  return { value: { key, publicKey: { raw: pub, key: publicKeyObject(pub), comment }, comment } };
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });
}

export function signEd25519(key: KeyObject, data: Uint8Array): Buffer {
  return sign(null, data, key);
}

export function verifyEd25519(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  return signature.length === 64 && verify(null, data, key, signature);
}

/** Base64 with padding, and nothing Buffer.from would silently skip. */
function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function wireString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** SSH wire encoding: uint32 big-endian, and strings as a uint32 length then the bytes. */
class WireReader {
  private at = 0;
  constructor(private readonly data: Buffer) {}

  take(n: number): Buffer {
    if (this.at + n > this.data.length) throw new Error('it ends too early');
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  u32(): number {
    return this.take(4).readUInt32BE(0);
  }

  bytes(): Buffer {
    return this.take(this.u32());
  }

  text(): string {
    return this.bytes().toString('latin1');
  }

  rest(): Buffer {
    return this.take(this.data.length - this.at);
  }

  end(): void {
    if (this.at !== this.data.length) throw new Error('unexpected bytes at its end');
  }
}
