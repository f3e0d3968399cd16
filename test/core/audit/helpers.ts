/** Keys, entries and logs for the audit tests, made in memory (Node's Ed25519, no ssh-keygen). */
import { generateKeyPairSync } from 'node:crypto';
import { appendEntries, type Appended } from '../../../src/core/audit/append.js';
import { allowedSignersLine, keyFileText, keyPath } from '../../../src/core/audit/keys.js';
import type { AuditFiles, AuditKey, AuditSigner, EntryInput } from '../../../src/core/audit/model.js';
import { publicKeyLine, signEd25519 } from '../../../src/core/audit/openssh.js';

export interface TestKey {
  key: AuditKey;
  signer: AuditSigner;
  path: string;
  text: string;
}

export function makeKey(keyId = 'audit-2025', from = '2025-01-01T00:00:00Z', until: string | null = null): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const key: AuditKey = {
    key_id: keyId,
    algorithm: 'ssh-ed25519',
    public_key: publicKeyLine(raw, keyId),
    valid_from: from,
    valid_until: until,
  };
  return { key, signer: { keyId, sign: (bytes) => signEd25519(privateKey, bytes) }, path: keyPath(keyId), text: keyFileText(key) };
}

/** Empty audit files registering `keys` (and their allowed_signers lines). */
export function emptyFiles(...keys: TestKey[]): AuditFiles {
  return {
    log: '',
    checkpoints: '',
    keys: new Map(keys.map((k) => [k.path, k.text])),
    allowedSigners: keys.map((k) => `${allowedSignersLine(k.key)}\n`).join(''),
  };
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width);

/** A realistic entry to append: the i-th change (registrations, changes, now and then a removal). */
export function body(i: number, time = `2025-03-01T12:00:${String(i % 60).padStart(2, '0')}.000Z`): EntryInput {
  const removed = i % 7 === 6;
  const app = `app-${i % 50}`;
  return {
    time,
    event: removed ? 'removed' : i % 3 === 0 ? 'registered' : 'changed',
    app,
    path: `registry/team-${i % 5}/${app}.yaml`,
    manifest_hash: removed ? null : `sha256:${hex(i * 7919, 64)}`,
    commit: hex(i * 104729 + 1, 40),
    decision: i % 4 === 0 ? 'auto_approve' : 'manager_approval',
    rules: i % 4 === 0 ? ['001'] : ['002'],
    pull_request: {
      number: 100 + i,
      url: `https://github.com/example/registry/pull/${100 + i}`,
      author: 'citizen-dev',
      merged_by: 'maintainer',
    },
    approvals: i % 4 === 0 ? [] : [{ action: 'manager_approval', by: ['manager-1'] }],
    provisioning: [
      { provisioner: 'gateway', status: removed ? 'applied' : 'unchanged', idempotency_key: `${app}:${i}` },
      ...(i % 5 === 0
        ? [
            {
              provisioner: 'webhook',
              status: 'failed' as const,
              detail: 'HTTP 500 after 3 tries\nretry scheduled',
              idempotency_key: `wh:${app}:${i}`,
            },
          ]
        : []),
    ],
  };
}

/** Appends or throws (for building fixtures). */
export function mustAppend(files: AuditFiles, bodies: EntryInput[], signer: AuditSigner, now: string): Appended {
  const result = appendEntries(files, bodies, signer, now);
  if (!result.value) throw new Error(`append failed: ${JSON.stringify(result.problems, null, 2)}`);
  return result.value;
}

/**
 * A log of `batches.length` appends (batch sizes as given), one checkpoint each, signed by
 * `key`, checkpoint times one minute apart from 2025-03-01T12:00Z.
 */
export function buildLog(key: TestKey, batches: number[], start: AuditFiles = emptyFiles(key)): AuditFiles {
  let files = start;
  let seq = 0;
  batches.forEach((size, b) => {
    const bodies = Array.from({ length: size }, () => body(++seq));
    files = mustAppend(files, bodies, key.signer, new Date(Date.UTC(2025, 2, 1, 12, b)).toISOString()).files;
  });
  return files;
}

export const lines = (text: string) => text.split('\n').slice(0, -1);
export const unlines = (ls: string[]) => ls.map((l) => `${l}\n`).join('');
