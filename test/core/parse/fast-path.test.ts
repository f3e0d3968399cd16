/**
 * The fast YAML path (js-yaml) may only ever give the value the strict parser (`yaml`) gives.
 * These differential tests feed both the same text: scalar forms where YAML 1.1 and 1.2
 * differ, random manifests built from them, and every YAML file shipped in this repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, parseYaml } from '../../../src/core/parse/parse-document.js';
import { parseYamlFast } from '../../../src/core/parse/parse-yaml-fast.js';

const SCALARS = [
  '1',
  '-1',
  '+1',
  '01',
  '001',
  '0o17',
  '0o8',
  '0x1F',
  '0xg',
  '0b101',
  '1_000',
  '1__0',
  '0.5',
  '.5',
  '5.',
  '1e3',
  '1E3',
  '1e+3',
  '-1.5e-3',
  '+.inf',
  '.inf',
  '-.Inf',
  '.NaN',
  '.nan',
  '~',
  'null',
  'Null',
  'NULL',
  'nUll',
  'true',
  'True',
  'TRUE',
  'tRue',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '12:30',
  '1:30:00',
  '0.',
  '-0',
  '+0',
  '0',
  '00',
  '0x',
  '0o',
  '-0x1',
  '-0o1',
  '+0x1',
  '1.2.3',
  '1,000',
  '$1',
  '1e',
  'e1',
  '-.5',
  '+.5',
  '0.1e1',
  '1.0e-10',
  '12e03',
  '0e0',
  'Infinity',
  'NaN',
  '"1"',
  "'1'",
  'a b',
  'a #b',
  'a#b',
  '1 ',
  '-.inf',
  '.Inf',
  '0x1_0',
  '0o1_0',
  '1_0.5',
  '99999999999999999999',
  '1e400',
  '-1e400',
  '1e308',
  '"a\\tb"',
  '"\\u00e9"',
  "'it''s'",
  '"line\\nbreak"',
  'é',
  'https://x.example/a?b=c',
  'a: b',
  '[a, b]',
  '{a: 1}',
  '""',
  "''",
  '|\n  x\n  y',
  '>-\n  folded\n  text',
  '|+\n  keep\n',
];

/** The strict parser's plain value, or "refused". */
function strict(text: string): unknown {
  const result = parseYaml('t.yaml', text);
  return result.document ? result.document.value : 'refused';
}

describe('the fast YAML path', () => {
  it.each(SCALARS)('gives the strict value for the scalar %j, or leaves it to the strict parser', (scalar) => {
    for (const text of [`v: ${scalar}\n`, `list:\n  - ${scalar}\n`, `m: {k: ${scalar.includes('\n') ? '"x"' : scalar}}\n`]) {
      const fast = parseYamlFast(text);
      if (fast !== undefined) expect(fast).toEqual(strict(text));
    }
  });

  it('agrees with the strict parser on random manifests built from those scalars', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const inline = SCALARS.filter((s) => !s.includes('\n'));
    let fastAnswers = 0;
    for (let i = 0; i < 400; i++) {
      const lines = [`name: app-${i}`];
      for (let k = 0; k < 6; k++) {
        const key = `field_${k}`;
        const value = inline[random(inline.length)]!;
        const style = random(3);
        if (style === 0) lines.push(`${key}: ${value}`);
        else if (style === 1) lines.push(`${key}:\n  - ${value}\n  - ${inline[random(inline.length)]}`);
        else lines.push(`${key}: [${value.replace(/[,[\]{}]/g, '')}, x]`);
      }
      const text = `${lines.join('\n')}\n`;
      const fast = parseYamlFast(text);
      if (fast === undefined) continue;
      fastAnswers++;
      expect(fast, text).toEqual(strict(text));
    }
    // The comparison must actually exercise the fast path.
    expect(fastAnswers).toBeGreaterThan(50);
  });

  it('agrees with the strict parser on every YAML file in this repository', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(join(root, dir))) {
        const path = join(dir, name);
        if (statSync(join(root, path)).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) files.push(path);
      }
    };
    for (const dir of ['registry', 'connectors', 'policies', 'test/fixtures']) walk(dir);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      const fast = parseYamlFast(text);
      if (fast !== undefined) expect(fast, file).toEqual(strict(text));
    }
  });

  it.each([
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a merge key', 'a: {x: 1}\nb:\n  <<: {x: 2}\n'],
    ['a number that overflows', 'a: 1e400\n'],
    ['a numeric key', '1: a\n'],
    ['a boolean key', 'true: a\n'],
    ['a prototype key', '__proto__: {x: 1}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a tab', 'a:\t1\n'],
  ])('leaves %s to the strict parser', (_, text) => {
    expect(parseYamlFast(text)).toBeUndefined();
  });

  it('still gives exact positions for a file the fast path read', () => {
    const doc = parseDocument('a.yaml', new TextEncoder().encode('# c\nauth:\n  type: oidc\n')).document!;
    expect(doc.valueAt(['auth', 'type'])).toEqual({ line: 3, column: 9 });
  });

  it('refuses a number that overflows to infinity, with its position', () => {
    const result = parseDocument('a.yaml', new TextEncoder().encode('a: 1\nb: 1e400\n'));
    expect(result.findings[0]).toMatchObject({ code: 'parse.number', line: 2, column: 4 });
  });
});
