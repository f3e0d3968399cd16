/**
 * OpenSSH key formats, against keys made by the real ssh-keygen (as `audit keygen` makes them).
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseOpenSshPrivateKey, parsePublicKeyLine, publicKeyLine, verifyEd25519 } from '../../../src/core/audit/openssh.js';
import { signerFromOpenSshKey } from '../../../src/core/audit/signer.js';

const dir = mkdtempSync(join(tmpdir(), 'microapps-ssh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ssh-keygen -t TYPE -N PASSPHRASE -C COMMENT; returns [private key text, public key line]. */
function sshKeygen(name: string, type: string, passphrase = '', comment = name): [string, string] {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', passphrase, '-C', comment, '-f', file], { stdio: 'ignore' });
  return [readFileSync(file, 'utf8'), readFileSync(`${file}.pub`, 'utf8').trim()];
}

describe('OpenSSH Ed25519 keys', () => {
  const [privateText, publicText] = sshKeygen('audit-2025', 'ed25519');

  it('reads the private key ssh-keygen writes: the seed gives the public key of the .pub file', () => {
    const parsed = parseOpenSshPrivateKey(privateText);
    expect(parsed.error).toBeUndefined();
    const pub = parsePublicKeyLine(publicText).value!;
    expect(parsed.value!.publicKey.raw.equals(pub.raw)).toBe(true);
    expect(parsed.value!.comment).toBe('audit-2025');
    expect(pub.comment).toBe('audit-2025');
    expect(publicKeyLine(pub.raw, 'audit-2025')).toBe(publicText);
  });

  it('signs with it; the public key line verifies', () => {
    const signer = signerFromOpenSshKey(privateText).value!;
    expect(signer.keyId).toBe('audit-2025');
    expect(signer.publicKeyLine).toBe(publicText.split(' ').slice(0, 2).join(' '));
    const message = Buffer.from('checkpoint bytes');
    const signature = signer.sign(message);
    expect(signature).toHaveLength(64);
    const pub = parsePublicKeyLine(publicText).value!;
    expect(verifyEd25519(pub.key, message, signature)).toBe(true);
    expect(verifyEd25519(pub.key, Buffer.from('other bytes'), signature)).toBe(false);
  });

  it('takes the key id from the caller when the comment is not one', () => {
    const [text] = sshKeygen('odd-comment', 'ed25519', '', 'Audit Key <ops@example.com>');
    expect(signerFromOpenSshKey(text).problems[0]!.message).toContain('its comment "Audit Key <ops@example.com>" is not a key id');
    expect(signerFromOpenSshKey(text, { keyId: 'audit-2026' }).value!.keyId).toBe('audit-2026');
  });

  it('refuses an encrypted key, saying how to remove the passphrase', () => {
    const [text] = sshKeygen('encrypted', 'ed25519', 'correct horse');
    const parsed = parseOpenSshPrivateKey(text);
    expect(parsed.error).toMatch(
      /^the key is encrypted with a passphrase \(aes256-ctr, bcrypt\); the audit key is read without one: remove it with ssh-keygen -p -N '' -f FILE/,
    );
    expect(signerFromOpenSshKey(text, { source: '/secure/audit.key' }).problems[0]!.message).toMatch(
      /^\/secure\/audit\.key: the key is encrypted/,
    );
  });

  it('refuses other key types and other formats', () => {
    const [ecdsa, ecdsaPub] = sshKeygen('ecdsa', 'ecdsa');
    expect(parseOpenSshPrivateKey(ecdsa).error).toBe('it is a "ecdsa-sha2-nistp256" key; audit keys must be ssh-ed25519');
    expect(parsePublicKeyLine(ecdsaPub).error).toBe('it is a "ecdsa-sha2-nistp256" key; audit keys must be ssh-ed25519');
    const pkcs8 = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(parseOpenSshPrivateKey(pkcs8).error).toContain('it is a "PRIVATE KEY" PEM file, not an OpenSSH private key');
    expect(parseOpenSshPrivateKey('hello').error).toBe(
      'it is not an OpenSSH private key (it must start with -----BEGIN OPENSSH PRIVATE KEY-----)',
    );
  });

  it('refuses a damaged file', () => {
    const body = privateText.trim().split('\n');
    const truncated = [...body.slice(0, 3), body[body.length - 1]].join('\n');
    expect(parseOpenSshPrivateKey(truncated).error).toMatch(/^the key file is damaged/);
    // One base64 character of the private section changed.
    const inner = body.slice(1, -1).join('');
    const at = inner.length - 40;
    const flipped = inner.slice(0, at) + (inner[at] === 'A' ? 'B' : 'A') + inner.slice(at + 1);
    const damaged = [body[0], ...flipped.match(/.{1,70}/g)!, body[body.length - 1]].join('\n');
    expect(parseOpenSshPrivateKey(damaged).error).toMatch(/^the key file is damaged/);
  });

  it('refuses damaged public key lines', () => {
    const [type, blob] = publicText.split(' ');
    expect(parsePublicKeyLine(`${type}`).error).toContain('it is not an OpenSSH public key line');
    expect(parsePublicKeyLine(`${type} ${blob!.slice(0, -4)}`).error).toMatch(/damaged|base64/);
    expect(parsePublicKeyLine(`${type} ${Buffer.from('not a key').toString('base64')}`).error).toMatch(/damaged|not an ssh-ed25519/);
    expect(parsePublicKeyLine(`${type} ${blob}`).value!.comment).toBe('');
  });
});
