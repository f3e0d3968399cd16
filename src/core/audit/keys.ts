/**
 * The public keys allowed to sign checkpoints (audit/keys/<key_id>.json) and the allowed
 * signers file that lets `git verify-commit` check the audit commits (audit/allowed_signers).
 */
import type { KeyObject } from 'node:crypto';
import { checkShape, constant, matching, nullable, satisfying, shape } from './fields.js';
import { AUDIT_ALLOWED_SIGNERS_PATH, AUDIT_COMMITTER_EMAIL, AUDIT_KEYS_DIR, type AuditKey, type AuditProblem } from './model.js';
import { parsePublicKeyLine } from './openssh.js';
import { compactUtc, isSecondInstant, parseInstant } from './time.js';
import { compareCodeUnits } from '../order.js';

/** Lower-case letters, digits and dashes; starts and ends with a letter or digit; at most 64 characters. */
export const KEY_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export interface LoadedKey {
  key: AuditKey;
  path: string;
  publicKey: KeyObject;
  raw: Buffer;
  /** The window in milliseconds since the epoch; `until` null: no end. */
  from: number;
  until: number | null;
}

const windowTime = 'a UTC time to the second, like 2025-01-31T00:00:00Z';
const KEY_SHAPE = shape({
  key_id: matching(KEY_ID_PATTERN, 'lower-case letters, digits and dashes'),
  algorithm: constant('ssh-ed25519'),
  public_key: satisfying(
    (v) => typeof v === 'string' && parsePublicKeyLine(v).error === undefined,
    'an OpenSSH ssh-ed25519 public key line',
  ),
  valid_from: satisfying(isSecondInstant, windowTime),
  valid_until: nullable(satisfying(isSecondInstant, windowTime)),
});

export function keyPath(keyId: string): string {
  return `${AUDIT_KEYS_DIR}${keyId}.json`;
}

/** The key file's text as keygen writes it (formatted JSON; any JSON formatting is accepted). */
export function keyFileText(key: AuditKey): string {
  return `${JSON.stringify(key, null, 2)}\n`;
}

/** Reads every key file; a file that is not a valid key is a problem, and its key is not loaded. */
export function loadKeys(files: ReadonlyMap<string, string>): { keys: Map<string, LoadedKey>; problems: AuditProblem[] } {
  const keys = new Map<string, LoadedKey>();
  const problems: AuditProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ code: 'audit.key-file', path, line: 1, message });
  for (const [path, text] of [...files].sort(([a], [b]) => compareCodeUnits(a, b))) {
    const name = /^audit\/keys\/([^/]+)\.json$/.exec(path)?.[1];
    if (name === undefined || !KEY_ID_PATTERN.test(name)) {
      problem(
        path,
        `${path} is not a key file: audit/keys/ holds only <key_id>.json files (key ids are lower-case letters, digits and dashes)`,
      );
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      problem(path, `the key file is not valid JSON (${(e as Error).message})`);
      continue;
    }
    const wrong = checkShape(value, KEY_SHAPE);
    if (wrong) {
      problem(path, `the key file is not valid: ${wrong}`);
      continue;
    }
    const key = value as AuditKey;
    if (key.key_id !== name) {
      problem(path, `the key file names key "${key.key_id}" but is called ${name}.json: the file name must be the key id`);
      continue;
    }
    const from = parseInstant(key.valid_from)!;
    const until = key.valid_until === null ? null : parseInstant(key.valid_until)!;
    if (until !== null && until < from) {
      problem(path, `the key's window ends (${key.valid_until}) before it starts (${key.valid_from})`);
      continue;
    }
    const parsed = parsePublicKeyLine(key.public_key).value!;
    keys.set(key.key_id, { key, path, publicKey: parsed.key, raw: parsed.raw, from, until });
  }
  return { keys, problems };
}

/** Whether the key may sign at `ms` (its window includes both ends, as ssh-keygen's does). */
export function keyCovers(key: LoadedKey, ms: number): boolean {
  return ms >= key.from && (key.until === null || ms <= key.until);
}

export function describeWindow(key: AuditKey): string {
  return key.valid_until === null ? `from ${key.valid_from} on` : `from ${key.valid_from} to ${key.valid_until}`;
}

/**
 * The key's line in audit/allowed_signers (ssh-keygen(1), ALLOWED SIGNERS): the principal,
 * options separated by commas (no spaces outside quotes), then the key. Times carry "Z" so
 * they mean UTC whatever the verifier's time zone (a recent OpenSSH: tested with 9.2).
 */
export function allowedSignersLine(key: AuditKey): string {
  const options = [`namespaces="git"`, `valid-after="${compactUtc(key.valid_from)}"`];
  if (key.valid_until !== null) options.push(`valid-before="${compactUtc(key.valid_until)}"`);
  const [type, blob] = key.public_key.trim().split(' ');
  return `${AUDIT_COMMITTER_EMAIL} ${options.join(',')} ${type} ${blob}`;
}

/**
 * audit/allowed_signers must say what audit/keys/ says: one line per registered key, with the
 * same window, and no other signer. A key added or widened in one place only is caught here.
 */
export function checkAllowedSigners(text: string, keys: ReadonlyMap<string, LoadedKey>): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const expected = new Map([...keys.values()].map((k) => [allowedSignersLine(k.key), k]));
  const seen = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (expected.has(line)) {
      seen.add(line);
      return;
    }
    problems.push({
      code: 'audit.allowed-signers',
      path: AUDIT_ALLOWED_SIGNERS_PATH,
      line: i + 1,
      message:
        'this line lets a key sign audit commits that audit/keys/ does not register with this window; each line must be exactly the one microapps audit keygen wrote for a registered key',
    });
  });
  for (const [line, k] of expected) {
    if (!seen.has(line)) {
      problems.push({
        code: 'audit.allowed-signers',
        path: AUDIT_ALLOWED_SIGNERS_PATH,
        line: 0,
        message: `key "${k.key.key_id}" (${k.path}) has no line in ${AUDIT_ALLOWED_SIGNERS_PATH}; add: ${line}`,
      });
    }
  }
  return problems;
}
