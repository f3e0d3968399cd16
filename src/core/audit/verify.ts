/**
 * `verifyAuditLog`: recomputes everything (DESIGN.md section 5) and names the first bad entry.
 * Cost: one pass hashing every entry (leaf hash, entry hash, canonical form), the Merkle root
 * at each checkpoint's size taken from the same pass (O(log n) each), and one signature check
 * per checkpoint; never a signature per entry, never a tree rebuilt per checkpoint.
 */
import { canonicalJson } from '../canonical-json.js';
import { checkCheckpoints, parseCheckpointLines, signatureProblem, type ParsedCheckpoint } from './check-checkpoints.js';
import { checkCheckpoint } from './checkpoint.js';
import { formatHash, parseHash } from './hash.js';
import { checkAllowedSigners, loadKeys, type LoadedKey } from './keys.js';
import { consistencyProof, verifyConsistency } from './merkle.js';
import {
  AUDIT_ALLOWED_SIGNERS_PATH,
  AUDIT_CHECKPOINTS_PATH,
  AUDIT_LOG_PATH,
  TRUSTED_CHECKPOINT_PATH,
  type AuditFiles,
  type AuditProblem,
  type Checkpoint,
} from './model.js';
import { scanLog, type LogScan } from './scan-log.js';
import { byPath } from '../order.js';

export interface VerifyOptions {
  /** A checkpoint the verifier kept from an earlier run: the log must still extend it. */
  trusted?: Checkpoint;
}

export interface Consistency {
  fromSize: number;
  toSize: number;
  fromRoot: string;
  toRoot: string;
  /** The RFC 9162 consistency proof from the kept checkpoint to the log as it is. */
  proof: string[];
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** The last checkpoint of the file (what a verifier keeps for next time), if any. */
  lastCheckpoint: Checkpoint | null;
  /** With a kept checkpoint that the log extends. */
  consistency: Consistency | null;
  /** In order: the log's first bad entry first, then checkpoints, keys, allowed signers, the kept checkpoint. */
  problems: AuditProblem[];
}

/** Past this, further problems are summarised: a rewritten log would otherwise list every checkpoint. */
const MAX_PROBLEMS = 50;

export function verifyAuditLog(files: AuditFiles, options: VerifyOptions = {}): AuditVerification {
  const { keys, problems: keyProblems } = loadKeys(files.keys);
  const signers = files.allowedSigners === undefined ? [] : checkAllowedSigners(files.allowedSigners, keys);
  const parsed = parseCheckpointLines(files.checkpoints);
  const { trusted } = options;
  const rootsAt = new Set(parsed.checkpoints.map((p) => p.checkpoint.tree_size));
  if (trusted) rootsAt.add(trusted.tree_size);
  const scan = scanLog(files.log, { check: 'all', rootsAt, keepLeaves: trusted !== undefined });
  const checked = checkCheckpoints(parsed.checkpoints, scan, keys, { signatures: 'all' });
  const kept = trusted ? checkTrusted(trusted, parsed.checkpoints, scan, keys) : { problems: [], consistency: null };

  const problems = ordered([
    ...(scan.problem ? [scan.problem] : []),
    ...checked,
    ...parsed.problems,
    ...keyProblems,
    ...signers,
    ...kept.problems,
  ]);
  const last = parsed.checkpoints[parsed.checkpoints.length - 1];
  return {
    ok: problems.length === 0,
    entries: scan.count,
    checkpoints: parsed.checkpoints.length + parsed.problems.length,
    lastCheckpoint: last?.checkpoint ?? null,
    consistency: problems.length === 0 ? kept.consistency : null,
    problems,
  };
}

function checkTrusted(
  trusted: Checkpoint,
  checkpoints: readonly ParsedCheckpoint[],
  scan: LogScan,
  keys: ReadonlyMap<string, LoadedKey>,
): { problems: AuditProblem[]; consistency: Consistency | null } {
  const problems: AuditProblem[] = [];
  const problem = (code: string, message: string) => problems.push({ code, path: TRUSTED_CHECKPOINT_PATH, line: 1, message });
  const wrong = checkCheckpoint(trusted);
  if (wrong) {
    problem('audit.trusted-schema', `the checkpoint you kept is not a checkpoint: ${wrong}`);
    return { problems, consistency: null };
  }
  const invalid = signatureProblem(trusted, keys);
  if (invalid) problem('audit.trusted-signature', `the checkpoint you kept does not verify: ${invalid}`);
  const size = trusted.tree_size;
  if (size > scan.count) {
    const first = scan.count + 1;
    problems.push({
      code: 'audit.entry-missing',
      path: AUDIT_LOG_PATH,
      line: first,
      seq: first,
      message: `${first === size ? `entry ${first} is` : `entries ${first} to ${size} are`} missing: the checkpoint you kept (${trusted.time}) signed ${size} entries and the log now has ${scan.count}: the log was truncated`,
    });
    return { problems, consistency: null };
  }
  const keptRoot = parseHash(trusted.root_hash)!;
  if (!scan.roots.get(size)!.equals(keptRoot)) {
    const same = checkpoints.find((p) => p.checkpoint.tree_size === size);
    problem(
      'audit.trusted-rewritten',
      `the log's first ${size} entries are not the ones the checkpoint you kept (${trusted.time}) signed: the log was rewritten at or before entry ${size}` +
        (same && same.checkpoint.root_hash !== trusted.root_hash
          ? `, and ${AUDIT_CHECKPOINTS_PATH} line ${same.line} was re-signed for the new content`
          : ''),
    );
    return { problems, consistency: null };
  }
  const text = canonicalJson(trusted);
  if (!checkpoints.some((p) => canonicalJson(p.checkpoint) === text)) {
    problem(
      'audit.trusted-missing',
      `the checkpoint you kept (${size} entries, ${trusted.time}) is no longer in ${AUDIT_CHECKPOINTS_PATH}: checkpoints were removed or rewritten (the entries it signed are intact)`,
    );
  }
  // The proof that the kept tree is a prefix of today's, checked as a verifier without the
  // entries would check it; published with the result so a witness can keep it too.
  const toRoot = scan.tree.root();
  const proof = consistencyProof(scan.leafHashes!, size, scan.count);
  if (!verifyConsistency(size, scan.count, keptRoot, toRoot, proof)) {
    problem(
      'audit.trusted-inconsistent',
      `the log is not consistent with the checkpoint you kept: its Merkle consistency proof does not verify`,
    );
  }
  return {
    problems,
    consistency: {
      fromSize: size,
      toSize: scan.count,
      fromRoot: trusted.root_hash,
      toRoot: formatHash(toRoot),
      proof: proof.map(formatHash),
    },
  };
}

const FILE_ORDER = [AUDIT_LOG_PATH, AUDIT_CHECKPOINTS_PATH];

function ordered(problems: AuditProblem[]): AuditProblem[] {
  const rank = (p: AuditProblem) => {
    const at = FILE_ORDER.indexOf(p.path);
    if (at >= 0) return at;
    if (p.path === AUDIT_ALLOWED_SIGNERS_PATH) return 3;
    return p.path === TRUSTED_CHECKPOINT_PATH ? 4 : 2;
  };
  const sorted = problems.sort((a, b) => rank(a) - rank(b) || byPath(a, b) || a.line - b.line);
  if (sorted.length <= MAX_PROBLEMS) return sorted;
  const rest = sorted.length - MAX_PROBLEMS + 1;
  return [
    ...sorted.slice(0, MAX_PROBLEMS - 1),
    { code: 'audit.more-problems', path: sorted[MAX_PROBLEMS - 1]!.path, line: 0, message: `${rest} more problems are not listed` },
  ];
}
