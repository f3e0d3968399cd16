/**
 * CEL `.matches()` in a `when:` condition is a regular expression: it runs on RE2 (linear time,
 * as the CEL specification says), and a pattern RE2 refuses is a load error at its position.
 */
import { describe, expect, it } from 'vitest';
import { evaluateChange } from '../../../src/core/policy/evaluate.js';
import { app, CATALOG, DIRECTORY, loadOk, onlyError } from './helpers.js';

// `when:` sits on line 4; the quoted condition starts at column 12 (after "    when: '").
const whenPolicy = (when: string) => `policy:\n  - id: w1\n    name: raw\n    when: '${when.replace(/'/g, "''")}'\n    action: deny\n`;
const judge = (when: string, manifest = app()) => evaluateChange(loadOk(whenPolicy(when)), { kind: 'added', manifest }, CATALOG, DIRECTORY);

describe('CEL matches() runs on RE2', () => {
  it("the catastrophic pattern ^(a+)+$ against 40 a's and a b returns (false), and matches when it should", () => {
    const hostile = `${'a'.repeat(40)}-b`;
    expect(judge('name.matches("^(a+)+$")', app({ name: hostile })).rules).toEqual([]);
    expect(judge('name.matches("^(a+)+$")', app({ name: 'a'.repeat(40) })).rules).toEqual(['w1']);
  });

  it('the same pattern inside a macro, on a link field and on a connector id', () => {
    const links = [{ title: 'x', url: `https://${'a'.repeat(40)}!` }];
    expect(judge('links.exists(l, l.url.matches("^https://(a+)+$"))', app({ links })).rules).toEqual([]);
    expect(judge('connectors.exists(c, c.matches("^(c|ca|cal)+endar_read$"))').rules).toEqual(['w1']);
  });

  it('a variable named "matches" or the word inside text does not confuse the rewrite', () => {
    expect(judge('connectors.exists(matches, "calendar_read".matches(matches))').rules).toEqual(['w1']);
    expect(judge('"matches(".matches("es\\\\(") && owner.matches("example")').rules).toEqual(['w1']);
  });

  it('matches is a partial match, as in CEL (RE2 PartialMatch)', () => {
    expect(judge('owner.matches("@example\\\\.com$")').rules).toEqual(['w1']);
    expect(judge('owner.matches("^example")').rules).toEqual([]);
  });

  it('a backreference is a load error at the pattern', () => {
    const e = onlyError(whenPolicy('name.matches("(a)\\\\1")'));
    expect(e).toMatchObject({ code: 'policy.regex', line: 4, column: 12 + 'name.matches('.length });
    expect(e.message).toContain('invalid escape sequence');
    expect(e.message).toContain('RE2');
  });

  it('lookahead in a second call of the same condition is a load error too', () => {
    const condition = 'name.matches("^a") && owner.matches("(?=x)")';
    const e = onlyError(whenPolicy(condition));
    expect(e).toMatchObject({ code: 'policy.regex', line: 4, column: 12 + condition.indexOf('"(?=x)"') });
  });
});
