/** verifyAuditLog on malformed files: each problem is named at its line, in plain words. */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/canonical-json.js';
import { auditFilesFromContents } from '../../../src/core/audit/files.js';
import { keyFileText } from '../../../src/core/audit/keys.js';
import type { AuditFiles, Checkpoint } from '../../../src/core/audit/model.js';
import { verifyAuditLog } from '../../../src/core/audit/verify.js';
import { buildLog, emptyFiles, lines, makeKey, unlines } from './helpers.js';

const key = makeKey('audit-2025', '2025-01-01T00:00:00Z');
const log = buildLog(key, [2, 3]);
const editLog = (index: number, edit: (line: string) => string): AuditFiles => ({
  ...log,
  log: unlines(lines(log.log).map((l, i) => (i === index ? edit(l) : l))),
});
const first = (files: AuditFiles) => {
  const result = verifyAuditLog(files);
  expect(result.ok).toBe(false);
  return result.problems[0]!;
};

describe('verifyAuditLog: the empty log', () => {
  it('no files at all verify as an empty log', () => {
    expect(verifyAuditLog({ log: '', checkpoints: '', keys: new Map() })).toEqual({
      ok: true,
      entries: 0,
      checkpoints: 0,
      lastCheckpoint: null,
      consistency: null,
      problems: [],
    });
    expect(verifyAuditLog(emptyFiles(key)).ok).toBe(true);
  });

  it('checkpoints without a log: every signed entry is missing', () => {
    expect(first({ ...log, log: '' })).toMatchObject({
      code: 'audit.entry-missing',
      line: 1,
      seq: 1,
      message: expect.stringMatching(/^entries 1 to 5 are missing/),
    });
  });
});

describe('verifyAuditLog: entry lines', () => {
  it('an entry re-serialised with spaces or other key order is not canonical', () => {
    const pretty = first(editLog(2, (l) => JSON.stringify(JSON.parse(l), null, 1).replace(/\n/g, '')));
    expect(pretty).toMatchObject({ code: 'audit.entry-not-canonical', path: 'audit/log.jsonl', line: 3, seq: 3 });
    expect(pretty.message).toBe('entry 3 is not written in canonical JSON (RFC 8785: sorted keys, no spaces): it was edited by hand');
    const { app, ...rest } = JSON.parse(lines(log.log)[2]!);
    expect(first(editLog(2, () => JSON.stringify({ ...rest, app })))).toMatchObject({ code: 'audit.entry-not-canonical', line: 3 });
    expect(first(editLog(2, (l) => `${l}\r`))).toMatchObject({ code: 'audit.entry-not-canonical', line: 3 });
  });

  it('a duplicated key is not canonical (JSON.parse would keep only the last)', () => {
    expect(first(editLog(1, (l) => l.replace('"app":', '"app":"other","app":')))).toMatchObject({
      code: 'audit.entry-not-canonical',
      line: 2,
    });
  });

  it('unknown and missing fields, at any depth, are named', () => {
    const add = (l: string, where: string, what: string) => l.replace(where, `${where}${what}`);
    expect(first(editLog(0, (l) => add(l, '{', '"aaa":1,'))).message).toBe('entry 1 is not a valid entry: unknown field "aaa"');
    expect(first(editLog(0, (l) => add(l, '"pull_request":{', '"labels":[],'))).message).toBe(
      'entry 1 is not a valid entry: unknown field "pull_request.labels"',
    );
    expect(first(editLog(0, (l) => add(l, '{', '"__proto__":{},'))).message).toBe(
      'entry 1 is not a valid entry: unknown field "__proto__"',
    );
    expect(first(editLog(0, (l) => l.replace(/"commit":"[0-9a-f]+",/, ''))).message).toBe(
      'entry 1 is not a valid entry: missing field "commit"',
    );
    expect(first(editLog(0, (l) => l.replace('"v":1', '"v":2'))).message).toBe('entry 1 is not a valid entry: field "v" must be 1, not 2');
  });

  it('blank lines, broken JSON, a byte-order mark and a missing final newline', () => {
    expect(first({ ...log, log: log.log.replace('\n', '\n\n') })).toMatchObject({ code: 'audit.entry-empty', line: 2 });
    expect(first(editLog(3, (l) => l.slice(0, -1)))).toMatchObject({ code: 'audit.entry-json', line: 4, seq: 4 });
    expect(first({ ...log, log: `\ufeff${log.log}` })).toMatchObject({ code: 'audit.entry-json', line: 1 });
    expect(first({ ...log, log: log.log.slice(0, -1) })).toMatchObject({ code: 'audit.entry-unterminated', line: 5, seq: 5 });
  });

  it('only the first bad entry is reported: what follows it cannot be judged', () => {
    const twice = { ...log, log: unlines(lines(log.log).map((l, i) => (i === 1 || i === 3 ? l.replace('"v":1', '"v":3') : l))) };
    expect(
      verifyAuditLog(twice)
        .problems.filter((p) => p.path === 'audit/log.jsonl')
        .map((p) => p.line),
    ).toEqual([2]);
  });
});

describe('verifyAuditLog: checkpoint lines and key files', () => {
  const editCheckpoint = (index: number, edit: (c: Checkpoint) => unknown): AuditFiles => ({
    ...log,
    checkpoints: unlines(lines(log.checkpoints).map((l, i) => (i === index ? (edit(JSON.parse(l)) as string) : l))),
  });

  it('malformed checkpoint lines are named', () => {
    expect(first(editCheckpoint(0, (c) => JSON.stringify(c, null, 2).replace(/\n/g, '')))).toMatchObject({
      code: 'audit.checkpoint-not-canonical',
      line: 1,
    });
    expect(first(editCheckpoint(0, (c) => canonicalJson({ ...c, tree_size: 0 }))).message).toBe(
      'checkpoint line 1 is not a valid checkpoint: field "tree_size" must be a positive whole number, not 0',
    );
    expect(first(editCheckpoint(0, (c) => canonicalJson({ ...c, log: 'other-log' }))).message).toContain(
      'field "log" must be "microapps-audit"',
    );
    expect(first(editCheckpoint(0, (c) => canonicalJson({ ...c, signature: 'abc' }))).message).toContain(
      'field "signature" must be a base64 Ed25519 signature (64 bytes)',
    );
    expect(first({ ...log, checkpoints: log.checkpoints.slice(0, -1) })).toMatchObject({ code: 'audit.checkpoint-unterminated', line: 2 });
  });

  it('a checkpoint dated before the one before it', () => {
    const late = buildLog(key, [1, 1]);
    const swappedTimes = lines(late.checkpoints).map((l) => JSON.parse(l) as Checkpoint);
    const files = {
      ...late,
      checkpoints: unlines([canonicalJson({ ...swappedTimes[0]!, time: '2025-03-01T12:05:00.000Z' }), canonicalJson(swappedTimes[1]!)]),
    };
    const problems = verifyAuditLog(files).problems;
    expect(problems.map((p) => p.code)).toContain('audit.checkpoint-time');
    expect(problems.find((p) => p.code === 'audit.checkpoint-time')!.message).toBe(
      'checkpoint line 2: it is dated 2025-03-01T12:01:00.000Z, before the checkpoint before it (line 1, 2025-03-01T12:05:00.000Z): checkpoints were reordered or back-dated',
    );
  });

  it('key files that are not valid keys are named, and their keys are not trusted', () => {
    const withKey = (path: string, text: string) => first({ ...log, keys: new Map([[path, text]]), allowedSigners: undefined });
    const problemFor = (text: string, path = key.path) => {
      const result = verifyAuditLog({ ...log, keys: new Map([[path, text]]), allowedSigners: undefined });
      return result.problems.find((p) => p.path === path)!;
    };
    expect(withKey('audit/keys/Audit.json', key.text)).toMatchObject({ code: 'audit.checkpoint-signature' });
    expect(problemFor(key.text, 'audit/keys/Audit.json').message).toContain('is not a key file');
    expect(problemFor('{').message).toMatch(/^the key file is not valid JSON/);
    expect(problemFor(keyFileText({ ...key.key, key_id: 'another' })).message).toBe(
      'the key file names key "another" but is called audit-2025.json: the file name must be the key id',
    );
    expect(problemFor(JSON.stringify({ ...key.key, comment: 'x' })).message).toBe('the key file is not valid: unknown field "comment"');
    expect(problemFor(keyFileText({ ...key.key, valid_from: '2025-01-01T00:00:00.500Z' })).message).toContain(
      'field "valid_from" must be a UTC time to the second, like 2025-01-31T00:00:00Z',
    );
    expect(problemFor(keyFileText({ ...key.key, valid_until: '2024-01-01T00:00:00Z' })).message).toContain(
      "the key's window ends (2024-01-01T00:00:00Z) before it starts",
    );
    expect(problemFor(keyFileText({ ...key.key, public_key: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ' })).message).toContain(
      'field "public_key" must be an OpenSSH ssh-ed25519 public key line',
    );
  });

  it('a rewritten log with many checkpoints lists at most 50 problems', () => {
    const many = buildLog(
      key,
      Array.from({ length: 60 }, () => 1),
    );
    const unknown = { ...many, keys: new Map(), allowedSigners: undefined };
    const problems = verifyAuditLog(unknown).problems;
    expect(problems).toHaveLength(50);
    expect(problems[49]).toMatchObject({ code: 'audit.more-problems', message: '11 more problems are not listed' });
  });
});

describe('auditFilesFromContents', () => {
  const utf8 = (text: string) => Buffer.from(text);

  it('reads the audit files of a tree; absent ones are empty', () => {
    const files = auditFilesFromContents(
      new Map([
        ['audit/log.jsonl', utf8('a\n')],
        ['audit/keys/k.json', utf8('{}')],
        ['audit/README.md', utf8('ignored')],
      ]),
    ).value!;
    expect(files).toEqual({ log: 'a\n', checkpoints: '', keys: new Map([['audit/keys/k.json', '{}']]), allowedSigners: '' });
  });

  it('refuses bytes that are not UTF-8', () => {
    const result = auditFilesFromContents(new Map([['audit/log.jsonl', Uint8Array.from([0x7b, 0xff, 0x7d])]]));
    expect(result.problems[0]).toMatchObject({ code: 'audit.encoding', path: 'audit/log.jsonl' });
  });
});
