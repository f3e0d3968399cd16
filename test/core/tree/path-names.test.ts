/** Governed file names must be plain UTF-8 text; escaping keeps different raw names apart. */
import { describe, expect, it } from 'vitest';
import { pathFromBytes, pathFromText, pathNameProblem } from '../../../src/core/path-names.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('path names', () => {
  it('plain UTF-8 names pass unchanged and have no problem', () => {
    for (const name of ['registry/it/app.yaml', 'registry/fr/équipe-été.yaml', 'registry/x/😀.md']) {
      expect(pathFromBytes(bytes(name))).toBe(name);
      expect(pathNameProblem(name)).toBeUndefined();
    }
  });

  it('bytes that are not UTF-8 are escaped per byte, and two such names stay different', () => {
    const a = pathFromBytes(bytes('registry/it/', [0xff], '.yaml'));
    const b = pathFromBytes(bytes('registry/it/', [0xfe], '.yaml'));
    expect(a).toBe('registry/it/\\xff.yaml');
    expect(b).toBe('registry/it/\\xfe.yaml');
    // What a lossy decoder makes of both: one name.
    expect(new TextDecoder().decode(bytes('registry/it/', [0xff], '.yaml'))).toBe(
      new TextDecoder().decode(bytes('registry/it/', [0xfe], '.yaml')),
    );
    expect(pathNameProblem(a)).toContain('registry/it/\\xff.yaml');
  });

  it('the escaping is reversible: a C1 control, its lone byte, a backslash name and an escape-looking name all differ', () => {
    const names = [
      bytes('r/', [0xc2, 0x85]), // U+0085, valid UTF-8
      bytes('r/', [0x85]), // the lone byte
      bytes('r/\\x85'), // a literal backslash name
      bytes('r/\\', [0x85]),
      bytes('r/', [0xef, 0xbf, 0xbd]), // U+FFFD itself
    ];
    const escaped = names.map(pathFromBytes);
    expect(new Set(escaped).size).toBe(names.length);
    for (const e of escaped) expect(pathNameProblem(e), e).toBeDefined();
  });

  it('control characters (newline, escape, tab, DEL) are refused; the message never holds them raw', () => {
    for (const c of ['\n', '\u001b[31m', '\t', '\u007f']) {
      const path = pathFromText(`registry/it/a${c}b.yaml`);
      expect(path).not.toMatch(/\p{Cc}/u);
      const problem = pathNameProblem(path)!;
      expect(problem).toBeDefined();
      expect(problem).not.toMatch(/\p{Cc}/u);
      // A raw path handed straight to the core is refused and escaped in the message as well.
      expect(pathNameProblem(`registry/it/a${c}b.yaml`)).not.toMatch(/\p{Cc}/u);
    }
  });

  it('text from JSON: replacement characters and lone surrogates are escaped and refused', () => {
    expect(pathFromText('registry/a\uFFFDb.yaml')).toBe('registry/a\\ufffdb.yaml');
    expect(pathFromText('registry/a\ud800.yaml')).toBe('registry/a\\ud800.yaml');
    expect(pathNameProblem(pathFromText('registry/a\uFFFDb.yaml'))).toBeDefined();
  });
});
