/**
 * Checkpoints (audit/checkpoints.jsonl): the signed tree size and root after each append.
 * The signature is Ed25519 over the canonical JSON of the checkpoint without `signature`.
 */
import { canonicalJson } from '../canonical-json.js';
import { checkShape, constant, matching, positiveInteger, satisfying, shape } from './fields.js';
import { HASH_PATTERN } from './hash.js';
import { KEY_ID_PATTERN } from './keys.js';
import { AuditBugError } from '../errors.js';
import { AUDIT_LOG_ID, failed, ok, type AuditResult, type AuditSigner, type Checkpoint } from './model.js';
import { isInstant } from './time.js';

const CHECKPOINT_SHAPE = shape({
  v: constant(1),
  log: constant(AUDIT_LOG_ID),
  tree_size: positiveInteger,
  root_hash: matching(HASH_PATTERN, 'a SHA-256 hash written "sha256:" and 64 lower-case hex digits'),
  time: satisfying(isInstant, 'an ISO 8601 UTC time such as 2025-03-01T12:00:00.000Z'),
  key_id: matching(KEY_ID_PATTERN, 'a key id (lower-case letters, digits and dashes)'),
  // 64 bytes of base64: 86 characters and "==".
  signature: matching(/^[A-Za-z0-9+/]{85}[AQgw]==$/, 'a base64 Ed25519 signature (64 bytes)'),
});

export type UnsignedCheckpoint = Omit<Checkpoint, 'signature'>;

export function checkCheckpoint(value: unknown): string | undefined {
  return checkShape(value, CHECKPOINT_SHAPE);
}

/** The bytes a checkpoint's signature covers. */
export function signedBytes(checkpoint: UnsignedCheckpoint | Checkpoint): Buffer {
  return Buffer.from(canonicalJson({ ...checkpoint, signature: undefined }), 'utf8');
}

export function signCheckpoint(unsigned: UnsignedCheckpoint, signer: AuditSigner): Checkpoint {
  const signature = signer.sign(signedBytes(unsigned));
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    throw new AuditBugError(`the signer for key "${signer.keyId}" did not return a 64-byte Ed25519 signature`);
  }
  return { ...unsigned, signature: Buffer.from(signature).toString('base64') };
}

/**
 * A checkpoint a verifier kept (a line of audit/checkpoints.jsonl saved earlier, in any JSON
 * formatting): its shape is checked here, its signature by verifyAuditLog.
 */
export function parseCheckpoint(text: string, path: string): AuditResult<Checkpoint> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return failed([{ code: 'audit.checkpoint-json', path, line: 1, message: `it is not valid JSON (${(e as Error).message})` }]);
  }
  const wrong = checkCheckpoint(value);
  if (wrong) return failed([{ code: 'audit.checkpoint-schema', path, line: 1, message: `it is not a checkpoint: ${wrong}` }]);
  return ok(value as Checkpoint);
}
