/** The parsers' limits (nesting, keys) without false alarms on ordinary text. */
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_KEYS } from '../../../src/core/parse/limits.js';
import { parseDocument } from '../../../src/core/parse/parse-document.js';

const parse = (path: string, s: string) => parseDocument(path, new TextEncoder().encode(s));
const codes = (path: string, s: string) => parse(path, s).findings.map((f) => f.code);

describe('nesting limit', () => {
  it('brackets, quotes and apostrophes inside text are not nesting', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `k${i}: it's [not] a list, "[[[" nor '{{{' nor # [[[`);
    const r = parse('a.yaml', `${lines.join('\n')}\n`);
    expect(r.findings).toEqual([]);
    expect((r.document!.value as Record<string, string>).k0).toBe("it's [not] a list, \"[[[\" nor '{{{' nor"); // the rest is a comment
    expect(codes('a.json', JSON.stringify({ text: '['.repeat(500) }))).toEqual([]);
  });

  it('exactly MAX_DEPTH levels pass, one more is parse.too-deep, in JSON, YAML flow and YAML block style', () => {
    const json = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(codes('a.json', json(MAX_DEPTH))).toEqual([]);
    expect(codes('a.json', json(MAX_DEPTH + 1))).toEqual(['parse.too-deep']);
    expect(codes('a.yaml', `${json(MAX_DEPTH)}\n`)).toEqual([]);
    expect(codes('a.yaml', `${json(MAX_DEPTH + 1)}\n`)).toEqual(['parse.too-deep']);
    const block = (n: number) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}-`).join('\n')} x\n`;
    expect(codes('a.yaml', block(MAX_DEPTH))).toEqual([]);
    expect(codes('a.yaml', block(MAX_DEPTH + 1))).toEqual(['parse.too-deep']);
  });

  it('compact "- - - ..." nesting is refused before the parser recurses', () => {
    expect(codes('a.yaml', `${'- '.repeat(5000)}x\n`)).toEqual(['parse.too-deep']);
  });
});

describe('key limit', () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: 1`).join('\n');
  it('MAX_KEYS keys pass; one more is parse.too-many-keys at that key (nested keys count too)', () => {
    expect(codes('a.yaml', `${keys(MAX_KEYS)}\n`)).toEqual([]);
    const r = parse('a.yaml', `${keys(MAX_KEYS - 1)}\nnested:\n  a: 1\n`);
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([['parse.too-many-keys', MAX_KEYS + 1]]);
  });
});
