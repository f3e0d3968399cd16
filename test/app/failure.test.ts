/** The failed check's text: the reason (escaped, clipped), the delivery id, and nothing that grants anything. */
import { describe, expect, it } from 'vitest';
import { failedCheck, reasonOf } from '../../src/app/delivery/failure.js';
import { isRelevant } from '../../src/app/delivery/events.js';

const SHA = 'a'.repeat(40);

describe('app: failed check text', () => {
  it('names the HTTP status, the message and the delivery id; concludes failure', () => {
    const error = Object.assign(new Error('Server Error'), { status: 502 });
    const check = failedCheck(SHA, error, 'd-123');
    expect(check).toMatchObject({ headSha: SHA, conclusion: 'failure', title: 'The approval check could not run' });
    expect(check.summary).toContain('GitHub answered 502: Server Error');
    expect(check.summary).toContain('d-123');
  });

  it('escapes markup and mentions in messages and clips long ones', () => {
    const reason = reasonOf(new Error(`@everyone <img src=x> [x](http://e) ${'y'.repeat(5000)}`));
    expect(reason, 'HTML is escaped').not.toMatch(/(^|[^\\])<img/);
    expect(reason).not.toMatch(/(^|\s)@everyone/);
    expect(reason.length).toBeLessThanOrEqual(1000);
    expect(reason.length).toBeGreaterThan(100);
  });
});

describe('app: no credential in a failure text', () => {
  it('redacts tokens, JWTs and Authorization values a library may have put in a message', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjEyMzQ1Nn0.c2lnbmF0dXJlLXZhbHVl';
    const reason = reasonOf(
      new Error(
        `No match {"authorization": "token ghs_abcdefghijklmnop1234", "x": "bearer ${jwt}"} github_pat_11ABCDEFG0123456789 Authorization: Bearer abc.def`,
      ),
    );
    for (const secret of ['ghs_abcdefghijklmnop1234', jwt, 'github_pat_11ABCDEFG0123456789', 'abc.def']) {
      expect(reason.replace(/\\/g, '')).not.toContain(secret);
    }
    expect(reason.replace(/\\/g, '')).toContain('[redacted]');
  });
});

describe('app: which deliveries count', () => {
  const base = { repository: { name: 'r', owner: { login: 'o' } }, pull_request: { number: 1 } };
  it('edited counts only with a base change; other actions always', () => {
    expect(isRelevant({ ...base, action: 'edited', changes: { base: { ref: { from: 'x' } } } })).toBe(true);
    expect(isRelevant({ ...base, action: 'edited', changes: {} })).toBe(false);
    expect(isRelevant({ ...base, action: 'opened' })).toBe(true);
  });
});
