/**
 * The tamper matrix (DESIGN.md invariant 10): each way of altering the audit files is caught by
 * verifyAuditLog, and the first problem names the right entry (or checkpoint). Where a change
 * cannot be caught from the files alone, the test says so and shows what catches it.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/canonical-json.js';
import { signCheckpoint } from '../../../src/core/audit/checkpoint.js';
import { computeEntryHash } from '../../../src/core/audit/entry.js';
import { formatHash } from '../../../src/core/audit/hash.js';
import { allowedSignersLine, keyFileText } from '../../../src/core/audit/keys.js';
import { leafHash, MerkleAccumulator } from '../../../src/core/audit/merkle.js';
import type { AuditEntry, AuditFiles, AuditSigner, Checkpoint } from '../../../src/core/audit/model.js';
import { verifyAuditLog, type VerifyOptions } from '../../../src/core/audit/verify.js';
import { buildLog, lines, makeKey, unlines, type TestKey } from './helpers.js';

const LOG = 'audit/log.jsonl';
const CHECKPOINTS = 'audit/checkpoints.jsonl';

// Six appends: checkpoints at sizes 3, 5, 9, 10, 15, 16 (lines 1 to 6), one minute apart from 12:00.
const BATCHES = [3, 2, 4, 1, 5, 1];
const key = makeKey('audit-2025', '2025-01-01T00:00:00Z');
const intact = buildLog(key, BATCHES);
const checkpointsOf = (files: AuditFiles): Checkpoint[] => lines(files.checkpoints).map((l) => JSON.parse(l) as Checkpoint);
const kept = (line: number) => checkpointsOf(intact)[line - 1]!;

function verify(files: AuditFiles, options?: VerifyOptions) {
  return verifyAuditLog(files, options);
}

/** The first problem; the log must fail. */
function firstProblem(files: AuditFiles, options?: VerifyOptions) {
  const result = verify(files, options);
  expect(result.ok, JSON.stringify(result.problems, null, 2)).toBe(false);
  return result.problems[0]!;
}

const withLog = (files: AuditFiles, edit: (ls: string[]) => string[]): AuditFiles => ({ ...files, log: unlines(edit(lines(files.log))) });
const withCheckpoints = (files: AuditFiles, edit: (ls: string[]) => string[]): AuditFiles => ({
  ...files,
  checkpoints: unlines(edit(lines(files.checkpoints))),
});

/** The files with `testKey`'s key file (and allowed_signers line) giving it another window. */
function withKeyWindow(files: AuditFiles, testKey: TestKey, from: string, until: string | null): AuditFiles {
  const changed = { ...testKey.key, valid_from: from, valid_until: until };
  return { ...files, keys: new Map([[testKey.path, keyFileText(changed)]]), allowedSigners: `${allowedSignersLine(changed)}\n` };
}

/** Re-signs checkpoint `line` (1-based) after `change`, with `signer`. */
function resign(files: AuditFiles, line: number, change: (c: Checkpoint) => Partial<Checkpoint>, signer: AuditSigner): AuditFiles {
  return withCheckpoints(files, (ls) =>
    ls.map((l, i) => {
      if (i !== line - 1) return l;
      const c = JSON.parse(l) as Checkpoint;
      const { signature: _, ...unsigned } = { ...c, ...change(c), key_id: signer.keyId };
      return canonicalJson(signCheckpoint(unsigned, signer));
    }),
  );
}

/**
 * What a forger with write access but no registered key does: changes entry `seq`, re-hashes
 * the chain after it, and re-signs every checkpoint with `signer` (roots recomputed).
 */
function rewrite(files: AuditFiles, seq: number, change: (e: AuditEntry) => AuditEntry, signer: AuditSigner): AuditFiles {
  const entries = lines(files.log).map((l) => JSON.parse(l) as AuditEntry);
  let prev = entries[seq - 2]?.hash ?? `sha256:${'0'.repeat(64)}`;
  const newLines = entries.map((e, i) => {
    if (i < seq - 1) return canonicalJson(e);
    const changed = i === seq - 1 ? change(e) : e;
    const entry = { ...changed, prev, hash: computeEntryHash({ ...changed, prev }) };
    prev = entry.hash;
    return canonicalJson(entry);
  });
  const tree = new MerkleAccumulator();
  const roots = new Map<number, string>();
  newLines.forEach((l) => {
    tree.push(leafHash(l));
    roots.set(tree.size, formatHash(tree.root()));
  });
  let out: AuditFiles = { ...files, log: unlines(newLines) };
  checkpointsOf(files).forEach((c, i) => {
    if (c.tree_size >= seq) out = resign(out, i + 1, () => ({ root_hash: roots.get(c.tree_size)! }), signer);
  });
  return out;
}

describe('the intact log', () => {
  it('verifies: 16 entries, 6 checkpoints', () => {
    const result = verify(intact);
    expect(result).toMatchObject({ ok: true, entries: 16, checkpoints: 6, problems: [] });
    expect(result.lastCheckpoint).toEqual(kept(6));
  });

  it('extends every checkpoint kept from it, with a consistency proof', () => {
    for (let line = 1; line <= 6; line++) {
      const result = verify(intact, { trusted: kept(line) });
      expect(result.ok, `kept checkpoint ${line}`).toBe(true);
      expect(result.consistency).toMatchObject({
        fromSize: kept(line).tree_size,
        toSize: 16,
        fromRoot: kept(line).root_hash,
        toRoot: kept(6).root_hash,
      });
    }
  });
});

describe('tamper matrix: entries', () => {
  it('one byte of an entry changed, at any position: the entry is named', () => {
    const target = lines(intact.log)[6]!;
    for (let at = 0; at < target.length; at++) {
      const replacement = target[at] === 'a' ? 'b' : 'a';
      const tampered = withLog(intact, (ls) => ls.map((l, i) => (i === 6 ? l.slice(0, at) + replacement + l.slice(at + 1) : l)));
      const p = firstProblem(tampered);
      expect({ path: p.path, line: p.line, seq: p.seq }, `byte ${at}: ${p.message}`).toEqual({ path: LOG, line: 7, seq: 7 });
    }
  });

  it('one byte changed: the message says what is wrong in plain words', () => {
    const tampered = withLog(intact, (ls) => ls.map((l, i) => (i === 6 ? l.replace('"app":"app-7"', '"app":"app-9"') : l)));
    const result = verify(tampered);
    expect(result.problems[0]).toMatchObject({ code: 'audit.entry-hash', path: LOG, line: 7, seq: 7 });
    expect(result.problems[0]!.message).toBe('entry 7 does not match its hash: its content was changed after it was written');
    // The checkpoints that signed entry 7 no longer match either.
    expect(result.problems.some((p) => p.code === 'audit.checkpoint-root' && p.line === 3 && p.seq === 6)).toBe(true);
  });

  it('an entry removed from the middle', () => {
    const p = firstProblem(withLog(intact, (ls) => ls.filter((_, i) => i !== 6)));
    expect(p).toMatchObject({ code: 'audit.entry-seq', path: LOG, line: 7, seq: 7 });
    expect(p.message).toBe('line 7 holds entry 8: entry 7 is missing (removed or reordered)');
  });

  it('an entry inserted in the middle', () => {
    const p = firstProblem(withLog(intact, (ls) => [...ls.slice(0, 7), ls[3]!, ...ls.slice(7)]));
    expect(p).toMatchObject({ code: 'audit.entry-seq', path: LOG, line: 8, seq: 8 });
  });

  it('the last entry removed, the checkpoints file untouched: the checkpoint names the missing entry', () => {
    const p = firstProblem(withLog(intact, (ls) => ls.slice(0, -1)));
    expect(p).toMatchObject({ code: 'audit.entry-missing', path: LOG, line: 16, seq: 16 });
    expect(p.message).toContain('entry 16 is missing: audit/checkpoints.jsonl line 6 signed a log of 16 entries and this one has 15');
  });

  it('the last append removed with its checkpoint: consistent on its own, caught by a kept checkpoint', () => {
    const truncated = withCheckpoints(
      withLog(intact, (ls) => ls.slice(0, -1)),
      (ls) => ls.slice(0, -1),
    );
    // Nothing in the files themselves betrays it (docs/audit-log.md, "What verify cannot see").
    expect(verify(truncated).ok).toBe(true);
    const p = firstProblem(truncated, { trusted: kept(6) });
    expect(p).toMatchObject({ code: 'audit.entry-missing', path: LOG, line: 16, seq: 16 });
    expect(p.message).toContain(
      'the checkpoint you kept (2025-03-01T12:05:00.000Z) signed 16 entries and the log now has 15: the log was truncated',
    );
  });

  it('several appends removed from the end: every missing entry is counted', () => {
    const truncated = withCheckpoints(
      withLog(intact, (ls) => ls.slice(0, 9)),
      (ls) => ls.slice(0, 3),
    );
    const p = firstProblem(truncated, { trusted: kept(6) });
    expect(p).toMatchObject({ code: 'audit.entry-missing', line: 10, seq: 10 });
    expect(p.message).toMatch(/^entries 10 to 16 are missing/);
  });

  it('two entries swapped', () => {
    const swap = (a: number, b: number) => (ls: string[]) => ls.map((l, i) => (i === a ? ls[b]! : i === b ? ls[a]! : l));
    expect(firstProblem(withLog(intact, swap(4, 5)))).toMatchObject({ code: 'audit.entry-seq', line: 5, seq: 5 });
    expect(firstProblem(withLog(intact, swap(3, 11)))).toMatchObject({ code: 'audit.entry-seq', line: 4, seq: 4 });
  });

  it('an entry changed and the chain re-hashed after it: the checkpoints catch it, naming the signed range', () => {
    // Every hash and prev is consistent again; only the signed roots disagree.
    const rechained = { ...rewrite(intact, 7, (e) => ({ ...e, decision: 'auto_approve' }), key.signer), checkpoints: intact.checkpoints };
    const p = firstProblem(rechained);
    expect(p).toMatchObject({ code: 'audit.checkpoint-root', path: CHECKPOINTS, line: 3, seq: 6 });
    expect(p.message).toBe(
      "checkpoint line 3: the log's first 9 entries do not have the Merkle root this checkpoint signed: entries 6 to 9 changed after they were signed (or the checkpoint was altered)",
    );
  });

  it('entries added by hand, with no checkpoint', () => {
    const extra = buildLog(key, [...BATCHES, 2]);
    const p = firstProblem({ ...extra, checkpoints: intact.checkpoints });
    expect(p).toMatchObject({ code: 'audit.entry-unsigned', path: LOG, line: 17, seq: 17 });
    expect(p.message).toMatch(/^entries 17 to 18 are not covered by a signed checkpoint: the last one signs 16 entries/);
  });

  it('a file cut in the middle of a line', () => {
    const cut = { ...intact, log: intact.log.slice(0, intact.log.indexOf('\n', intact.log.indexOf('"seq":12')) - 30) };
    const p = firstProblem(cut);
    expect(p).toMatchObject({ path: LOG, line: 12, seq: 12 });
  });
});

describe('tamper matrix: signatures and keys', () => {
  it('an entry changed and every checkpoint re-signed with an unknown key', () => {
    const evil = makeKey('evil', '2025-01-01T00:00:00Z');
    const forged = rewrite(intact, 7, (e) => ({ ...e, decision: 'auto_approve' }), evil.signer);
    const p = firstProblem(forged);
    expect(p).toMatchObject({ code: 'audit.checkpoint-signature', path: CHECKPOINTS, line: 3, seq: 6 });
    expect(p.message).toBe(
      'checkpoint line 3: it is signed with key "evil", which is not registered in audit/keys/: an unknown key cannot vouch for the log; so nothing vouches for entries 6 to 9',
    );
  });

  it("... and with the forger's key registered too: only a kept checkpoint or the keys' history shows it", () => {
    const evil = makeKey('evil', '2025-01-01T00:00:00Z');
    const forged = rewrite(intact, 7, (e) => ({ ...e, decision: 'auto_approve' }), evil.signer);
    const keys = new Map([...intact.keys, [evil.path, evil.text]]);
    const registered = { ...forged, keys, allowedSigners: `${intact.allowedSigners}${allowedSignersLine(evil.key)}\n` };
    expect(verify(registered).ok).toBe(true);
    const p = firstProblem(registered, { trusted: kept(3) });
    expect(p).toMatchObject({ code: 'audit.trusted-rewritten', path: '<kept checkpoint>' });
    expect(p.message).toBe(
      "the log's first 9 entries are not the ones the checkpoint you kept (2025-03-01T12:02:00.000Z) signed: the log was rewritten at or before entry 9, and audit/checkpoints.jsonl line 3 was re-signed for the new content",
    );
    // A kept checkpoint from before the change does not cover it.
    expect(verify(registered, { trusted: kept(2) }).ok).toBe(true);
  });

  it('a key used after its window ended', () => {
    // The key holder signs appends at 12:00 to 12:05 with a key valid until 12:02, going around
    // appendEntries, which refuses (append.test.ts).
    const p = firstProblem(withKeyWindow(intact, key, '2025-01-01T00:00:00Z', '2025-03-01T12:02:00Z'));
    expect(p).toMatchObject({ code: 'audit.checkpoint-signature', path: CHECKPOINTS, line: 4, seq: 10 });
    expect(p.message).toBe(
      'checkpoint line 4: it is dated 2025-03-01T12:03:00.000Z, outside the validity of key "audit-2025" (from 2025-01-01T00:00:00Z to 2025-03-01T12:02:00Z): the key was used when it was not allowed to sign; so nothing vouches for entry 10',
    );
  });

  it('a key used before its window started', () => {
    const p = firstProblem(withKeyWindow(intact, key, '2025-03-01T12:01:30Z', null));
    expect(p).toMatchObject({ code: 'audit.checkpoint-signature', line: 1, seq: 1 });
    expect(p.message).toContain('outside the validity of key "audit-2025" (from 2025-03-01T12:01:30Z on)');
  });

  it('a forged checkpoint: another root, same signature', () => {
    const forged = withCheckpoints(intact, (ls) =>
      ls.map((l, i) => (i === 2 ? canonicalJson({ ...JSON.parse(l), root_hash: kept(2).root_hash }) : l)),
    );
    const result = verify(forged);
    expect(result.problems[0]).toMatchObject({ code: 'audit.checkpoint-signature', path: CHECKPOINTS, line: 3, seq: 6 });
    expect(result.problems[0]!.message).toContain(
      'its signature was not made by key "audit-2025" over this checkpoint: the checkpoint was forged or altered',
    );
    expect(result.problems[1]).toMatchObject({ code: 'audit.checkpoint-root', line: 3 });
  });

  it('a forged checkpoint: one character of the signature changed', () => {
    const forged = withCheckpoints(intact, (ls) =>
      ls.map((l, i) => {
        if (i !== 3) return l;
        const c = JSON.parse(l) as Checkpoint;
        const s = c.signature;
        // Change the 11th character (always a different one), so the forgery is a forgery on every run.
        return canonicalJson({ ...c, signature: s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11) });
      }),
    );
    expect(firstProblem(forged)).toMatchObject({ code: 'audit.checkpoint-signature', line: 4, seq: 10 });
  });

  it('a forged checkpoint claiming entries that do not exist', () => {
    const forged = withCheckpoints(intact, (ls) => [...ls, canonicalJson({ ...kept(6), tree_size: 20, time: '2025-03-01T13:00:00.000Z' })]);
    const p = firstProblem(forged);
    // Not "entries missing": nothing valid ever signed them.
    expect(p).toMatchObject({ code: 'audit.checkpoint-signature', path: CHECKPOINTS, line: 7, seq: 17 });
  });

  it('a checkpoint removed: the last one leaves entries unsigned', () => {
    const p = firstProblem(withCheckpoints(intact, (ls) => ls.slice(0, -1)));
    expect(p).toMatchObject({ code: 'audit.entry-unsigned', path: LOG, line: 16, seq: 16 });
  });

  it('a checkpoint removed from the middle: harmless to the entries, caught when it was the one kept', () => {
    const removed = withCheckpoints(intact, (ls) => ls.filter((_, i) => i !== 2));
    expect(verify(removed).ok).toBe(true);
    const p = firstProblem(removed, { trusted: kept(3) });
    expect(p).toMatchObject({ code: 'audit.trusted-missing', path: '<kept checkpoint>' });
    expect(p.message).toBe(
      'the checkpoint you kept (9 entries, 2025-03-01T12:02:00.000Z) is no longer in audit/checkpoints.jsonl: checkpoints were removed or rewritten (the entries it signed are intact)',
    );
  });

  it('checkpoints reordered', () => {
    const p = firstProblem(withCheckpoints(intact, (ls) => [ls[0]!, ls[2]!, ls[1]!, ...ls.slice(3)]));
    expect(p).toMatchObject({ code: 'audit.checkpoint-order', path: CHECKPOINTS, line: 3 });
  });

  it('a key file removed: its checkpoints are signed by an unknown key', () => {
    const p = firstProblem({ ...intact, keys: new Map(), allowedSigners: undefined });
    expect(p).toMatchObject({ code: 'audit.checkpoint-signature', line: 1, seq: 1 });
  });

  it('a key window shortened after the fact: the checkpoints it signed later are named', () => {
    const p = firstProblem(withKeyWindow(intact, key, '2025-01-01T00:00:00Z', '2025-03-01T12:01:30Z'));
    expect(p).toMatchObject({ code: 'audit.checkpoint-signature', line: 3, seq: 6 });
  });

  it('a key window extended after the fact: caught when allowed_signers keeps the old window, not when both were edited', () => {
    const narrow = withKeyWindow(intact, key, '2025-01-01T00:00:00Z', '2025-03-01T12:02:00Z');
    const extended = withKeyWindow(intact, key, '2025-01-01T00:00:00Z', null);
    const result = verify({ ...extended, allowedSigners: narrow.allowedSigners });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path, p.line])).toEqual([
      ['audit.allowed-signers', 'audit/allowed_signers', 0],
      ['audit.allowed-signers', 'audit/allowed_signers', 1],
    ]);
    expect(result.problems[1]!.message).toMatch(
      /^this line lets a key sign audit commits that audit\/keys\/ does not register with this window/,
    );
    // Both edited: the files agree with each other; only their git history shows the edit
    // (docs/audit-log.md, "What verify cannot see").
    expect(verify(extended).ok).toBe(true);
  });

  it('a signer added to allowed_signers only', () => {
    const evil: TestKey = makeKey('evil');
    const p = firstProblem({ ...intact, allowedSigners: `${intact.allowedSigners}${allowedSignersLine(evil.key)}\n` });
    expect(p).toMatchObject({ code: 'audit.allowed-signers', line: 2 });
  });

  it('a kept checkpoint that was itself forged is refused', () => {
    const p = firstProblem(intact, { trusted: { ...kept(3), root_hash: kept(2).root_hash } });
    expect(p).toMatchObject({ code: 'audit.trusted-signature', path: '<kept checkpoint>' });
  });
});
