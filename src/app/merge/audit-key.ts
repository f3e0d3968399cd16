/**
 * The key that signs the audit log's checkpoints, from the App's environment (never the repo):
 *
 *   MICROAPPS_AUDIT_PRIVATE_KEY  the private key's text (OpenSSH, as `microapps audit keygen`
 *                                writes it), for secret stores that hand out values;
 *   MICROAPPS_AUDIT_KEY          or a path to that file (as `microapps apply` takes it);
 *   MICROAPPS_AUDIT_KEY_ID       optional: the registered key id, when the key's comment is not it.
 *
 * Without a key the App records nothing: the caller logs the message and leaves the delivery
 * open for a redelivery once the key is configured. Messages name the variable and the
 * problem, never the key's bytes.
 */
import { readFileSync } from 'node:fs';
import { signerFromOpenSshKey, type AuditSigner } from '../../core/audit/index.js';

export const AUDIT_PRIVATE_KEY_ENV = 'MICROAPPS_AUDIT_PRIVATE_KEY';
export const AUDIT_KEY_PATH_ENV = 'MICROAPPS_AUDIT_KEY';
export const AUDIT_KEY_ID_ENV = 'MICROAPPS_AUDIT_KEY_ID';

export type AuditKeyResult = { signer: AuditSigner; problem?: undefined } | { signer?: undefined; problem: string };

export type Env = Readonly<Record<string, string | undefined>>;

export function auditSignerFromEnv(env: Env, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): AuditKeyResult {
  const inline = env[AUDIT_PRIVATE_KEY_ENV];
  const path = env[AUDIT_KEY_PATH_ENV];
  let text: string;
  let source: string;
  if (inline && inline.trim() !== '') {
    // Secret stores and .env files often keep a multi-line value with literal "\n".
    text = inline.includes('\n') ? inline : inline.replace(/\\n/g, '\n');
    source = AUDIT_PRIVATE_KEY_ENV;
  } else if (path && path.trim() !== '') {
    try {
      text = readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);
      return { problem: `${AUDIT_KEY_PATH_ENV} names a file the App cannot read (${path}: ${code}); nothing was recorded` };
    }
    source = `${AUDIT_KEY_PATH_ENV} (${path})`;
  } else {
    return {
      problem:
        `no audit signing key: set ${AUDIT_PRIVATE_KEY_ENV} (the private key's text) or ${AUDIT_KEY_PATH_ENV} (its file), ` +
        'as made by `microapps audit keygen`; nothing was recorded. Redeliver the push once the key is set',
    };
  }
  const keyId = env[AUDIT_KEY_ID_ENV]?.trim() || undefined;
  const signer = signerFromOpenSshKey(text, { keyId, source });
  if (!signer.value) return { problem: `${signer.problems.map((p) => p.message).join('; ')}; nothing was recorded` };
  return { signer: signer.value };
}
