import { describe, expect, it } from 'vitest';
import { appendEntries } from '../../../src/core/audit/append.js';
import { canonicalJson } from '../../../src/core/canonical-json.js';
import { signedBytes } from '../../../src/core/audit/checkpoint.js';
import { computeEntryHash } from '../../../src/core/audit/entry.js';
import { formatHash, ZERO_HASH } from '../../../src/core/audit/hash.js';
import { leafHash, merkleRoot } from '../../../src/core/audit/merkle.js';
import { AuditBugError } from '../../../src/core/errors.js';
import type { AuditEntry, AuditFiles, Checkpoint, EntryInput } from '../../../src/core/audit/model.js';
import { parsePublicKeyLine, verifyEd25519 } from '../../../src/core/audit/openssh.js';
import { verifyAuditLog } from '../../../src/core/audit/verify.js';
import { body, buildLog, emptyFiles, lines, makeKey, mustAppend, unlines } from './helpers.js';

const key = makeKey('audit-2025', '2025-01-01T00:00:00Z');
const NOW = '2025-03-01T12:00:00.000Z';

describe('appendEntries', () => {
  it('starts a log: entries numbered from 1, chained from the zero hash, one signed checkpoint over the Merkle root', () => {
    const start = emptyFiles(key);
    const { files, entries, checkpoint } = mustAppend(start, [body(1), body(2), body(3)], key.signer, NOW);
    const logLines = lines(files.log);
    expect(logLines).toHaveLength(3);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prev).toBe(ZERO_HASH);
    expect(entries[1]!.prev).toBe(entries[0]!.hash);
    expect(entries[2]!.prev).toBe(entries[1]!.hash);
    logLines.forEach((line, i) => {
      const parsed = JSON.parse(line) as AuditEntry;
      expect(parsed).toEqual(entries[i]);
      expect(canonicalJson(parsed)).toBe(line);
      expect(parsed.hash).toBe(computeEntryHash(parsed));
      expect(parsed.v).toBe(1);
    });
    expect(checkpoint).toMatchObject({ v: 1, log: 'microapps-audit', tree_size: 3, time: NOW, key_id: 'audit-2025' });
    expect(checkpoint.root_hash).toBe(formatHash(merkleRoot(logLines.map((l) => leafHash(l)))));
    expect(
      verifyEd25519(
        parsePublicKeyLine(key.key.public_key).value!.key,
        signedBytes(checkpoint),
        Buffer.from(checkpoint.signature, 'base64'),
      ),
    ).toBe(true);
    expect(files.checkpoints).toBe(`${canonicalJson(checkpoint)}\n`);
    expect(files.keys).toBe(start.keys);
    expect(files.allowedSigners).toBe(start.allowedSigners);
    expect(verifyAuditLog(files)).toMatchObject({ ok: true, entries: 3, checkpoints: 1 });
  });

  it('continues a log: numbering and chain go on, one checkpoint per append', () => {
    const first = mustAppend(emptyFiles(key), [body(1), body(2)], key.signer, NOW);
    const second = mustAppend(first.files, [body(3)], key.signer, '2025-03-01T12:01:00.000Z');
    expect(second.entries[0]).toMatchObject({ seq: 3, prev: first.entries[1]!.hash });
    expect(lines(second.files.log)).toEqual([...lines(first.files.log), ...lines(second.files.log).slice(2)]);
    expect(lines(second.files.checkpoints).map((l) => (JSON.parse(l) as Checkpoint).tree_size)).toEqual([2, 3]);
    expect(verifyAuditLog(second.files)).toMatchObject({ ok: true, entries: 3, checkpoints: 2 });
  });

  it("records what it was given, without fields left undefined, and without sharing the caller's objects", () => {
    const input: EntryInput = { ...body(1), pull_request: { number: 7, url: undefined, author: 'dev' } };
    const { entries, files } = mustAppend(emptyFiles(key), [input], key.signer, NOW);
    expect(entries[0]!.pull_request).toEqual({ number: 7, author: 'dev' });
    expect(lines(files.log)[0]).toContain('"pull_request":{"author":"dev","number":7}');
    input.rules.push('999');
    expect(entries[0]!.rules).toEqual(['002']);
  });

  it('leaves the files it was given as they were', () => {
    const start = emptyFiles(key);
    const before = { ...start };
    mustAppend(start, [body(1)], key.signer, NOW);
    expect(start).toEqual(before);
  });

  describe('refuses bad input, naming it', () => {
    const refuse = (bodies: unknown[], now = NOW, files: AuditFiles = emptyFiles(key)) => {
      const result = appendEntries(files, bodies as EntryInput[], key.signer, now);
      expect(result.value).toBeUndefined();
      return result.problems;
    };

    it('an entry with an unknown field, a wrong type or a removal with a manifest hash', () => {
      expect(refuse([body(1), { ...body(2), labels: ['x'] }])[0]).toMatchObject({
        code: 'audit.append-input',
        line: 2,
        seq: 2,
        message: 'cannot append entry 2 (item 2 of 2): unknown field "labels"',
      });
      expect(refuse([{ ...body(1), pull_request: { number: 0 } }])[0]!.message).toContain(
        'field "pull_request.number" must be a positive whole number, not 0',
      );
      expect(refuse([{ ...body(1), event: 'removed' }])[0]!.message).toContain('field "manifest_hash" must be null for a removal');
      expect(refuse([{ ...body(1), manifest_hash: null }])[0]!.message).toContain('field "manifest_hash" is needed for event "changed"');
      expect(refuse([{ ...body(1), time: '2025-03-01 12:00' }])[0]!.message).toContain('field "time" must be an ISO 8601 UTC time');
      expect(refuse([{ ...body(1), commit: 'HEAD' }])[0]!.message).toContain('field "commit" must be a full git commit id');
      expect(refuse([{ ...body(1), approvals: [{ action: 'ceo_approval', by: [] }] }])[0]!.message).toContain(
        'field "approvals[0].action" must be one of manager_approval, security_team_review, governance',
      );
      expect(refuse([{ ...body(1), app: 'bad\ud800' }])[0]!.message).toContain('field "app" holds text that is not valid Unicode');
      // JSON.parse makes "__proto__" an own field, as a hostile file would.
      expect(refuse([JSON.parse(JSON.stringify(body(1)).replace('{', '{"__proto__":1,'))])[0]!.message).toContain(
        'unknown field "__proto__"',
      );
    });

    it('no entries, or a time that is not one', () => {
      expect(refuse([])[0]!.message).toBe('cannot append: no entries were given');
      expect(refuse([body(1)], 'yesterday')[0]!.message).toContain('the time "yesterday" is not an ISO 8601 UTC time');
      expect(refuse([body(1)], '2025-02-30T00:00:00Z')[0]!.message).toContain('is not an ISO 8601 UTC time');
    });

    it('a signer whose key is not registered, not valid now, or not the registered key', () => {
      const other = makeKey('other');
      expect(appendEntries(emptyFiles(key), [body(1)], other.signer, NOW).problems[0]!.message).toBe(
        'cannot append: the signing key "other" is not registered in audit/keys/ (run microapps audit keygen)',
      );
      const expired = makeKey('expired', '2024-01-01T00:00:00Z', '2024-12-31T23:59:59Z');
      expect(appendEntries(emptyFiles(expired), [body(1)], expired.signer, NOW).problems[0]!.message).toBe(
        `cannot append: key "expired" may sign only from 2024-01-01T00:00:00Z to 2024-12-31T23:59:59Z, and it is ${NOW}`,
      );
      const impostor = { keyId: 'audit-2025', sign: other.signer.sign };
      expect(appendEntries(emptyFiles(key), [body(1)], impostor, NOW).problems[0]!.message).toBe(
        'cannot append: the private key used does not belong to key "audit-2025" (audit/keys/audit-2025.json holds another public key)',
      );
    });

    it('a clock behind the last checkpoint', () => {
      const files = buildLog(key, [1, 1]);
      expect(refuse([body(3)], '2025-03-01T11:59:00.000Z', files)[0]!.message).toBe(
        'cannot append: it is 2025-03-01T11:59:00.000Z, earlier than the last checkpoint (2025-03-01T12:01:00.000Z); is the clock wrong?',
      );
    });

    it('a signer that does not return an Ed25519 signature is a bug', () => {
      expect(() => appendEntries(emptyFiles(key), [body(1)], { keyId: 'audit-2025', sign: () => new Uint8Array(10) }, NOW)).toThrow(
        AuditBugError,
      );
    });
  });

  describe('fails closed: refuses to extend a log that does not verify', () => {
    const log = buildLog(key, [3, 2, 4]);
    const later = '2025-03-01T13:00:00.000Z';
    const refused = (files: AuditFiles) => {
      const result = appendEntries(files, [body(99)], key.signer, later);
      expect(result.value, 'append should be refused').toBeUndefined();
      return result.problems[0]!;
    };
    const editLine = (text: string, index: number, edit: (l: string) => string) =>
      unlines(lines(text).map((l, i) => (i === index ? edit(l) : l)));

    it('an entry in the middle changed (its checkpoint root no longer matches)', () => {
      const p = refused({ ...log, log: editLine(log.log, 3, (l) => l.replace('"app":"app-4"', '"app":"app-5"')) });
      expect(p).toMatchObject({ code: 'audit.checkpoint-root', line: 2, seq: 4 });
    });

    it('the last entry changed', () => {
      expect(
        refused({ ...log, log: editLine(log.log, 8, (l) => l.replace('"decision":"manager_approval"', '"decision":"auto_approve"')) }),
      ).toMatchObject({
        code: 'audit.entry-hash',
        line: 9,
      });
    });

    it('the last entry removed, or entries added without a checkpoint', () => {
      expect(refused({ ...log, log: unlines(lines(log.log).slice(0, -1)) })).toMatchObject({ code: 'audit.entry-missing', line: 9 });
      const grown = buildLog(key, [3, 2, 4, 1]);
      expect(refused({ ...grown, checkpoints: log.checkpoints })).toMatchObject({ code: 'audit.entry-unsigned', line: 10 });
    });

    it('the last checkpoint forged, or signed by an unknown key', () => {
      const forged = editLine(log.checkpoints, 2, (l) => canonicalJson({ ...JSON.parse(l), time: '2025-03-01T12:30:00.000Z' }));
      expect(refused({ ...log, checkpoints: forged })).toMatchObject({ code: 'audit.checkpoint-signature', line: 3 });
      const unknown = editLine(log.checkpoints, 2, (l) => canonicalJson({ ...JSON.parse(l), key_id: 'nobody' }));
      expect(refused({ ...log, checkpoints: unknown })).toMatchObject({ code: 'audit.checkpoint-signature', line: 3 });
    });

    it('a damaged key file or allowed_signers file', () => {
      expect(refused({ ...log, keys: new Map([[key.path, '{']]) })).toMatchObject({ code: 'audit.key-file', path: key.path });
      expect(refused({ ...log, allowedSigners: '' })).toMatchObject({ code: 'audit.allowed-signers' });
    });

    it("but it does not re-verify older checkpoints' signatures: verify does (see append.ts)", () => {
      const olderForged = editLine(log.checkpoints, 0, (l) => canonicalJson({ ...JSON.parse(l), time: '2025-03-01T11:00:00.000Z' }));
      const files = { ...log, checkpoints: olderForged };
      expect(appendEntries(files, [body(99)], key.signer, later).value).toBeDefined();
      expect(verifyAuditLog(files).problems[0]).toMatchObject({ code: 'audit.checkpoint-signature', line: 1 });
    });
  });
});

describe('appendEntries with the state of the previous append', () => {
  const later = (minute: number) => `2025-03-01T12:${String(minute).padStart(2, '0')}:00.000Z`;

  it('gives exactly the files appends without it give', () => {
    let withState = mustAppend(emptyFiles(key), [body(1)], key.signer, later(0));
    let without = withState;
    for (let i = 1; i <= 5; i++) {
      const bodies = [body(2 * i), body(2 * i + 1)];
      const next = appendEntries(withState.files, bodies, key.signer, later(i), { state: withState.state });
      without = mustAppend(without.files, bodies, key.signer, later(i));
      withState = next.value!;
      expect(withState.files.log).toBe(without.files.log);
      expect(withState.files.checkpoints).toBe(without.files.checkpoints);
    }
    expect(verifyAuditLog(withState.files)).toMatchObject({ ok: true, entries: 11, checkpoints: 6 });
  });

  it('is ignored when the files are not exactly the ones it describes, so a tampered log is still refused', () => {
    const first = mustAppend(emptyFiles(key), [body(1), body(2)], key.signer, later(0));
    const tampered = { ...first.files, log: first.files.log.replace('"app":"app-1"', '"app":"app-7"') };
    expect(appendEntries(tampered, [body(3)], key.signer, later(1), { state: first.state }).problems[0]).toMatchObject({
      code: 'audit.entry-hash',
      line: 1,
    });
    const keyless = { ...first.files, keys: new Map<string, string>(), allowedSigners: undefined };
    expect(appendEntries(keyless, [body(3)], key.signer, later(1), { state: first.state }).value).toBeUndefined();
    // A Map changed in place after the append is noticed too.
    const keys = new Map(first.files.keys);
    const files = { ...first.files, keys };
    const again = mustAppend(files, [body(3)], key.signer, later(1));
    keys.clear();
    expect(appendEntries(again.files, [body(4)], key.signer, later(2), { state: again.state }).value).toBeUndefined();
  });

  it('cannot be forged', () => {
    const first = mustAppend(emptyFiles(key), [body(1)], key.signer, later(0));
    const tampered = { ...first.files, log: `${first.files.log}${first.files.log}` };
    const forged = Object.freeze({}) as typeof first.state;
    expect(appendEntries(tampered, [body(2)], key.signer, later(1), { state: forged }).value).toBeUndefined();
  });
});

describe('appendEntries: text that canonical JSON cannot hold is refused, not thrown', () => {
  it('lone surrogates anywhere in an entry', () => {
    for (const input of [
      { ...body(1), path: 'registry/x/\ud800.yaml' },
      { ...body(1), rules: ['\udc00'] },
      { ...body(1), provisioning: [{ provisioner: 'p', status: 'failed' as const, idempotency_key: 'k', detail: 'x\ud800' }] },
    ]) {
      const result = appendEntries(emptyFiles(key), [input], key.signer, NOW);
      expect(result.problems[0]!.message).toContain('not valid Unicode');
    }
  });
});
