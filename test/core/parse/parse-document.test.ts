import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES, parseDocument } from '../../../src/core/parse/parse-document.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const parse = (path: string, s: string | Uint8Array) => parseDocument(path, typeof s === 'string' ? bytes(s) : s);
const only = (path: string, s: string | Uint8Array) => {
  const r = parse(path, s);
  expect(r.document).toBeUndefined();
  expect(r.findings).toHaveLength(1);
  return r.findings[0]!;
};

describe('parseDocument', () => {
  it('parses YAML 1.2 core schema: yes/on stay text, 001 is a number', () => {
    const r = parse('a.yaml', 'a: yes\nb: on\nc: 001\nd: [x, "y"]\n');
    expect(r.findings).toEqual([]);
    expect(r.document!.value).toEqual({ a: 'yes', b: 'on', c: 1, d: ['x', 'y'] });
    expect(r.document!.scalarSource(['c'])).toBe('001');
  });

  it('allows the yaml-language-server schema comment on the first line', () => {
    const r = parse('a.yaml', '# yaml-language-server: $schema=https://microapps.dev/schemas/app.schema.json\nname: x\n');
    expect(r.findings).toEqual([]);
  });

  it('gives 1-based positions of keys and values, and of the nearest parent when missing', () => {
    const doc = parse('a.yaml', '# c\nauth:\n  type: oidc\nlist:\n  - x\n  - y: 2\n').document!;
    expect(doc.keyAt(['auth', 'type'])).toEqual({ line: 3, column: 3 });
    expect(doc.valueAt(['auth', 'type'])).toEqual({ line: 3, column: 9 });
    expect(doc.valueAt(['list', 1, 'y'])).toEqual({ line: 6, column: 8 });
    expect(doc.keyAt(['auth', 'missing'])).toEqual({ line: 3, column: 3 });
  });

  it('refuses duplicate keys with the line of the second one', () => {
    const f = only('a.yaml', 'a: 1\nb: 2\na: 3\n');
    expect(f).toMatchObject({ code: 'parse.duplicate-key', line: 3, column: 1 });
  });

  it('refuses duplicate keys in JSON, which JSON.parse would silently accept', () => {
    expect(only('a.json', '{\n  "a": 1,\n  "a": 2\n}')).toMatchObject({ code: 'parse.duplicate-key', line: 3, column: 3 });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s', (key) => {
    expect(only('a.yaml', `a:\n  ${key}: 1\n`)).toMatchObject({ code: 'parse.forbidden-key', line: 2, column: 3 });
  });

  it('refuses __proto__ in JSON too', () => {
    expect(only('a.json', '{"__proto__": {"polluted": true}}')).toMatchObject({ code: 'parse.forbidden-key' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses aliases, and an alias bomb in milliseconds with one finding', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 0; i < 20; i++) {
      const p = String.fromCharCode(97 + i);
      const n = String.fromCharCode(98 + i);
      bomb += `${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]\n`;
    }
    const started = performance.now();
    const f = only('bomb.yaml', bomb);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(f).toMatchObject({ code: 'parse.alias', line: 2 });
  });

  it('refuses explicit tags, known or custom', () => {
    expect(only('a.yaml', 'a: !!binary aGVsbG8=\n')).toMatchObject({ code: 'parse.tag', line: 1 });
    expect(only('a.yaml', 'a: !!str 1\n').code).toBe('parse.tag');
    expect(only('a.yaml', 'a: !custom\n  b: 1\n').code).toBe('parse.tag');
  });

  it('refuses a stream of several documents', () => {
    expect(only('a.yaml', 'a: 1\n---\nb: 2\n')).toMatchObject({ code: 'parse.multiple-documents', line: 2 });
  });

  it.each([
    ['empty', ''],
    ['whitespace', '  \n\n'],
    ['comments only', '# nothing\n# here\n'],
  ])('refuses an empty file (%s)', (_, text) => {
    expect(only('a.yaml', text).code).toBe('parse.empty');
  });

  it('refuses bytes that are not UTF-8, pointing at the first bad one', () => {
    expect(only('a.yaml', new Uint8Array([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x62, 0x3a, 0xff]))).toMatchObject({
      code: 'parse.encoding',
      line: 2,
      column: 3,
    });
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parse('a.yaml', '\ufeffa: 1\n').findings).toEqual([]);
  });

  it('refuses files over the size cap before parsing them', () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20);
    expect(only('a.yaml', big).code).toBe('parse.too-large');
  });

  it('reports JSON syntax errors at their line and column', () => {
    expect(only('a.json', '{\n  "a": 1,\n  "b": \n}')).toMatchObject({ code: 'parse.syntax', line: 4, column: 1 });
    expect(only('a.json', '{\n  // comment\n  "a": 1\n}')).toMatchObject({ code: 'parse.syntax', line: 2 });
    expect(only('a.json', '{"a": 1,}').code).toBe('parse.syntax');
  });

  it('reports YAML syntax errors with a position', () => {
    expect(only('a.yaml', 'a: [1, 2\nb: 3\n')).toMatchObject({ code: 'parse.syntax', line: 2 });
  });

  it('refuses non-text keys and infinite numbers', () => {
    expect(only('a.yaml', '1: a\n').code).toBe('parse.key-type');
    expect(only('a.yaml', 'a: .inf\n').code).toBe('parse.number');
  });

  it('gives positions in JSON files too, and refuses numbers too large to store', () => {
    const doc = parse('a.json', '{\n  "auth": {\n    "type": "oidc"\n  },\n  "list": [1, {"y": 2}]\n}').document!;
    expect(doc.keyAt(['auth', 'type'])).toEqual({ line: 3, column: 5 });
    expect(doc.valueAt(['auth', 'type'])).toEqual({ line: 3, column: 13 });
    expect(doc.valueAt(['list', 1, 'y'])).toEqual({ line: 5, column: 21 });
    expect(doc.keyAt(['auth', 'missing'])).toEqual({ line: 2, column: 11 });
    expect(only('b.json', '{"a": 1e999}').code).toBe('parse.number');
  });
});
