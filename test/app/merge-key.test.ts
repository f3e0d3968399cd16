/** The App's audit key from its environment, which pushes it answers, and how it reads GitHub's refusal of a commit. */
import { describe, expect, it } from 'vitest';
import { auditSignerFromEnv, isBranchMoved, pushTargetOf } from '../../src/app/merge/index.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { makeAuditKey } from './merge-scenario.js';

useTempRepos();

describe('app: the audit key from the environment', () => {
  it('no key: the problem names both variables', () => {
    const result = auditSignerFromEnv({});
    expect(result.signer).toBeUndefined();
    expect(result.problem).toMatch(/MICROAPPS_AUDIT_PRIVATE_KEY/);
    expect(result.problem).toMatch(/MICROAPPS_AUDIT_KEY\b/);
  });

  it('the key text, or a file; the text wins; literal \\n are line breaks; the comment is the key id unless MICROAPPS_AUDIT_KEY_ID says otherwise', () => {
    const key = makeAuditKey('app-key-1');
    expect(auditSignerFromEnv({ MICROAPPS_AUDIT_PRIVATE_KEY: key.privateKey }).signer?.keyId).toBe('app-key-1');
    expect(auditSignerFromEnv({ MICROAPPS_AUDIT_PRIVATE_KEY: key.privateKey.replace(/\n/g, '\\n') }).signer?.keyId).toBe('app-key-1');
    expect(auditSignerFromEnv({ MICROAPPS_AUDIT_KEY: key.privateKeyPath }).signer?.keyId).toBe('app-key-1');
    expect(auditSignerFromEnv({ MICROAPPS_AUDIT_PRIVATE_KEY: key.privateKey, MICROAPPS_AUDIT_KEY: '/nowhere/key' }).signer?.keyId).toBe(
      'app-key-1',
    );
    expect(auditSignerFromEnv({ MICROAPPS_AUDIT_KEY: key.privateKeyPath, MICROAPPS_AUDIT_KEY_ID: 'audit-2026' }).signer?.keyId).toBe(
      'audit-2026',
    );
  });

  it('an unreadable file or a text that is no key: the problem names the variable, never the text', () => {
    expect(auditSignerFromEnv({ MICROAPPS_AUDIT_KEY: '/nowhere/key' }).problem).toMatch(
      /MICROAPPS_AUDIT_KEY names a file the App cannot read \(\/nowhere\/key: ENOENT\)/,
    );
    const secretLooking = 'not-a-key-but-secret-looking-0123456789';
    const problem = auditSignerFromEnv({ MICROAPPS_AUDIT_PRIVATE_KEY: secretLooking }).problem!;
    expect(problem).toMatch(/^MICROAPPS_AUDIT_PRIVATE_KEY: /);
    expect(problem).not.toContain(secretLooking);
  });
});

describe('app: which pushes can record', () => {
  const repository = { name: 'r', owner: { login: 'o', name: 'o' }, default_branch: 'main' };
  const sha = (c: string) => c.repeat(40);
  it('a push to the default branch, named by repository, ref, before and after', () => {
    expect(pushTargetOf({ ref: 'refs/heads/main', before: sha('a'), after: sha('b'), repository })).toEqual({
      target: { owner: 'o', repo: 'r', branch: 'main', before: sha('a'), after: sha('b') },
    });
  });
  it.each([
    ['a tag', { ref: 'refs/tags/v1', before: sha('a'), after: sha('b') }, /not a branch/],
    ['another branch', { ref: 'refs/heads/feature', before: sha('a'), after: sha('b') }, /not the default branch/],
    ['a deleted branch', { ref: 'refs/heads/main', before: sha('a'), after: sha('0'), deleted: true }, /deleted/],
    ['a created branch', { ref: 'refs/heads/main', before: sha('0'), after: sha('b') }, /created/],
    ['no commits', { ref: 'refs/heads/main', before: 'x', after: 'y' }, /does not name its commits/],
  ])('ignores %s', (_what, payload, why) => {
    expect(pushTargetOf({ ...payload, repository }).ignored).toMatch(why);
  });
});

describe('app: a moved branch, as GitHub says it', () => {
  it('STALE_DATA, or the message, means the branch moved; other errors do not', () => {
    expect(isBranchMoved([{ type: 'STALE_DATA', message: 'anything' }])).toBe(true);
    expect(isBranchMoved([{ message: `Expected branch to point to "${'a'.repeat(40)}" but it did not.  Pull and try again.` }])).toBe(true);
    expect(isBranchMoved([{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }])).toBe(false);
    expect(isBranchMoved([{ type: 'UNPROCESSABLE', message: 'A path was requested for deletion which does not exist' }])).toBe(false);
  });
});
