import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalText } from '../../../src/core/canonical-json.js';
import { computeEntryHash, entryHashFromLine, makeEntry } from '../../../src/core/audit/entry.js';
import { formatHash, sha256, ZERO_HASH } from '../../../src/core/audit/hash.js';
import type { EntryInput } from '../../../src/core/audit/model.js';
import { body } from './helpers.js';

describe('entries', () => {
  it('canonical JSON is RFC 8785: sorted keys, no whitespace, ES number and string forms', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'é', '\u2028', 1e21, 0.1], c: { z: '"', y: '\n' } })).toBe(
      '{"a":[true,null,"é","\u2028",1e+21,0.1],"b":1,"c":{"y":"\\n","z":"\\""}}',
    );
  });

  it('the hash is SHA-256 of the canonical entry without its hash field', () => {
    const { entry, line } = makeEntry(body(1), 1, ZERO_HASH);
    const { hash, ...rest } = entry;
    expect(hash).toBe(`sha256:${sha256(canonicalJson(rest)).toString('hex')}`);
    expect(computeEntryHash(entry)).toBe(hash);
    expect(line).toBe(canonicalJson(entry));
  });

  it("verify's shortcut (the line without its hash member) gives the same hash, whatever the text holds", () => {
    const nasty: EntryInput[] = [
      {
        ...body(1),
        provisioning: [{ provisioner: 'webhook', status: 'failed', idempotency_key: 'k', detail: `,"hash":"sha256:${'0'.repeat(64)}"` }],
      },
      { ...body(2), app: 'ünïcödé-äpp', rules: ['"hash"', '\\', 'nul'] },
      { ...body(3), pull_request: { number: 9, url: 'https://example.com/?a="hash"', author: 'x' } },
      {
        ...body(4),
        provisioning: [{ provisioner: 'p', status: 'applied', idempotency_key: 'k', detail: 'line 1\nline 2\t"quoted"\u2028' }],
      },
    ];
    for (const [i, input] of nasty.entries()) {
      const { entry, line } = makeEntry(input, i + 1, ZERO_HASH);
      expect(entryHashFromLine(line, entry), `entry ${i + 1}`).toBe(computeEntryHash(entry));
      expect(entryHashFromLine(line, entry)).toBe(entry.hash);
    }
  });

  it('hashes are written as sha256: and 64 lower-case hex digits', () => {
    expect(formatHash(sha256(''))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the fast canonical check agrees with canonicalize, both ways', () => {
    const { line } = makeEntry(body(5), 5, ZERO_HASH);
    const variants = [
      line,
      line.replace('{', '{ '),
      line.replace('"app":', '"app" :'),
      line.replace('"seq":5', '"seq":5.0'),
      line.replace('"seq":5', '"seq":5e0'),
      line.replace('"v":1', '"v":1E0'),
      line.replace('"app-5"', '"app\\u002d5"'),
      line.replace('"app-5"', '"\\u0061pp-5"'),
      line.replace('"app":', '"app":"x","app":'),
      line.replace('{"app"', '{"zzz":1,"app"'),
      `${line}\n`,
      line.replace('"number":', '"10":1,"9":2,"number":'),
      '{"10":1,"9":2}',
      '{"9":2,"10":1}',
      '{"a":"\\ud800"}',
      '{"a":"\\u2028","b":[1,2.5,-0,1e21,1e-7]}',
      '{"a":"\u2028","b":[1,2.5,0,1e+21,1e-7]}',
      '{"b":{"d":1,"c":2},"a":0}',
      '{"a":0,"b":{"c":2,"d":1}}',
    ];
    for (const text of variants) {
      const value = JSON.parse(text);
      let expected: boolean;
      try {
        expected = canonicalJson(value) === text;
      } catch {
        expected = false;
      }
      expect(isCanonicalText(value, text), text).toBe(expected);
    }
    expect(isCanonicalText(JSON.parse(line), line)).toBe(true);
  });
});
