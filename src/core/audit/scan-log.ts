/**
 * One pass over audit/log.jsonl: every line becomes a Merkle leaf (the tree's root is taken at
 * each size asked for), and the lines are checked as entries: valid, canonical, numbered in
 * order, chained, hashing to their `hash`. Checking stops at the first bad entry (what follows
 * cannot be trusted to mean anything); hashing goes on to the end, so every checkpoint can
 * still be compared with the log.
 */
import { isCanonicalText } from '../canonical-json.js';
import { checkEntry, entryHashFromLine } from './entry.js';
import { ZERO_HASH } from './hash.js';
import { leafHash, MerkleAccumulator } from './merkle.js';
import { AUDIT_LOG_PATH, type AuditEntry, type AuditProblem } from './model.js';

export interface ScanOptions {
  /**
   * 'all' checks every entry (verify). 'tail' checks only the last two, for an append: the
   * last checkpoint's signed root already covers every byte of the others (see append.ts).
   */
  check: 'all' | 'tail';
  /** Tree sizes whose root is wanted. */
  rootsAt: ReadonlySet<number>;
  /** Keep every leaf hash (for consistency proofs). */
  keepLeaves?: boolean;
}

export interface LogScan {
  /** Number of lines (= entries, when the log is valid). */
  count: number;
  /** The first bad entry. */
  problem?: AuditProblem;
  roots: Map<number, Buffer>;
  /** The tree so far, to append to. */
  tree: MerkleAccumulator;
  leafHashes?: Buffer[];
  /** The last entry, when it was checked and valid. */
  last?: AuditEntry;
}

export function scanLog(text: string, options: ScanOptions): LogScan {
  const lines = text === '' ? [] : text.split('\n');
  const unterminated = lines.length > 0 && lines[lines.length - 1] !== '';
  if (!unterminated) lines.pop();
  const count = lines.length;
  const tree = new MerkleAccumulator();
  const roots = new Map<number, Buffer>();
  const leafHashes = options.keepLeaves ? ([] as Buffer[]) : undefined;
  const firstChecked = options.check === 'all' ? 1 : Math.max(1, count - 1);
  let problem: AuditProblem | undefined;
  let prev: AuditEntry | undefined;

  for (let seq = 1; seq <= count; seq++) {
    const line = lines[seq - 1]!;
    const leaf = leafHash(line);
    tree.push(leaf);
    leafHashes?.push(leaf);
    if (options.rootsAt.has(seq)) roots.set(seq, tree.root());
    if (problem || seq < firstChecked) continue;

    const found = checkLine(line, seq, seq === count && unterminated, seq === 1 ? ZERO_HASH : prev?.hash);
    if ('entry' in found) prev = found.entry;
    else problem = { code: found.code, path: AUDIT_LOG_PATH, line: seq, seq, message: found.message };
  }
  return { count, problem, roots, tree, leafHashes, last: problem ? undefined : prev };
}

type LineCheck = { entry: AuditEntry } | { code: string; message: string };
const bad = (code: string, message: string): LineCheck => ({ code, message });

/**
 * The entry on line `seq`, or what is wrong with it. `expectedPrev` is the previous entry's
 * hash (undefined: not known, in a tail check).
 */
function checkLine(line: string, seq: number, unterminated: boolean, expectedPrev: string | undefined): LineCheck {
  if (unterminated)
    return bad('audit.entry-unterminated', 'the last line does not end with a newline: the file was cut short or edited by hand');
  if (line === '') return bad('audit.entry-empty', `line ${seq} is empty: entries are one per line, with no blank lines`);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return bad('audit.entry-json', `entry ${seq} is not valid JSON (${(e as Error).message}): it was damaged or edited`);
  }
  const wrong = checkEntry(value);
  if (wrong) return bad('audit.entry-schema', `entry ${seq} is not a valid entry: ${wrong}`);
  const entry = value as AuditEntry;
  if (!isCanonicalText(entry, line)) {
    return bad(
      'audit.entry-not-canonical',
      `entry ${seq} is not written in canonical JSON (RFC 8785: sorted keys, no spaces): it was edited by hand`,
    );
  }
  if (entry.seq !== seq) {
    return entry.seq > seq
      ? bad(
          'audit.entry-seq',
          `line ${seq} holds entry ${entry.seq}: ${entry.seq - seq === 1 ? `entry ${seq} is` : `entries ${seq} to ${entry.seq - 1} are`} missing (removed or reordered)`,
        )
      : bad('audit.entry-seq', `line ${seq} holds entry ${entry.seq}, which comes earlier: entries were reordered or repeated`);
  }
  if (expectedPrev !== undefined && entry.prev !== expectedPrev) {
    return seq === 1
      ? bad('audit.entry-chain', `entry 1 must have prev ${ZERO_HASH}, not ${entry.prev}: entries before it were removed`)
      : bad(
          'audit.entry-chain',
          `entry ${seq}'s prev is not the hash of entry ${seq - 1}: the chain is broken there (entry ${seq - 1} was changed and re-hashed, or entries were replaced)`,
        );
  }
  if (entryHashFromLine(line, entry) !== entry.hash) {
    return bad('audit.entry-hash', `entry ${seq} does not match its hash: its content was changed after it was written`);
  }
  return { entry };
}
