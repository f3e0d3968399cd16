/**
 * The committed Action bundle on real pull_request events: a temp git registry seeded with the
 * shipped connectors, policy and owner directory, a branch making the change, and
 * action/dist/index.js run as the runner runs it (see test/helpers/run-action.ts).
 * Each scenario asserts the exit code, the outputs, the annotations and the job summary.
 */
import { describe, expect, it } from 'vitest';
import { expectActionOutputs, expectAnnotationLimits, failureMessages, fileAnnotations, plainSummary } from '../helpers/action-contract.js';
import { appAt, approvalOf, nonEmpty } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { actionInputDefaults, runAction, runPullRequest } from '../helpers/run-action.js';
import { configuredReviewers, managerReviewers } from '../helpers/shipped.js';
import { ALL_SCOPES_CODE } from '../../src/core/check/connector-hints.js';

useTempRepos();

/** An app with a misspelt connector (line 9, column 5) and a misspelt field data_type (line 10, column 1). */
/** An unknown connector on line 9 and data_type: for data_types on line 10. */
function typoApp(name: string): string {
  return fixture('apps/malformed/typo-app-and-unknown-connector.yaml').replace('name: typo-app', `name: ${name}`);
}

describe('action: the defaults of action.yml reach the bundle as the runner passes them', () => {
  it('sets INPUT_ROOT, INPUT_FAIL-ON (hyphen kept) and INPUT_SUMMARY from action.yml', () => {
    expect(actionInputDefaults()).toEqual({ root: '.', 'fail-on': 'invalid,deny', summary: 'true', mode: 'check', 'audit-key': '' });
    const r = runPullRequest({ write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } });
    expect(r.env.INPUT_ROOT).toBe('.');
    expect(r.env['INPUT_FAIL-ON']).toBe('invalid,deny');
    expect(r.env.INPUT_SUMMARY).toBe('true');
    expect(r.payload.pull_request.base.sha).toBe(r.base);
    expect(r.payload.pull_request.head.sha).toBe(r.head);
    expect(r.code, r.describe()).toBe(0);
  });
});

describe('action: decisions on pull requests', () => {
  it('auto-approve: exit 0, decision output, no annotations, a summary saying it can be merged', () => {
    const path = 'registry/it/standup-notes-bot.yaml';
    const r = runPullRequest({ write: { [path]: fixture('apps/standup-notes-bot.yaml') } });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('auto_approve');
    const apps = JSON.parse(r.outputs.apps!);
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ app: 'standup-notes-bot', path, change: 'added', decision: 'auto_approve', rules: ['001'] });
    expect(JSON.parse(r.outputs['required-approvals']!)).toEqual([]);
    expect(appAt(report, path).decision).toBe('auto_approve');

    expect(r.annotations('error'), r.describe()).toEqual([]);
    expect(r.annotations('warning'), 'advice is not a warning').toEqual([]);
    const notices = r.annotations('notice');
    expect(
      notices.filter((n) => n.properties.title !== `microapps: ${ALL_SCOPES_CODE}`),
      'an auto-approved app needs no review notice',
    ).toEqual([]);
    // Only advice: the connector listed by its bare id, as a notice on its entry.
    expect(notices.map((n) => [n.properties.file, n.properties.line, n.properties.col])).toEqual([[path, '13', '5']]);
    expect(failureMessages(r)).toEqual([]);

    expect(r.summary).toMatch(/^## ✅ Micro-app policy: auto-approved\n/);
    expect(r.summary).toContain('it can be merged');
    expect(r.summary).toContain('`standup-notes-bot`');
    expect(r.summary).not.toContain('Approvals needed');
    expect(r.stdout, 'the verdict is in the log too').toContain('standup-notes-bot');
  });

  it('review needed (manager): exit 0 by default, a notice on the manifest, the summary names the managers and the reason', () => {
    const path = 'registry/it/release-notes-publisher.yaml';
    const r = runPullRequest({ write: { [path]: fixture('apps/release-notes-publisher.yaml') } });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('manager_approval');
    const approvals = JSON.parse(r.outputs['required-approvals']!);
    const manager = approvalOf(approvals, 'manager_approval');
    expect([...manager.reviewers].sort()).toEqual(managerReviewers('it-platform@example.com').sort());

    const notices = fileAnnotations(r, 'notice');
    expect(notices, r.describe()).toHaveLength(1);
    expect(notices[0]!.properties).toMatchObject({ file: path, line: '1' });
    expect(notices[0]!.properties.title).toContain('release-notes-publisher');
    expect(notices[0]!.properties.title).toContain("needs the owner's manager to approve");
    expect(r.annotations('error'), 'a review is not an error').toEqual([]);

    const plain = plainSummary(r.summary);
    expect(r.summary).toMatch(/^## 🟡 Micro-app policy: needs the owner's manager to approve\n/);
    expect(r.summary).toContain('### Approvals needed before merging');
    for (const login of nonEmpty(managerReviewers('it-platform@example.com'), 'the managers')) expect(plain, r.summary).toContain(login);
    for (const a of nonEmpty(report.required_approvals, 'the required approvals'))
      expect(plain, `the reason "${a.reason}"`).toContain(a.reason);
  });

  it('review needed (security): the summary names the managers, the security team and every reason; the notice carries the reasons', () => {
    const path = 'registry/hr/team-anniversaries.yaml';
    const r = runPullRequest({ write: { [path]: fixture('apps/team-anniversaries.yaml') } });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('security_team_review');
    const approvals = JSON.parse(r.outputs['required-approvals']!);
    expect(approvals.map((a: { action: string }) => a.action)).toEqual(['manager_approval', 'security_team_review']);

    const app = appAt(report, path);
    // One notice per line that needs the review: the hr_api_read entry (rules 002 and 003) and
    // the declared data_types (rule 003).
    const notices = fileAnnotations(r, 'notice');
    expect(notices.map((n) => [n.properties.file, n.properties.line, n.properties.col])).toEqual([
      [path, '12', '5'],
      [path, '16', '13'],
    ]);
    for (const n of notices) expect(n.properties.title).toBe('team-anniversaries: needs a security team review');
    for (const reason of nonEmpty(app.reasons as string[], 'the reasons')) expect(notices[0]!.message).toContain(reason);

    const plain = plainSummary(r.summary);
    expect(r.summary).toMatch(/^## 🟠 Micro-app policy: needs a security team review\n/);
    for (const who of nonEmpty(
      [...managerReviewers('hr-team@example.com'), ...configuredReviewers('security_team_review')],
      'the reviewers',
    )) {
      expect(plain, `the summary names ${who}`).toContain(who);
    }
    for (const reason of nonEmpty(app.reasons as string[], 'the reasons')) expect(plain).toContain(reason);
    for (const remedy of nonEmpty(app.remedies as string[], 'the remedies')) expect(plain, 'and what to change').toContain(remedy);
  });

  it('fail-on: security_team_review makes the same review fail the step', () => {
    const r = runPullRequest(
      { write: { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') } },
      { inputs: { 'fail-on': 'security_team_review, deny,invalid' } },
    );
    expect(r.code, r.describe()).toBe(1);
    expectActionOutputs(r);
    expect(r.outputs.decision).toBe('security_team_review');
    const failures = failureMessages(r);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('security_team_review');
  });

  it('denied: exit 1, a failure message, no approvals section, the summary says why', () => {
    const path = 'registry/marketing/file-dropper.yaml';
    const r = runPullRequest({ write: { [path]: fixture('apps/file-dropper.yaml') } });
    expect(r.code, r.describe()).toBe(1);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('deny');
    expect(appAt(report, path).rules).toContain('guard:blocked-connector');
    expect(JSON.parse(r.outputs['required-approvals']!), 'a denied change cannot be approved').toEqual([]);

    const failures = failureMessages(r);
    expect(failures, r.describe()).toHaveLength(1);
    expect(failures[0]).toContain('"deny"');
    // The denial is an error on the line that caused it: the connector entry (line 11, column 5).
    expect(fileAnnotations(r, 'notice')).toEqual([]);
    const errors = fileAnnotations(r, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.properties).toMatchObject({ file: path, line: '11', col: '5', title: 'file-dropper: denied' });
    expect(errors[0]!.message).toContain('Use s3_exports or sharepoint_files_read instead.');

    expect(r.summary).toMatch(/^## ⛔ Micro-app policy: denied\n/);
    expect(r.summary).not.toContain('Approvals needed');
    const plain = plainSummary(r.summary);
    for (const reason of nonEmpty(appAt(report, path).reasons as string[], 'the reasons')) expect(plain).toContain(reason);
    expect(plain).toContain('personal_dropbox');
  });

  it("denied by the policy's default (no line of its own): an error annotation on line 1 with the reasons, not silence", () => {
    const repo = createSeededRepo();
    const policy = repo.read('policies/approval.yaml');
    expect(policy).toContain('default_action: manager_approval');
    repo.write('policies/approval.yaml', policy.replace('default_action: manager_approval', 'default_action: deny'));
    repo.commit('deny what no rule allows');
    const path = 'registry/it/standup-notes-bot.yaml';
    // In production, the shipped rules do not match it: the default decides.
    openPullRequest(repo, {
      write: { [path]: fixture('apps/standup-notes-bot.yaml').replace('environment: sandbox', 'environment: production') },
    });
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base: repo.sha('main'), head: repo.sha('feature') });
    expect(r.code, r.describe()).toBe(1);
    expect(r.outputs.decision).toBe('deny');
    const denied = fileAnnotations(r, 'error').filter((c) => c.properties.title === 'standup-notes-bot: denied');
    expect(denied, r.describe()).toHaveLength(1);
    expect(denied[0]!.properties).toMatchObject({ file: path, line: '1' });
    expect(denied[0]!.message).toContain('default');
  });

  it('invalid: exit 1, error annotations on the exact lines and columns, the summary lists each problem', () => {
    const path = 'registry/it/typo-app.yaml';
    const r = runPullRequest({ write: { [path]: typoApp('typo-app') } });
    expect(r.code, r.describe()).toBe(1);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('invalid');

    const errors = fileAnnotations(r, 'error');
    const connector = errors.find((c) => c.properties.title === 'microapps: app.unknown-connector');
    expect(connector, r.describe()).toBeDefined();
    expect(connector!.properties).toMatchObject({ file: path, line: '9', col: '5' });
    expect(connector!.message).toContain('Did you mean "jira_read_only"');
    const field = errors.find((c) => c.properties.title === 'microapps: schema.unknown-field');
    expect(field, r.describe()).toBeDefined();
    expect(field!.properties).toMatchObject({ file: path, line: '10', col: '1' });
    expect(field!.message).toContain('Did you mean "data_types"');
    // The raw command escapes the ':' of the title as the runner requires.
    expect(connector!.raw).toContain('title=microapps%3A app.unknown-connector::');

    // Every error finding of the report is annotated (fewer than 10 here).
    const reportErrors = appAt(report, path).findings.filter((f) => f.severity === 'error');
    expect(errors.map((c) => [c.properties.line, c.properties.col, c.message]).sort()).toEqual(
      reportErrors.map((f) => [String(f.line), String(f.column), f.message]).sort(),
    );

    const failures = failureMessages(r);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('"invalid"');

    expect(r.summary).toMatch(/^## ❌ Micro-app policy: invalid: fix the errors listed\n/);
    expect(r.summary).not.toContain('Approvals needed');
    expect(r.summary).toContain('`registry/it/typo-app.yaml:9:5`');
    expect(r.summary).toContain('`registry/it/typo-app.yaml:10:1`');
  });

  it('fail-on: never lets an invalid pull request pass, still annotated and summarised', () => {
    const path = 'registry/it/typo-app.yaml';
    const r = runPullRequest({ write: { [path]: typoApp('typo-app') } }, { inputs: { 'fail-on': 'never' } });
    expect(r.code, r.describe()).toBe(0);
    expectActionOutputs(r);
    expect(r.outputs.decision).toBe('invalid');
    expect(fileAnnotations(r, 'error').length, 'the problems are still annotated').toBeGreaterThanOrEqual(2);
    expect(failureMessages(r), 'the step is not failed').toEqual([]);
    expect(r.summary).toContain('invalid');
  });

  it('summary: false writes no job summary but sets every output', () => {
    const r = runPullRequest(
      { write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } },
      { inputs: { summary: 'false' } },
    );
    expect(r.code, r.describe()).toBe(0);
    expectActionOutputs(r);
    expect(r.summary).toBe('');
  });

  it('a mixed pull request takes the strictest decision and lists the strictest app first in the summary', () => {
    const r = runPullRequest({
      write: {
        'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml'),
        'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml'),
        'registry/marketing/file-dropper.yaml': fixture('apps/file-dropper.yaml'),
      },
    });
    expect(r.code, r.describe()).toBe(1);
    expectActionOutputs(r);
    expect(r.outputs.decision).toBe('deny');
    expect(r.summary, 'a denied pull request asks nobody to approve it').not.toContain('Approvals needed');
    const rows = r.summary.split('\n').filter((l) => /^\| `/.test(l));
    expect(rows.map((l) => /^\| `([^`]+)`/.exec(l)![1])).toEqual(['file-dropper', 'team-anniversaries', 'standup-notes-bot']);
    // A review is a notice on each line that needs it; a denial is an error on its connector.
    const reviewNotices = fileAnnotations(r, 'notice').filter((c) => c.properties.title !== `microapps: ${ALL_SCOPES_CODE}`);
    expect([...new Set(reviewNotices.map((c) => c.properties.file))]).toEqual(['registry/hr/team-anniversaries.yaml']);
    expect(fileAnnotations(r, 'error').map((c) => [c.properties.file, c.properties.line])).toEqual([
      ['registry/marketing/file-dropper.yaml', '11'],
    ]);
  });
});

describe('action: annotations stay within what GitHub shows (10 per severity)', () => {
  it('with many errors, warnings and reviews: at most 10 of each, and the failure message is one of them', () => {
    const write: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) {
      const n = String(i).padStart(2, '0');
      write[`registry/it/typo-${n}.yaml`] = typoApp(`typo-${n}`);
      // An owner the base directory lists without managers: a warning, not an error.
      write[`registry/sales/orphan-${n}.yaml`] = fixture('apps/release-notes-publisher.yaml')
        .replace('name: release-notes-publisher', `name: orphan-${n}`)
        .replace('owner: it-platform@example.com', 'owner: nobody-here@example.com');
      write[`registry/hr/anniversaries-${n}.yaml`] = fixture('apps/team-anniversaries.yaml').replace(
        'name: team-anniversaries',
        `name: anniversaries-${n}`,
      );
    }
    const repo = createSeededRepo();
    repo.write(
      'policies/owners.yaml',
      `${repo.read('policies/owners.yaml').trimEnd()}\n  nobody-here@example.com:\n    name: Nobody (no managers yet)\n`,
    );
    const base = repo.commit('an owner without managers');
    openPullRequest(repo, { write });
    const r = runAction({ repoDir: repo.dir, event: 'pull_request', base, head: repo.sha() });
    expect(r.code, r.describe()).toBe(1);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('invalid');
    const allErrors = [...report.findings, ...report.apps.flatMap((a) => a.findings)].filter((f) => f.severity === 'error');
    expect(allErrors.length, 'the scenario has more than 10 errors').toBeGreaterThan(10);
    const allWarnings = [...report.findings, ...report.apps.flatMap((a) => a.findings)].filter((f) => f.severity === 'warning');
    expect(allWarnings.length, `the scenario has more than 10 warnings\n${r.describe()}`).toBeGreaterThan(10);

    expect(fileAnnotations(r, 'error').length, 'errors are annotated').toBeGreaterThanOrEqual(9);
    expect(fileAnnotations(r, 'warning').length, 'warnings are annotated').toBeGreaterThanOrEqual(9);
    expect(fileAnnotations(r, 'notice').length, 'reviews are annotated').toBeGreaterThanOrEqual(9);
    expect(failureMessages(r), 'the step failure is reported').toHaveLength(1);
    // GitHub keeps only the first 10 error annotations of a step: an 11th (e.g. the failure
    // message after 10 finding errors) would be dropped.
    expectAnnotationLimits(r);
  });
});
