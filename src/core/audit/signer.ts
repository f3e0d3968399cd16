/**
 * The signer `appendEntries` needs, from the OpenSSH private key file that git's SSH signing
 * uses too (MICROAPPS_AUDIT_KEY in `microapps apply`).
 */
import { KEY_ID_PATTERN } from './keys.js';
import { failed, ok, type AuditResult, type AuditSigner } from './model.js';
import { parseOpenSshPrivateKey, publicKeyLine, signEd25519 } from './openssh.js';

export interface OpenSshSigner extends AuditSigner {
  /** "ssh-ed25519 AAAA..." without comment: to find or compare the registered key. */
  publicKeyLine: string;
}

/**
 * A signer from the text of an unencrypted OpenSSH Ed25519 private key file. The key id is
 * `keyId`, or else the key's comment (keygen sets it to the key id).
 */
export function signerFromOpenSshKey(fileText: string, options: { keyId?: string; source?: string } = {}): AuditResult<OpenSshSigner> {
  const source = options.source ?? 'the audit private key';
  const parsed = parseOpenSshPrivateKey(fileText);
  if (parsed.error !== undefined)
    return failed([{ code: 'audit.private-key', path: source, line: 0, message: `${source}: ${parsed.error}` }]);
  const keyId = options.keyId ?? parsed.value.comment;
  if (!KEY_ID_PATTERN.test(keyId)) {
    return failed([
      {
        code: 'audit.private-key',
        path: source,
        line: 0,
        message: `${source}: its comment "${keyId}" is not a key id (keygen writes the key id there); say which registered key it is`,
      },
    ]);
  }
  const { key, publicKey } = parsed.value;
  return ok({ keyId, publicKeyLine: publicKeyLine(publicKey.raw), sign: (bytes: Uint8Array) => signEd25519(key, bytes) });
}
