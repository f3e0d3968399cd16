/**
 * audit/checkpoints.jsonl against the log: each checkpoint well-formed, growing, signed by a
 * registered key within its window, its root equal to the Merkle root of the log's first
 * tree_size entries; and the last one covering the whole log.
 */
import { isCanonicalText } from '../canonical-json.js';
import { checkCheckpoint, signedBytes } from './checkpoint.js';
import { parseHash } from './hash.js';
import { describeWindow, keyCovers, type LoadedKey } from './keys.js';
import { AUDIT_CHECKPOINTS_PATH, AUDIT_KEYS_DIR, AUDIT_LOG_PATH, type AuditProblem, type Checkpoint } from './model.js';
import { verifyEd25519 } from './openssh.js';
import type { LogScan } from './scan-log.js';
import { parseInstant } from './time.js';

export interface ParsedCheckpoint {
  line: number;
  checkpoint: Checkpoint;
}

/** The well-formed checkpoints, and a problem for each line that is not one. */
export function parseCheckpointLines(text: string): { checkpoints: ParsedCheckpoint[]; problems: AuditProblem[] } {
  const checkpoints: ParsedCheckpoint[] = [];
  const problems: AuditProblem[] = [];
  const lines = text === '' ? [] : text.split('\n');
  const unterminated = lines.length > 0 && lines[lines.length - 1] !== '';
  if (!unterminated) lines.pop();
  for (const [i, line] of lines.entries()) {
    const problem = (code: string, message: string): void => {
      problems.push({ code, path: AUDIT_CHECKPOINTS_PATH, line: i + 1, message });
    };
    // Still read: a checkpoint whose newline was lost should not also leave its entries unsigned.
    if (i === lines.length - 1 && unterminated)
      problem('audit.checkpoint-unterminated', 'the last line does not end with a newline: the file was cut short or edited by hand');
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problem('audit.checkpoint-json', `checkpoint line ${i + 1} is not valid JSON (${(e as Error).message})`);
      continue;
    }
    const wrong = checkCheckpoint(value);
    if (wrong) {
      problem('audit.checkpoint-schema', `checkpoint line ${i + 1} is not a valid checkpoint: ${wrong}`);
      continue;
    }
    if (!isCanonicalText(value, line)) {
      problem(
        'audit.checkpoint-not-canonical',
        `checkpoint line ${i + 1} is not written in canonical JSON (RFC 8785): it was edited by hand`,
      );
      continue;
    }
    checkpoints.push({ line: i + 1, checkpoint: value as Checkpoint });
  }
  return { checkpoints, problems };
}

/** Why a checkpoint's signature does not count, or undefined when it does. */
export function signatureProblem(checkpoint: Checkpoint, keys: ReadonlyMap<string, LoadedKey>): string | undefined {
  const key = keys.get(checkpoint.key_id);
  if (!key) {
    return `it is signed with key "${checkpoint.key_id}", which is not registered in ${AUDIT_KEYS_DIR}: an unknown key cannot vouch for the log`;
  }
  if (!keyCovers(key, parseInstant(checkpoint.time)!)) {
    return `it is dated ${checkpoint.time}, outside the validity of key "${key.key.key_id}" (${describeWindow(key.key)}): the key was used when it was not allowed to sign`;
  }
  if (!verifyEd25519(key.publicKey, signedBytes(checkpoint), Buffer.from(checkpoint.signature, 'base64'))) {
    return `its signature was not made by key "${key.key.key_id}" over this checkpoint: the checkpoint was forged or altered`;
  }
  return undefined;
}

export interface CheckpointCheckOptions {
  /** 'all' verifies every signature (verify); 'last' only the last one (append: see append.ts). */
  signatures: 'all' | 'last';
}

export function checkCheckpoints(
  checkpoints: readonly ParsedCheckpoint[],
  scan: LogScan,
  keys: ReadonlyMap<string, LoadedKey>,
  options: CheckpointCheckOptions,
): AuditProblem[] {
  const problems: AuditProblem[] = [];
  let previous: ParsedCheckpoint | undefined;
  /** The largest size whose root matched; and whose checkpoint had no problem at all. */
  let matchedSize = 0;
  let vouchedSize = 0;
  let rootMismatch = false;
  checkpoints.forEach((parsed, i) => {
    const { checkpoint: c, line } = parsed;
    const problem = (code: string, message: string, seq?: number) =>
      problems.push({
        code,
        path: AUDIT_CHECKPOINTS_PATH,
        line,
        ...(seq === undefined ? {} : { seq }),
        message: `checkpoint line ${line}: ${message}`,
      });
    const before = problems.length;
    if (previous && c.tree_size <= previous.checkpoint.tree_size) {
      problem(
        'audit.checkpoint-order',
        `it signs ${c.tree_size} entries, no more than the checkpoint before it (line ${previous.line}, ${previous.checkpoint.tree_size}): each append adds a checkpoint for a larger log, so checkpoints were reordered or replayed`,
      );
    }
    if (previous && parseInstant(c.time)! < parseInstant(previous.checkpoint.time)!) {
      problem(
        'audit.checkpoint-time',
        `it is dated ${c.time}, before the checkpoint before it (line ${previous.line}, ${previous.checkpoint.time}): checkpoints were reordered or back-dated`,
      );
    }
    if (options.signatures === 'all' || i === checkpoints.length - 1) {
      const wrong = signatureProblem(c, keys);
      if (wrong && c.tree_size > vouchedSize) {
        const from = vouchedSize + 1;
        problem(
          'audit.checkpoint-signature',
          `${wrong}; so nothing vouches for ${from === c.tree_size ? `entry ${from}` : `entries ${from} to ${c.tree_size}`}`,
          from,
        );
      } else if (wrong) {
        problem('audit.checkpoint-signature', wrong);
      }
    }
    const root = scan.roots.get(c.tree_size);
    if (root?.equals(parseHash(c.root_hash)!)) {
      matchedSize = Math.max(matchedSize, c.tree_size);
      if (problems.length === before) vouchedSize = Math.max(vouchedSize, c.tree_size);
    } else if (root && !rootMismatch) {
      // Later checkpoints differ too, as a consequence: report the first only.
      rootMismatch = true;
      const from = matchedSize + 1;
      const range = from === c.tree_size ? `entry ${from}` : `entries ${from} to ${c.tree_size}`;
      problem(
        'audit.checkpoint-root',
        `the log's first ${c.tree_size} entries do not have the Merkle root this checkpoint signed: ${range} changed after they were signed (or the checkpoint was altered)`,
        from,
      );
    }
    previous = parsed;
  });

  // A validly signed checkpoint for more entries than the log has: entries were cut off. (A
  // forged one claiming more is reported above, for its signature.)
  const largest = checkpoints
    .filter((p) => p.checkpoint.tree_size > scan.count && signatureProblem(p.checkpoint, keys) === undefined)
    .reduce<ParsedCheckpoint | undefined>((a, b) => (a && a.checkpoint.tree_size >= b.checkpoint.tree_size ? a : b), undefined);
  if (largest) {
    const first = scan.count + 1;
    const size = largest.checkpoint.tree_size;
    problems.push({
      code: 'audit.entry-missing',
      path: AUDIT_LOG_PATH,
      line: first,
      seq: first,
      message: `${first === size ? `entry ${first} is` : `entries ${first} to ${size} are`} missing: ${AUDIT_CHECKPOINTS_PATH} line ${largest.line} signed a log of ${size} ${size === 1 ? 'entry' : 'entries'} and this one has ${scan.count}: entries were removed from the end`,
    });
  }
  const signed = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1]!.checkpoint.tree_size : 0;
  if (signed < scan.count) {
    const first = signed + 1;
    problems.push({
      code: 'audit.entry-unsigned',
      path: AUDIT_LOG_PATH,
      line: first,
      seq: first,
      message: `${first === scan.count ? `entry ${first} is` : `entries ${first} to ${scan.count} are`} not covered by a signed checkpoint: ${signed === 0 ? 'there is none' : `the last one signs ${signed} entries`}; entries are only appended together with a checkpoint, so these were added by hand, or their checkpoint was removed or damaged`,
    });
  }
  return problems;
}
