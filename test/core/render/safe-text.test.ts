/** core/render/safe-text.ts: the one module every surface uses for untrusted text. */
import { describe, expect, it } from 'vitest';
import {
  clip,
  jsonTerminalSafe,
  markdownCode,
  markdownText,
  markdownTextWithin,
  terminalSafe,
  visible,
  visibleDeep,
} from '../../../src/core/render/safe-text.js';
import { codeSpans, liveText, readerText } from '../../helpers/markdown.js';

const INVISIBLES = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u009b',
  '\u061c',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

describe('markdownText', () => {
  it('drops every control and direction-changing character; line breaks and tabs become spaces', () => {
    expect(INVISIBLES.length).toBeGreaterThan(0);
    for (const c of INVISIBLES) expect(markdownText(`a${c}b`), JSON.stringify(c)).toBe('ab');
    for (const br of ['\n', '\r', '\r\n', '\t', '\u2028', '\u2029']) expect(markdownText(`a${br}b`), JSON.stringify(br)).toBe('a b');
  });

  it('mentions, teams and addresses are code spans that copy as they read', () => {
    expect(markdownText('ask @alice or @acme/security-team.')).toBe('ask `@alice` or `@acme/security-team`.');
    expect(markdownText('owner finance-team@example.com')).toBe('owner `finance-team@example.com`');
    expect(markdownText('(@mona)')).toBe('(`@mona`)');
    expect(markdownText('a lone @ here')).toBe('a lone `@` here');
    expect(markdownText('x\u200b@admin')).toContain('`@admin`');
    // An "@" right after a word of other characters still cannot ping.
    expect(liveText(markdownText('#12@admin'))).not.toContain('@');
    expect(liveText(markdownText('é@admin'))).not.toContain('@');
    expect(markdownText('@alice')).not.toContain('\u200b');
  });

  it('HTML, links, images, emphasis, tables and headings are escaped text', () => {
    const hostile = '<img src=x onerror=alert(1)> </details> [x](http://evil) ![y](http://evil) **b** _e_ ~~s~~ a|b # h &amp;';
    const out = markdownText(hostile);
    expect(liveText(out)).not.toMatch(/(?<!\\)[<>[\]*_~|#&]/);
    expect(readerText(out)).toBe(hostile);
  });

  it('bare URLs are not linked: the ":" of "://" and the "." after "www" are escaped', () => {
    expect(markdownText('https://evil.example')).toBe('https\\://evil.example');
    expect(markdownText('www.evil.example')).toBe('www\\.evil.example');
    expect(readerText(markdownText('go to https://evil.example or www.evil.example'))).toBe(
      'go to https://evil.example or www.evil.example',
    );
  });

  it('at the start of a line it cannot start a list, a quote, a heading or a thematic break', () => {
    for (const start of ['- x', '+ x', '= x', '> x', '# x', '1. x', '2) x', '---', '===']) {
      const out = markdownText(start);
      expect(out, start).toMatch(/^(\\|\d+\\[.)])/);
      expect(readerText(out)).toBe(start);
    }
  });

  it('backticks in a value stay text', () => {
    const out = markdownText('run `rm -rf` or ``` fence');
    expect(codeSpans(out).spans).toEqual([]);
    expect(readerText(out)).toBe('run `rm -rf` or ``` fence');
  });

  it('stays linear on long input (a 200,000-character word, a thousand mentions)', () => {
    expect(markdownText('z'.repeat(200_000))).toHaveLength(200_000);
    const many = Array.from({ length: 1000 }, (_, i) => `@u${i}`).join(' ');
    expect(liveText(markdownText(many))).not.toContain('@');
  });
});

describe('markdownCode', () => {
  it('fences longer than any run of backticks inside, so the whole value is one span', () => {
    for (const v of ['plain', 'a`b', 'a``b', '`start', 'end`', '```', 'x ```` y']) {
      const { spans, outside } = codeSpans(markdownCode(v));
      expect(spans, v).toHaveLength(1);
      expect(outside, v).toBe('');
      expect(readerText(markdownCode(v)), v).toBe(v);
    }
  });

  it('a pipe cannot add a table cell, a line break cannot end the span, invisible characters are dropped', () => {
    expect(markdownCode('a|b')).toBe('`a\u2223b`');
    expect(markdownCode('a\nb\r\nc')).toBe('`a b c`');
    expect(markdownCode('a\u202eb\u0000c')).toBe('`abc`');
    expect(markdownCode('')).toBe('` `');
  });
});

describe('clip', () => {
  it('keeps text that fits, else cuts with an ellipsis within the bound', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('abcdefghij', 5)).toBe('abcd…');
    expect(clip('abc', 0)).toBe('');
    expect(clip('abc', Number.POSITIVE_INFINITY)).toBe('abc');
  });

  it('never cuts a surrogate pair, a \\u escape or a backslash escape in half, at any bound', () => {
    const text = `${'🔒'.repeat(5)}${visible('\u202e\u0007')}${markdownText('<[x]>')}\\n${'é🙂'.repeat(5)}`;
    for (let max = 0; max <= text.length + 1; max++) {
      const out = clip(text, max);
      expect(out.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(out, `max ${max}`).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      const body = out.endsWith('…') ? out.slice(0, -1) : out;
      expect(text.startsWith(body), `max ${max}`).toBe(true);
      expect(body, `no half escape at max ${max}`).not.toMatch(/(^|[^\\])(\\\\)*\\(u[0-9a-f]{0,3})?$/);
    }
  });
});

describe('markdownTextWithin', () => {
  it('stays within the bound after escaping and never leaves a code span open', () => {
    const text = `${'<@admin> '.repeat(200)}`;
    for (const max of [0, 1, 5, 17, 100, 999]) {
      const out = markdownTextWithin(text, max);
      expect(out.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(liveText(out), `max ${max}`).not.toContain('@');
    }
  });
});

describe('plain text: visible, terminalSafe, jsonTerminalSafe', () => {
  it('visible writes every invisible character out, line breaks included', () => {
    expect(INVISIBLES.length).toBeGreaterThan(0);
    for (const c of INVISIBLES) expect(visible(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}b`);
    expect(visible('a\nb\rc\td\u2028e')).toBe('a\\nb\\rc\\td\\u2028e');
    expect(visibleDeep({ a: ['x\u202e'], b: 1, c: null })).toEqual({ a: ['x\\u202e'], b: 1, c: null });
  });

  it('terminalSafe keeps line breaks and tabs and writes out the rest', () => {
    expect(terminalSafe('a\n\tb\u001b[31m\u009bc\u202e')).toBe('a\n\tb\\u001b[31m\\u009bc\\u202e');
  });

  it('jsonTerminalSafe escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const value = { s: 'a\u009b\u202e\u2028\u007fz' };
    const safe = jsonTerminalSafe(JSON.stringify(value));
    expect(safe).not.toMatch(/[\u007f-\u009f\u202e\u2028]/);
    expect(JSON.parse(safe)).toEqual(value);
  });
});
