import { describe, expect, it } from 'vitest';
import { baseMoveOf, describePaths } from '../../../src/core/check/base-moved.js';
import type { TreeEntry } from '../../../src/core/tree.js';

const entry = (path: string, oid: string, kind: TreeEntry['kind'] = 'file'): TreeEntry => ({ path, oid, kind });
const listing = (...entries: TreeEntry[]) => ({ entries });

describe('baseMoveOf: does a push to the base change what open pull requests are judged by?', () => {
  const before = listing(
    entry('.github/microapps.yml', 'g1'),
    entry('README.md', 'r1'),
    entry('audit/log.jsonl', 'l1'),
    entry('connectors/jira.yaml', 'c1'),
    entry('generated/gateway/kong.yaml', 'k1'),
    entry('policies/approval.yaml', 'p1'),
    entry('registry/it/one.yaml', 'a1'),
    entry('schemas/app.schema.json', 's1'),
    entry('src/x.ts', 'x1'),
    entry('templates/basic/app.yaml', 't1'),
  );
  const change = (path: string, oid: string | undefined, kind: TreeEntry['kind'] = 'file') => {
    const rest = before.entries.filter((e) => e.path !== path);
    return listing(...(oid === undefined ? rest : [...rest, entry(path, oid, kind)]).sort((a, b) => (a.path < b.path ? -1 : 1)));
  };

  it.each([
    ['an app changed', 'registry/it/one.yaml', 'a2'],
    ['an app added', 'registry/hr/two.yaml', 'a3'],
    ['an app removed', 'registry/it/one.yaml', undefined],
    ['a connector changed', 'connectors/jira.yaml', 'c2'],
    ['the policy changed', 'policies/approval.yaml', 'p2'],
    ['a template changed', 'templates/basic/app.yaml', 't2'],
    ['a schema changed', 'schemas/app.schema.json', 's2'],
    ["the App's configuration changed", '.github/microapps.yml', 'g2'],
  ])('%s: judge again, naming the path', (_what, path, oid) => {
    const move = baseMoveOf(before, change(path, oid));
    expect(move).toEqual({ rejudge: true, paths: [path], reason: `the push changed ${path}` });
  });

  it('a file replaced by a symlink of the same content id is a change', () => {
    expect(baseMoveOf(before, change('connectors/jira.yaml', 'c1', 'symlink')).rejudge).toBe(true);
  });

  it('a symlink standing where a governed folder was is a change', () => {
    const after = listing(...before.entries.filter((e) => !e.path.startsWith('registry/')), entry('registry', 'link', 'symlink'));
    expect(baseMoveOf(before, after)).toMatchObject({ rejudge: true, paths: ['registry', 'registry/it/one.yaml'] });
  });

  it('only audit/ and generated/ changed (the merge record): nothing to judge again', () => {
    const after = listing(
      ...before.entries.map((e) => (e.path.startsWith('audit/') || e.path.startsWith('generated/') ? { ...e, oid: `${e.oid}-next` } : e)),
      entry('audit/checkpoints.jsonl', 'n1'),
    );
    expect(baseMoveOf(before, after)).toEqual({ rejudge: false, reason: 'the push changed only audit/ and generated/ (the merge record)' });
  });

  it('the merge record together with an app: judge again, naming only the app', () => {
    const after = listing(
      ...change('registry/it/one.yaml', 'a2').entries.map((e) => (e.path === 'audit/log.jsonl' ? { ...e, oid: 'l2' } : e)),
    );
    expect(baseMoveOf(before, after)).toMatchObject({ rejudge: true, paths: ['registry/it/one.yaml'] });
  });

  it('only files the registry does not govern (README.md): nothing to judge again', () => {
    expect(baseMoveOf(before, change('README.md', 'r2'))).toEqual({
      rejudge: false,
      reason: 'the push changed no file the registry governs',
    });
    expect(baseMoveOf(before, before)).toEqual({ rejudge: false, reason: 'the push changed no file the registry governs' });
  });

  it('extra paths (a folder or a file the base policy governs) count as well', () => {
    expect(baseMoveOf(before, change('src/x.ts', 'x2')).rejudge).toBe(false);
    expect(baseMoveOf(before, change('src/x.ts', 'x2'), ['src/'])).toMatchObject({ rejudge: true, paths: ['src/x.ts'] });
    expect(baseMoveOf(before, change('src/x.ts', undefined), ['src/x.ts'])).toMatchObject({ rejudge: true, paths: ['src/x.ts'] });
    expect(baseMoveOf(before, change('README.md', 'r2'), ['src/']).rejudge).toBe(false);
  });

  it('names many paths briefly', () => {
    expect(describePaths(['a', 'b'])).toBe('a and b');
    expect(describePaths(['a', 'b', 'c'])).toBe('a, b and c');
    expect(describePaths(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more files');
    expect(describePaths(['a', 'b', 'c', 'd'])).toBe('a, b, c and 1 more file');
  });
});
