/** The errors module: every type says its kind and name, keeps its fields, and is told apart by instanceof, never by its message. */
import { describe, expect, it } from 'vitest';
import {
  AppConfigError,
  AppNotConfiguredError,
  AuditBugError,
  AuditRefusedError,
  CommitNotInCheckoutError,
  ConditionError,
  DeliveryFailedError,
  DeliveryInProgressError,
  MicroappsError,
  NotAGitRepositoryError,
  RefNotFoundError,
  SourceError,
  TreeTooLargeError,
  UsageError,
} from '../../src/core/errors.js';

const cases: Array<[MicroappsError, string, string, Record<string, unknown>, boolean]> = [
  [new SourceError('no git'), 'source', 'SourceError', {}, true],
  [new RefNotFoundError('origin/x'), 'ref-not-found', 'RefNotFoundError', { ref: 'origin/x' }, true],
  [new NotAGitRepositoryError('/tmp/f'), 'not-a-git-repository', 'NotAGitRepositoryError', { path: '/tmp/f' }, true],
  [
    new TreeTooLargeError('head (abc1234)', 'the folder "apps/"'),
    'tree-too-large',
    'TreeTooLargeError',
    { label: 'head (abc1234)', scope: 'the folder "apps/"' },
    true,
  ],
  [
    new AuditRefusedError([{ code: 'audit.hash', path: 'audit/log.jsonl', line: 3, message: 'bad hash' }]),
    'audit-refused',
    'AuditRefusedError',
    {},
    true,
  ],
  [
    new CommitNotInCheckoutError('a'.repeat(40), 'base'),
    'commit-not-in-checkout',
    'CommitNotInCheckoutError',
    { commit: 'a'.repeat(40), role: 'base' },
    true,
  ],
  [new UsageError('no command'), 'usage', 'UsageError', {}, false],
  [new AppConfigError('bad config'), 'app-config', 'AppConfigError', {}, false],
  [
    new AppNotConfiguredError(['APP_ID', 'WEBHOOK_SECRET']),
    'app-not-configured',
    'AppNotConfiguredError',
    { missing: ['APP_ID', 'WEBHOOK_SECRET'] },
    false,
  ],
  [new DeliveryInProgressError('d-1'), 'delivery-in-progress', 'DeliveryInProgressError', { id: 'd-1' }, false],
  [new DeliveryFailedError('failed'), 'delivery-failed', 'DeliveryFailedError', {}, false],
  [
    new ConditionError('policy.syntax', 'Expected a value here.', 4),
    'condition',
    'ConditionError',
    { code: 'policy.syntax', offset: 4 },
    false,
  ],
  [new AuditBugError('broken promise'), 'audit-bug', 'AuditBugError', {}, false],
];

describe('core/errors', () => {
  it.each(cases.map((c) => [c[2], ...c] as const))('%s: kind, name, fields, instanceof', (_label, error, kind, name, fields, isSource) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(MicroappsError);
    expect(error.kind).toBe(kind);
    expect(error.name).toBe(name);
    expect(error).toMatchObject(fields);
    expect(error instanceof SourceError).toBe(isSource);
    expect(String(error)).toBe(`${name}: ${error.message}`);
  });

  it('every kind is different', () => {
    expect(new Set(cases.map((c) => c[0].kind)).size).toBe(cases.length);
  });

  it('a subclass is not its sibling: a missing ref is not a missing repository', () => {
    expect(new RefNotFoundError('x')).not.toBeInstanceOf(NotAGitRepositoryError);
    expect(new UsageError('x')).not.toBeInstanceOf(SourceError);
  });

  it('messages stay as users knew them', () => {
    expect(new RefNotFoundError('main').message).toBe(
      'the git ref "main" was not found. Fetch it first (for example: git fetch origin) or check its name.',
    );
    expect(new AuditRefusedError([{ code: 'audit.hash', path: 'audit/log.jsonl', line: 3, message: 'bad hash' }]).message).toBe(
      'the audit log refused the append: audit/log.jsonl:3: bad hash',
    );
    expect(new AppNotConfiguredError(['APP_ID']).message).toBe('the App is not configured: missing environment variables: APP_ID');
  });
});
