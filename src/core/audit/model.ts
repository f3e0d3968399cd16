/**
 * The audit log's files and values (DESIGN.md section 5; docs/audit-log.md has the formats and
 * the trust model). Everything here is data: the core reads and writes texts, never files.
 */
import type { ApprovalKind, Decision } from '../model.js';

export const AUDIT_LOG_PATH = 'audit/log.jsonl';
export const AUDIT_CHECKPOINTS_PATH = 'audit/checkpoints.jsonl';
export const AUDIT_KEYS_DIR = 'audit/keys/';
export const AUDIT_ALLOWED_SIGNERS_PATH = 'audit/allowed_signers';
/** Stands for the checkpoint a verifier kept (`audit verify --checkpoint FILE`) in problems. */
export const TRUSTED_CHECKPOINT_PATH = '<kept checkpoint>';

/** The principal of audit commits: the committer e-mail of `apply` and the allowed_signers principal. */
export const AUDIT_COMMITTER_EMAIL = 'audit@microapps.invalid';
/** The `log` field of every checkpoint: a signature for another log can never pass for one of ours. */
export const AUDIT_LOG_ID = 'microapps-audit';

export type AuditEvent = 'registered' | 'changed' | 'removed';
export type ProvisioningStatus = 'applied' | 'unchanged' | 'failed' | 'skipped';

export interface PullRequestRef {
  number: number;
  url?: string;
  author?: string;
  merged_by?: string;
}

export interface ApprovalRecord {
  action: ApprovalKind;
  /** Logins of the reviewers whose approvals counted. */
  by: string[];
}

export interface ProvisioningRecord {
  provisioner: string;
  status: ProvisioningStatus;
  detail?: string;
  idempotency_key: string;
}

/** One line of audit/log.jsonl (its RFC 8785 canonical JSON). */
export interface AuditEntry {
  v: 1;
  /** 1-based, consecutive: the entry's line number. */
  seq: number;
  /** ISO 8601 UTC, e.g. 2025-03-01T12:00:00.000Z. */
  time: string;
  event: AuditEvent;
  app: string;
  /** The manifest's path in the registry. */
  path: string;
  /**
   * "sha256:<hex>" of the manifest's RFC 8785 canonical JSON (src/core/provision/canonical-json.ts:
   * the same however the file is written, and the hash provisioning keyed its steps with); null
   * for a removal.
   */
  manifest_hash: string | null;
  /** The git commit the change came from. */
  commit: string;
  decision: Decision;
  /** Ids of the policy rules that matched. */
  rules: string[];
  pull_request: PullRequestRef | null;
  approvals: ApprovalRecord[];
  provisioning: ProvisioningRecord[];
  /** The previous entry's `hash`; for seq 1, "sha256:" and 64 zeros. */
  prev: string;
  /** "sha256:<hex>" over the canonical JSON of the entry without `hash`. */
  hash: string;
}

/** What a caller gives to append: the entry without the fields the log computes. */
export type EntryInput = Omit<AuditEntry, 'v' | 'seq' | 'prev' | 'hash'>;

/** One line of audit/checkpoints.jsonl: the signed head of the Merkle tree after an append. */
export interface Checkpoint {
  v: 1;
  log: typeof AUDIT_LOG_ID;
  tree_size: number;
  /** "sha256:<hex>": the RFC 9162 Merkle tree hash of the first tree_size entries. */
  root_hash: string;
  time: string;
  key_id: string;
  /** Base64 Ed25519 signature over the canonical JSON of the checkpoint without `signature`. */
  signature: string;
}

/** audit/keys/<key_id>.json: a public key allowed to sign checkpoints within its window. */
export interface AuditKey {
  key_id: string;
  algorithm: 'ssh-ed25519';
  /** The OpenSSH public key line: "ssh-ed25519 AAAA... comment". */
  public_key: string;
  /** UTC, to the second: 2025-01-31T00:00:00Z. */
  valid_from: string;
  /** UTC, to the second, inclusive; null: no end. */
  valid_until: string | null;
}

/** The texts of the audit files of one tree. */
export interface AuditFiles {
  /** audit/log.jsonl ('' when absent). */
  log: string;
  /** audit/checkpoints.jsonl ('' when absent). */
  checkpoints: string;
  /** audit/keys/*.json by path ("audit/keys/<key_id>.json" -> text). */
  keys: ReadonlyMap<string, string>;
  /**
   * audit/allowed_signers ('' when absent). When given, it must list exactly the registered keys
   * with their windows; undefined skips that check.
   */
  allowedSigners?: string;
}

export interface AuditSigner {
  keyId: string;
  /** A raw 64-byte Ed25519 signature of `bytes`. */
  sign(bytes: Uint8Array): Uint8Array;
}

/** Something wrong with the audit files, in plain words, at the line it is on. */
export interface AuditProblem {
  /** Stable identifier, e.g. `audit.entry-hash`. */
  code: string;
  /** audit/log.jsonl, audit/checkpoints.jsonl, audit/keys/<id>.json, audit/allowed_signers or TRUSTED_CHECKPOINT_PATH. */
  path: string;
  /** 1-based line; 0 when the problem is about the file as a whole. */
  line: number;
  /** The entry the problem is about (for a checkpoint: the first entry it puts in doubt). */
  seq?: number;
  message: string;
}

/** A value, or the problems that prevented it (never both). */
export type AuditResult<T> = { value: T; problems: [] } | { value: undefined; problems: AuditProblem[] };

export function ok<T>(value: T): AuditResult<T> {
  return { value, problems: [] };
}

export function failed<T>(problems: AuditProblem[]): AuditResult<T> {
  return { value: undefined, problems };
}
