/**
 * `appendEntries`: adds entries and one signed checkpoint, refusing to extend a log that does
 * not verify (fail closed).
 *
 * What it checks before appending, and why that is enough without re-verifying every
 * signature each time (a 100,000-entry log may carry 100,000 checkpoints):
 * - every line is hashed into the Merkle tree (needed anyway to compute the new root), and
 *   the root at every checkpoint's size is compared with the checkpoint;
 * - the last checkpoint covers the whole log, is signed by a registered key within its window,
 *   and its signature verifies. Its root commits to every byte of every entry, so no entry can
 *   have changed since it was signed, and by induction every entry was written by an append;
 * - the last two entries are checked in full (canonical, numbered, chained, hashing right):
 *   the new entries chain onto the last one;
 * - every checkpoint line is well formed, and sizes and times grow;
 * - the key files (and allowed_signers, when given) are valid; the signer's key is registered,
 *   valid now, and its public key verifies the new signature.
 * Not re-checked: the signatures of older checkpoints and the inner form of older entries,
 * which only a holder of a registered key could have got wrong. `verifyAuditLog` checks all of
 * it (`microapps audit verify`): run it on the default branch, e.g. in CI.
 *
 * Cost: hashing the existing log once (about 3 microseconds an entry), plus the new entries.
 * A caller appending again in the same process (the App, a retry loop, the benchmark) passes
 * back the `state` it got, and the next append costs only its own entries: see AppendState.
 */
import { canonicalJson } from '../canonical-json.js';
import { checkCheckpoints, parseCheckpointLines } from './check-checkpoints.js';
import { signCheckpoint, signedBytes, type UnsignedCheckpoint } from './checkpoint.js';
import { checkEntryInput, makeEntry } from './entry.js';
import { formatHash, ZERO_HASH } from './hash.js';
import { checkAllowedSigners, describeWindow, keyCovers, loadKeys, type LoadedKey } from './keys.js';
import { leafHash, type MerkleAccumulator } from './merkle.js';
import {
  AUDIT_LOG_ID,
  AUDIT_LOG_PATH,
  failed,
  ok,
  type AuditEntry,
  type AuditFiles,
  type AuditProblem,
  type AuditResult,
  type AuditSigner,
  type Checkpoint,
  type EntryInput,
} from './model.js';
import { verifyEd25519 } from './openssh.js';
import { scanLog } from './scan-log.js';
import { parseInstant } from './time.js';

/** What the append extends: the log checked as described above. */
interface Base {
  count: number;
  tree: MerkleAccumulator;
  lastHash: string;
  /** Of the last checkpoint; undefined for an empty log. */
  lastTime: number | undefined;
  keys: ReadonlyMap<string, LoadedKey>;
}

declare const opaque: unique symbol;

/**
 * What an append knows about the files it returned. Passed to the next append of the same
 * process, it stands in for re-reading them, but only if the files given are exactly those
 * (same texts, same keys): anything else is read and checked again. Opaque: its contents live
 * in a WeakMap here, so nothing outside can forge or alter one to skip the checks.
 */
export interface AppendState {
  readonly [opaque]: true;
}

interface Known {
  log: string;
  checkpoints: string;
  allowedSigners: string | undefined;
  /** A copy: the caller's Map may change after the append. */
  keys: Map<string, string>;
  base: Base;
}

const states = new WeakMap<AppendState, Known>();

export interface Appended {
  /** The files with the entries and the checkpoint appended (keys unchanged). */
  files: AuditFiles;
  entries: AuditEntry[];
  checkpoint: Checkpoint;
  /** For the next append in this process (optional). */
  state: AppendState;
}

export interface AppendOptions {
  /** The `state` of the previous append in this process. */
  state?: AppendState;
}

export function appendEntries(
  files: AuditFiles,
  bodies: readonly EntryInput[],
  signer: AuditSigner,
  now: string,
  options: AppendOptions = {},
): AuditResult<Appended> {
  const nowMs = parseInstant(now);
  if (nowMs === undefined) return refused(`cannot append: the time "${now}" is not an ISO 8601 UTC time such as 2025-03-01T12:00:00.000Z`);
  if (bodies.length === 0) return refused('cannot append: no entries were given');

  const known = fromState(files, options.state);
  const checked = known ? ok(known) : checkBase(files);
  if (!checked.value) return failed(checked.problems);
  const base = checked.value;

  const key = base.keys.get(signer.keyId);
  if (!key)
    return refused(`cannot append: the signing key "${signer.keyId}" is not registered in audit/keys/ (run microapps audit keygen)`);
  if (!keyCovers(key, nowMs))
    return refused(`cannot append: key "${signer.keyId}" may sign only ${describeWindow(key.key)}, and it is ${now}`);
  if (base.lastTime !== undefined && nowMs < base.lastTime) {
    return refused(
      `cannot append: it is ${now}, earlier than the last checkpoint (${new Date(base.lastTime).toISOString()}); is the clock wrong?`,
    );
  }

  const tree = base.tree.clone();
  const lines: string[] = [];
  const entries: AuditEntry[] = [];
  let prev = base.lastHash;
  for (const [i, body] of bodies.entries()) {
    const seq = base.count + i + 1;
    const wrong = checkEntryInput(body);
    if (wrong) return refused(`cannot append entry ${seq} (item ${i + 1} of ${bodies.length}): ${wrong}`, seq);
    const { entry, line } = makeEntry(body, seq, prev);
    tree.push(leafHash(line));
    lines.push(line);
    entries.push(entry);
    prev = entry.hash;
  }

  const unsigned: UnsignedCheckpoint = {
    v: 1,
    log: AUDIT_LOG_ID,
    tree_size: tree.size,
    root_hash: formatHash(tree.root()),
    time: now,
    key_id: signer.keyId,
  };
  const checkpoint = signCheckpoint(unsigned, signer);
  // A private key that is not the registered one would write a log that never verifies.
  if (!verifyEd25519(key.publicKey, signedBytes(checkpoint), Buffer.from(checkpoint.signature, 'base64'))) {
    return refused(`cannot append: the private key used does not belong to key "${signer.keyId}" (${key.path} holds another public key)`);
  }
  const appended: AuditFiles = {
    ...files,
    log: `${files.log}${lines.join('\n')}\n`,
    checkpoints: `${files.checkpoints}${canonicalJson(checkpoint)}\n`,
  };
  const state = Object.freeze({}) as AppendState;
  states.set(state, {
    log: appended.log,
    checkpoints: appended.checkpoints,
    allowedSigners: files.allowedSigners,
    keys: new Map(files.keys),
    base: { count: tree.size, tree, lastHash: prev, lastTime: nowMs, keys: base.keys },
  });
  return ok({ files: appended, entries, checkpoint, state });
}

function refused(message: string, seq?: number): AuditResult<never> {
  const problem: AuditProblem = { code: 'audit.append-input', path: AUDIT_LOG_PATH, line: seq ?? 0, message };
  return failed([seq === undefined ? problem : { ...problem, seq }]);
}

/** The log as it is must verify (see the top of this file for what that means here). */
function checkBase(files: AuditFiles): AuditResult<Base> {
  const { keys, problems } = loadKeys(files.keys);
  if (files.allowedSigners !== undefined) problems.push(...checkAllowedSigners(files.allowedSigners, keys));
  const parsed = parseCheckpointLines(files.checkpoints);
  const scan = scanLog(files.log, { check: 'tail', rootsAt: new Set(parsed.checkpoints.map((p) => p.checkpoint.tree_size)) });
  if (scan.problem) problems.push(scan.problem);
  problems.push(...parsed.problems, ...checkCheckpoints(parsed.checkpoints, scan, keys, { signatures: 'last' }));
  if (problems.length > 0) return failed(problems);
  const last = parsed.checkpoints[parsed.checkpoints.length - 1]?.checkpoint;
  return ok({
    count: scan.count,
    tree: scan.tree,
    lastHash: scan.last?.hash ?? ZERO_HASH,
    lastTime: last ? parseInstant(last.time) : undefined,
    keys,
  });
}

/** The base a previous append left, if `files` are exactly the files it returned. */
function fromState(files: AuditFiles, state: AppendState | undefined): Base | undefined {
  const known = state && states.get(state);
  if (!known) return undefined;
  // String comparison: O(1) for the very strings returned, a memory compare otherwise.
  const same =
    files.log === known.log &&
    files.checkpoints === known.checkpoints &&
    files.allowedSigners === known.allowedSigners &&
    files.keys.size === known.keys.size &&
    [...files.keys].every(([path, text]) => known.keys.get(path) === text);
  return same ? known.base : undefined;
}
