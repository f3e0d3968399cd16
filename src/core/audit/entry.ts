/**
 * Entries of audit/log.jsonl: their shape, their hash, and how a new one is made from what
 * the caller gives (the log fills in v, seq, prev and hash).
 */
import { DECISIONS_BY_STRICTNESS } from '../model.js';
import { canonicalJson, isCanonicalText } from '../canonical-json.js';
import {
  allOf,
  anyText,
  arrayOf,
  checkShape,
  constant,
  matching,
  nullable,
  object,
  oneOf,
  positiveInteger,
  satisfying,
  shape,
  text,
} from './fields.js';
import { formatHash, HASH_PATTERN, sha256 } from './hash.js';
import { AuditBugError } from '../errors.js';
import type { AuditEntry, EntryInput } from './model.js';
import { isInstant } from './time.js';

export const AUDIT_EVENTS = ['registered', 'changed', 'removed'] as const;
export const PROVISIONING_STATUSES = ['applied', 'unchanged', 'failed', 'skipped'] as const;
const APPROVAL_KINDS = ['manager_approval', 'security_team_review', 'governance'] as const;

const hash = matching(HASH_PATTERN, 'a SHA-256 hash written "sha256:" and 64 lower-case hex digits');

const INPUT_FIELDS = {
  time: satisfying(isInstant, 'an ISO 8601 UTC time such as 2025-03-01T12:00:00.000Z'),
  event: oneOf(AUDIT_EVENTS),
  app: text,
  path: allOf(text, matching(/^(?!\/)(?!.*\/\/)[^\\]+$/, 'a relative path with forward slashes')),
  manifest_hash: nullable(hash),
  // SHA-1 or SHA-256 object names.
  commit: matching(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'a full git commit id (40 or 64 lower-case hex digits)'),
  decision: oneOf(DECISIONS_BY_STRICTNESS),
  rules: arrayOf(text),
  pull_request: nullable(object(shape({ number: positiveInteger }, { url: text, author: text, merged_by: text }))),
  approvals: arrayOf(object(shape({ action: oneOf(APPROVAL_KINDS), by: arrayOf(text) }))),
  provisioning: arrayOf(
    object(shape({ provisioner: text, status: oneOf(PROVISIONING_STATUSES), idempotency_key: text }, { detail: anyText })),
  ),
};

const INPUT_SHAPE = shape(INPUT_FIELDS);
const ENTRY_SHAPE = shape({ v: constant(1), seq: positiveInteger, ...INPUT_FIELDS, prev: hash, hash });

/** What is wrong with an entry to append, or undefined. */
export function checkEntryInput(value: unknown): string | undefined {
  return checkShape(value, INPUT_SHAPE) ?? checkManifestHash(value as EntryInput);
}

/** What is wrong with an entry read from the log (its shape only), or undefined. */
export function checkEntry(value: unknown): string | undefined {
  return checkShape(value, ENTRY_SHAPE) ?? checkManifestHash(value as AuditEntry);
}

function checkManifestHash(entry: EntryInput): string | undefined {
  if (entry.event === 'removed' && entry.manifest_hash !== null) return 'field "manifest_hash" must be null for a removal';
  if (entry.event !== 'removed' && entry.manifest_hash === null) return `field "manifest_hash" is needed for event "${entry.event}"`;
  return undefined;
}

/** The entry's `hash`: SHA-256 over the canonical JSON of the entry without `hash`. */
export function computeEntryHash(entry: Omit<AuditEntry, 'hash'> | AuditEntry): string {
  return formatHash(sha256(canonicalJson({ ...entry, hash: undefined })));
}

/**
 * The same hash from the entry's canonical line, without serialising again: in canonical JSON
 * the entry without `hash` is the line without its `,"hash":"..."` member. The member text
 * cannot occur elsewhere: inside strings every quote is escaped, and (the shape being checked
 * first) no nested object has a `hash` field. Used by verify, where it halves the cost.
 */
export function entryHashFromLine(line: string, entry: AuditEntry): string {
  const member = `,"hash":${JSON.stringify(entry.hash)}`;
  const at = line.indexOf(member);
  if (at < 0 || line.indexOf(member, at + 1) >= 0)
    throw new AuditBugError('entryHashFromLine: the line is not the canonical form of the entry');
  return formatHash(sha256(line.slice(0, at) + line.slice(at + member.length)));
}

/** A new entry and its line (canonical JSON, no newline), from validated input. */
export function makeEntry(input: EntryInput, seq: number, prev: string): { entry: AuditEntry; line: string } {
  const body: Omit<AuditEntry, 'hash'> = {
    v: 1,
    seq,
    time: input.time,
    event: input.event,
    app: input.app,
    path: input.path,
    manifest_hash: input.manifest_hash,
    commit: input.commit,
    decision: input.decision,
    rules: input.rules,
    pull_request: input.pull_request,
    approvals: input.approvals,
    provisioning: input.provisioning,
    prev,
  };
  // One serialisation: the canonical entry is the canonical body with the "hash" member in its
  // sorted place, just before "manifest_hash" (a top-level field only, and never inside a
  // string, where quotes are escaped).
  const bodyText = canonicalJson(body);
  const at = bodyText.indexOf(',"manifest_hash":') + 1;
  const line = `${bodyText.slice(0, at)}"hash":${JSON.stringify(formatHash(sha256(bodyText)))},${bodyText.slice(at)}`;
  // The parsed line, not the caller's objects: `undefined` optional fields are gone, and
  // nothing the caller still holds can change what was hashed.
  const entry = JSON.parse(line) as AuditEntry;
  if (at === 0 || !isCanonicalText(entry, line)) throw new AuditBugError('makeEntry: the entry line is not canonical');
  return { entry, line };
}
