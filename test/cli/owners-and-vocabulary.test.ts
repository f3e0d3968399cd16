/**
 * Issue 9, sections 3 and 4, through the real CLI on real git repositories: an owner change is a
 * transfer both owners' managers approve; owners must be in the directory and apps in their
 * owner's folder; governed folders in another case and manifests at the root of registry/ are
 * refused; data types and classifications come from the base policy's closed vocabulary.
 */
import { describe, expect, it } from 'vitest';
import { appAt, expectCheckShape, expectValidateShape, findingWith, type CheckReport, type ValidateReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos, type GitRepo } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { check, runCli, validate } from '../helpers/run-cli.js';

useTempRepos();

const LAPTOP = 'registry/it/laptop-refresh-tracker.yaml'; // production, it-helpdesk
const DASHBOARD = 'registry/finance/expense-report-dashboard.yaml'; // sandbox, finance-team, auto-approved
const BOT = fixture('apps/standup-notes-bot.yaml'); // sandbox, it-platform, auto-approved

function judged(repo: GitRepo, head = 'feature'): CheckReport {
  const r = check(repo.dir, 'main', head);
  expect([0, 1], r.describe()).toContain(r.code);
  return expectCheckShape(r.json<CheckReport>());
}

const managerReviewers = (report: CheckReport) =>
  (report.required_approvals ?? []).filter((a) => a.action === 'manager_approval').map((a) => a.reviewers);

describe('check: an owner change is a transfer', () => {
  it('a production app handed to another owner needs a manager of the old and of the new owner, separately', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: { [LAPTOP]: repo.read(LAPTOP).replace('owner: it-helpdesk@example.com', 'owner: it-platform@example.com') },
    });
    const report = judged(repo);
    const app = appAt(report, LAPTOP);
    expect(app).toMatchObject({ change: 'modified', decision: 'manager_approval' });
    expect(app.rules).toContain('guard:owner-transfer');
    expect((app.reasons as string[]).join(' ')).toContain('changes from it-helpdesk@example.com to it-platform@example.com');
    // Two approvals: neither side's manager can hand the app over alone.
    expect(managerReviewers(report)).toHaveLength(2);
    expect(managerReviewers(report)).toEqual(expect.arrayContaining([['@service-desk-lead-placeholder'], ['@platform-lead-placeholder']]));
  });

  it('a sandbox app that would be auto-approved is not, once its owner changes', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: { [DASHBOARD]: repo.read(DASHBOARD).replace('owner: finance-team@example.com', 'owner: finance-systems@example.com') },
    });
    const report = judged(repo);
    expect(appAt(report, DASHBOARD)).toMatchObject({ decision: 'manager_approval', rules: ['guard:owner-transfer', '001'] });
    expect(report.decision).toBe('manager_approval');
    expect(managerReviewers(report)).toHaveLength(2);
    expect(managerReviewers(report)).toEqual(
      expect.arrayContaining([['@finance-lead-placeholder', '@controller-placeholder'], ['@finance-systems-lead-placeholder']]),
    );
  });

  it('the text and Markdown reports tell the two managers apart, and escape the owners in Markdown', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: { [DASHBOARD]: repo.read(DASHBOARD).replace('owner: finance-team@example.com', 'owner: finance-systems@example.com') },
    });
    const text = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', 'feature']);
    expect(text.stdout, text.describe()).toContain(
      '  needs: manager of the old owner, finance-team@example.com (@finance-lead-placeholder, @controller-placeholder)',
    );
    expect(text.stdout).toContain('  needs: manager of the new owner, finance-systems@example.com (@finance-systems-lead-placeholder)');
    const markdown = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', 'feature', '--format', 'markdown']);
    // The address is a code span like every other mention: it pings nobody and copies whole.
    expect(markdown.stdout, markdown.describe()).toContain('Needs the **manager of the old owner, `finance-team@example.com`**');
    expect(markdown.stdout).toContain('Needs the **manager of the new owner, `finance-systems@example.com`**');
  });

  it('the same app with its owner unchanged stays auto-approved (the guard reads the owner, nothing else)', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { [DASHBOARD]: repo.read(DASHBOARD).replace('retention_days: 30', 'retention_days: 60') } });
    expect(appAt(judged(repo), DASHBOARD)).toMatchObject({ decision: 'auto_approve', rules: ['001'] });
  });
});

describe('check and validate: owners and folders', () => {
  it('an owner missing from the directory is an error with a did-you-mean, not an auto-approval', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/standup-notes-bot.yaml';
    openPullRequest(repo, { write: { [path]: BOT.replace('owner: it-platform@example.com', 'owner: it-platfrom@example.com') } });
    const r = check(repo.dir, 'main', 'feature');
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('invalid');
    const f = findingWith(appAt(report, path).findings, 'app.unknown-owner');
    expect(f).toMatchObject({ severity: 'error', line: 5, column: 8 });
    expect(f.message).toContain('Did you mean "it-platform@example.com"?');
  });

  it('the base directory decides: a pull request cannot add its own owner and be judged by it', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/standup-notes-bot.yaml';
    openPullRequest(repo, {
      write: {
        'policies/owners.yaml': `${repo.read('policies/owners.yaml').trimEnd()}\n  new-team@example.com:\n    name: New\n    managers: [new-lead]\n`,
        [path]: BOT.replace('owner: it-platform@example.com', 'owner: new-team@example.com'),
      },
    });
    const report = judged(repo);
    expect(findingWith(appAt(report, path).findings, 'app.unknown-owner').severity).toBe('error');
  });

  it("an app outside its owner's folder is an error saying where to move it (check and validate)", () => {
    const repo = createSeededRepo();
    const path = 'registry/hr/standup-notes-bot.yaml';
    openPullRequest(repo, { write: { [path]: BOT } });
    const f = findingWith(appAt(judged(repo), path).findings, 'app.wrong-folder');
    expect(f).toMatchObject({ severity: 'error', line: 5, column: 8 });
    expect(f.message).toContain('Move it to registry/it/standup-notes-bot.yaml');
    const v = validate(repo.dir);
    expect(v.code, v.describe()).toBe(1);
    expect(findingWith(expectValidateShape(v.json<ValidateReport>()).findings, 'app.wrong-folder', path).message).toContain('registry/it/');
  });

  it("a directory change that moves an owner's folder reports the apps it leaves behind, though nobody touched them", () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: {
        'policies/owners.yaml': repo
          .read('policies/owners.yaml')
          .replace(/(it-platform@example\.com:\n(?: {4}.*\n)*?) {4}folder: it\n/, '$1    folder: platform\n'),
      },
    });
    const report = judged(repo);
    expect(report.decision).toBe('invalid');
    const f = findingWith(report.findings, 'app.wrong-folder', 'registry/it/jira-sprint-digest.json');
    expect(f.message).toContain('Move it to registry/platform/jira-sprint-digest.json');
  });

  it('an owner entry without a folder sets no folder rule', () => {
    const repo = createSeededRepo();
    repo.write(
      'policies/owners.yaml',
      repo.read('policies/owners.yaml').replace(/^( {2}it-platform@example\.com:\n(?: {4}.*\n)*?) {4}folder: it\n/m, '$1'),
    );
    repo.commit('IT Platform apps may live anywhere');
    openPullRequest(repo, { write: { 'registry/tools/standup-notes-bot.yaml': BOT } });
    const report = judged(repo);
    const app = appAt(report, 'registry/tools/standup-notes-bot.yaml');
    expect(app.decision).toBe('auto_approve');
    // No problem; only the advice on the connector listed by its bare id.
    expect(app.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
  });

  it('a folder in the directory must be a plain folder name under registry/', () => {
    const repo = createSeededRepo();
    repo.write('policies/owners.yaml', repo.read('policies/owners.yaml').replace('folder: it\n', 'folder: registry/it/\n'));
    const v = validate(repo.dir);
    expect(v.code, v.describe()).toBe(1);
    expect(
      expectValidateShape(v.json<ValidateReport>()).findings.some((f) => f.path === 'policies/owners.yaml' && f.severity === 'error'),
    ).toBe(true);
  });

  it('a manifest directly in registry/ is an error', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { 'registry/standup-notes-bot.yaml': BOT } });
    const report = judged(repo);
    expect(report.decision).toBe('invalid');
    const all = [...report.findings, ...report.apps.flatMap((a) => a.findings)];
    expect(findingWith(all, 'tree.manifest-at-registry-root').message).toContain('registry/<team folder>/standup-notes-bot.yaml');
  });

  for (const [path, code] of [
    ['Registry/it/standup-notes-bot.yaml', 'tree.miscased-folder'],
    ['Connectors/jira_read_only.yaml', 'tree.miscased-folder'],
    ['Policies/approval.yaml', 'tree.miscased-folder'],
  ] as const) {
    it(`${path.split('/')[0]}/ is not silently ignored: check and validate refuse it`, () => {
      const repo = createSeededRepo();
      const content = path.startsWith('Registry')
        ? BOT
        : path.startsWith('Connectors')
          ? repo.read('connectors/jira_read_only.yaml')
          : fixture('policies/approve-everything.yaml');
      openPullRequest(repo, { write: { [path]: content } });
      const r = check(repo.dir, 'main', 'feature');
      expect(r.code, r.describe()).toBe(1);
      const report = expectCheckShape(r.json<CheckReport>());
      expect(report.decision).toBe('invalid');
      const lower = path.split('/')[0]!.toLowerCase();
      expect(findingWith(report.findings, code, path).message).toContain(`Move the file to ${lower}/`);
      // The working tree (check without --base's commit) and validate see it too.
      const v = validate(repo.dir);
      expect(v.code, v.describe()).toBe(1);
      expect(findingWith(expectValidateShape(v.json<ValidateReport>()).findings, code, path).severity).toBe('error');
      const w = runCli(['check', '--root', repo.dir, '--base', 'main', '--format', 'json']);
      expect(w.json<CheckReport>().decision, w.describe()).toBe('invalid');
    });
  }
});

describe('check and validate: the closed vocabulary of data', () => {
  const withDataTypes = (types: string) => BOT.replace(/^connectors:/m, `data_types: [${types}]\nconnectors:`);

  it('data_types: [pi] is an error with a did-you-mean, where [pii] needs the security team', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/standup-notes-bot.yaml';
    openPullRequest(repo, { write: { [path]: withDataTypes('pi') } });
    const r = check(repo.dir, 'main', 'feature');
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('invalid');
    const f = findingWith(appAt(report, path).findings, 'app.unknown-data-class');
    expect(f.message).toContain('Did you mean "pii"?');
    expect(f.line).toBeGreaterThan(1);

    const good = createSeededRepo();
    openPullRequest(good, { write: { [path]: withDataTypes('pii') } });
    expect(appAt(judged(good), path).decision).toBe('security_team_review');
  });

  it('a misspelt data_classification in a connector is an error too (the neighbouring field)', () => {
    const repo = createSeededRepo();
    const path = 'connectors/hr_api_read.yaml';
    openPullRequest(repo, { write: { [path]: repo.read(path).replace('data_classification: [pii]', 'data_classification: [pi]') } });
    const report = judged(repo);
    expect(report.decision).toBe('invalid');
    const f = findingWith(report.findings, 'connector.unknown-data-class', path);
    expect(f).toMatchObject({ severity: 'error', line: 9 });
    expect(f.message).toContain('Did you mean "pii"?');
  });

  it("a typo already on the base branch's connector makes an app using it fail closed, not auto-approved", () => {
    const repo = createSeededRepo();
    const path = 'connectors/expense_api_read.yaml';
    repo.write(path, repo.read(path).replace('data_classification: [financial]', 'data_classification: [financal]'));
    repo.commit('a typo lands on main');
    openPullRequest(repo, {
      write: {
        'registry/finance/budget-viewer.yaml': repo.read(DASHBOARD).replace('name: expense-report-dashboard', 'name: budget-viewer'),
      },
    });
    const report = judged(repo);
    expect(report.decision).toBe('invalid');
    const f = findingWith(appAt(report, 'registry/finance/budget-viewer.yaml').findings, 'policy.unknown-data-class');
    expect(f.message).toContain('"financal" from connector expense_api_read');
  });

  it("the base policy's data_classes decide: a policy without them gets the default list, a new kind needs the policy merged first", () => {
    const repo = createSeededRepo();
    // Without data_classes the default vocabulary applies: pii is known, "biometric" is not.
    repo.write('policies/approval.yaml', repo.read('policies/approval.yaml').replace(/\ndata_classes:\n(?: {2}.*\n)+/, '\n'));
    repo.commit('a policy without data_classes');
    expect(repo.read('policies/approval.yaml')).not.toContain('data_classes');
    expect(validate(repo.dir).code).toBe(0);
    const path = 'registry/it/standup-notes-bot.yaml';
    openPullRequest(repo, {
      write: {
        'policies/approval.yaml': `${repo.read('policies/approval.yaml').trimEnd()}\n\ndata_classes:\n  pii: Personal data.\n  biometric: Fingerprints and face scans.\n`,
        [path]: withDataTypes('biometric'),
      },
    });
    const report = judged(repo);
    expect(findingWith(appAt(report, path).findings, 'app.unknown-data-class').severity).toBe('error');
  });

  it('a policy change that drops a kind of data still in use reports the connectors and apps using it', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: { 'policies/approval.yaml': repo.read('policies/approval.yaml').replace(/^ {2}confidential: .*\n/m, '') },
    });
    const report = judged(repo);
    expect(report.decision).toBe('invalid');
    const paths = report.findings.filter((f) => f.code === 'connector.unknown-data-class').map((f) => f.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => p.startsWith('connectors/'))).toBe(true);
  });

  it('a policy rule testing a kind of data that is not in data_classes does not load', () => {
    const repo = createSeededRepo();
    repo.write(
      'policies/approval.yaml',
      repo
        .read('policies/approval.yaml')
        .replace('data_types include "pii" or "financial_write"', 'data_types include "pii" or "financal_write"'),
    );
    const v = validate(repo.dir);
    expect(v.code, v.describe()).toBe(1);
    const f = findingWith(expectValidateShape(v.json<ValidateReport>()).findings, 'policy.unknown-data-class', 'policies/approval.yaml');
    expect(f.message).toContain('Did you mean "financial_write"?');
  });

  it('a policy test with a misspelt data type fails instead of testing an app that cannot exist', () => {
    const repo = createSeededRepo();
    const path = 'policies/tests/sandbox-phi-denied.yaml';
    repo.write(path, repo.read(path).replace('data_types: [phi]', 'data_types: [ph]'));
    const r = runCli(['test', '--root', repo.dir, '--format', 'json']);
    expect(r.code, r.describe()).toBe(1);
    const result = r
      .json<{ results: Array<{ passed: boolean; findings: Array<{ code: string; path: string }> }> }>()
      .results.find((x) => x.findings.some((f) => f.path === path))!;
    expect(result.passed).toBe(false);
    expect(result.findings.map((f) => f.code)).toContain('policy-test.unknown-data-class');
  });
});
