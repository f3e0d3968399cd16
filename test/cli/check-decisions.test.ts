/**
 * `microapps check --base REF --head REF --format json` on real pull requests (branches) of a
 * temporary registry seeded with the shipped connectors, policy and owner directory.
 */
import { describe, expect, it } from 'vitest';
import { appAt, approvalOf, expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { check } from '../helpers/run-cli.js';
import { configuredReviewers, managerReviewers } from '../helpers/shipped.js';

useTempRepos();

function judge(files: Record<string, string>): { code: number | null; report: CheckReport; describe: () => string } {
  const repo = createSeededRepo();
  const head = openPullRequest(repo, { write: files });
  const r = check(repo.dir, 'main', head);
  return { code: r.code, report: expectCheckShape(r.json<CheckReport>()), describe: r.describe };
}

describe('check: decisions of the shipped policy', () => {
  it('auto-approves a sandbox app with pre-approved connectors and minimal scopes (rule "001"), exit 0', () => {
    const path = 'registry/it/standup-notes-bot.yaml';
    const { code, report, describe } = judge({ [path]: fixture('apps/standup-notes-bot.yaml') });
    expect(code, describe()).toBe(0);
    expect(report.decision, describe()).toBe('auto_approve');
    expect(report.apps).toHaveLength(1);
    const app = appAt(report, path);
    expect(app).toMatchObject({ app: 'standup-notes-bot', path, change: 'added', decision: 'auto_approve' });
    expect(app.rules).toEqual(['001']);
    expect(app.required_approvals).toEqual([]);
    expect(app.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.governance).toEqual([]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it("needs the owner's managers (from policies/owners.yaml) for a production app no rule matches (default_action)", () => {
    const path = 'registry/it/release-notes-publisher.yaml';
    const { code, report, describe } = judge({ [path]: fixture('apps/release-notes-publisher.yaml') });
    expect(code, describe()).toBe(0);
    expect(report.decision).toBe('manager_approval');
    const app = appAt(report, path);
    expect(app.decision).toBe('manager_approval');
    expect(app.rules, 'no rule matched: the default applied').toEqual([]);
    expect(app.required_approvals.map((a) => a.action)).toEqual(['manager_approval']);
    const manager = approvalOf(app.required_approvals, 'manager_approval');
    expect([...manager.reviewers].sort()).toEqual(managerReviewers('it-platform@example.com').sort());
    expect(manager.reason.length).toBeGreaterThan(0);
  });

  it('a production app using hr_api_read needs the manager (rule "002") and, through the connector\'s pii, security ("003")', () => {
    const path = 'registry/finance/headcount-cost-report.yaml';
    const { code, report, describe } = judge({ [path]: fixture('apps/headcount-cost-report.yaml') });
    expect(code, describe()).toBe(0);
    const app = appAt(report, path);
    expect(app.rules, describe()).toContain('002');
    const manager = approvalOf(app.required_approvals, 'manager_approval');
    expect([...manager.reviewers].sort()).toEqual(managerReviewers('finance-team@example.com').sort());
    // hr_api_read is classified pii: omitting data_types cannot avoid rule 003 (DESIGN.md section 2).
    expect(app.rules).toEqual(['002', '003']);
    expect(app.decision).toBe('security_team_review');
    expect(report.decision).toBe('security_team_review');
  });

  it('production + HR + PII needs security review with both manager_approval and security_team_review approvals', () => {
    const path = 'registry/hr/team-anniversaries.yaml';
    const { code, report, describe } = judge({ [path]: fixture('apps/team-anniversaries.yaml') });
    expect(code, describe()).toBe(0);
    expect(report.decision).toBe('security_team_review');
    const app = appAt(report, path);
    expect(app).toMatchObject({ app: 'team-anniversaries', change: 'added', decision: 'security_team_review' });
    expect(app.rules).toEqual(['002', '003']);
    expect(app.required_approvals.map((a) => a.action)).toEqual(['manager_approval', 'security_team_review']);
    expect([...approvalOf(app.required_approvals, 'manager_approval').reviewers].sort()).toEqual(
      managerReviewers('hr-team@example.com').sort(),
    );
    expect([...approvalOf(app.required_approvals, 'security_team_review').reviewers].sort()).toEqual(
      configuredReviewers('security_team_review').sort(),
    );
    // The report's union of approvals carries both too.
    expect((report.required_approvals ?? []).map((a) => a.action)).toEqual(['manager_approval', 'security_team_review']);
  });

  it('denies an app that uses the blocked connector personal_dropbox, exit 1', () => {
    const path = 'registry/marketing/file-dropper.yaml';
    const { code, report, describe } = judge({ [path]: fixture('apps/file-dropper.yaml') });
    expect(code, describe()).toBe(1);
    expect(report.decision).toBe('deny');
    const app = appAt(report, path);
    expect(app.decision).toBe('deny');
    expect(app.rules).toContain('guard:blocked-connector');
    expect(app.required_approvals, 'a deny needs no approvals: it cannot be merged').toEqual([]);
  });

  it('judges every app of a pull request and takes the strictest decision overall', () => {
    const { code, report, describe } = judge({
      'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml'),
      'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml'),
      'registry/marketing/file-dropper.yaml': fixture('apps/file-dropper.yaml'),
    });
    expect(code, describe()).toBe(1);
    expect(report.decision).toBe('deny');
    expect(report.apps.map((a) => [a.path, a.decision]).sort()).toEqual([
      ['registry/hr/team-anniversaries.yaml', 'security_team_review'],
      ['registry/it/standup-notes-bot.yaml', 'auto_approve'],
      ['registry/marketing/file-dropper.yaml', 'deny'],
    ]);
  });

  it('reports no_changes, exit 0, when the pull request touches no governed file', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { 'README.md': '# changed\n', 'docs/whatever.md': 'notes\n' } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('no_changes');
    expect(report.apps).toEqual([]);
    expect(report.governance).toEqual([]);
  });
});

describe('check: invalid manifests (decision invalid, exit 1)', () => {
  const header = [
    'owner: it-platform@example.com', // 2
    'environment: sandbox', // 3
    'auth:', // 4
    '  type: oidc', // 5
    '  provider: company-sso', // 6
    '  scopes: [openid]', // 7
  ];

  it('points at a misspelt field (data_type:) with line, column, schema.unknown-field and a did-you-mean', () => {
    const path = 'registry/it/typo-app.yaml';
    const text = ['name: typo-app', ...header, 'connectors: [jira_read_only]', 'data_type: [financial]', ''].join('\n');
    const { code, report, describe } = judge({ [path]: text });
    expect(code, describe()).toBe(1);
    expect(report.decision).toBe('invalid');
    const app = appAt(report, path);
    expect(app.decision).toBe('invalid');
    const f = app.findings.find((x) => x.code === 'schema.unknown-field');
    expect(f, describe()).toBeDefined();
    expect(f).toMatchObject({ severity: 'error', path, line: 9, column: 1 });
    expect(f!.message).toContain('Did you mean "data_types"');
  });

  it('points at a misspelt nested field with its own column', () => {
    const path = 'registry/it/nested-typo.yaml';
    const text = [
      'name: nested-typo',
      'owner: it-platform@example.com',
      'environment: sandbox',
      'auth:',
      '  type: oidc',
      '  provider: company-sso',
      '  scope: [openid]',
      'connectors: [jira_read_only]',
      '',
    ].join('\n');
    const { code, report, describe } = judge({ [path]: text });
    expect(code, describe()).toBe(1);
    const f = appAt(report, path).findings.find((x) => x.code === 'schema.unknown-field');
    expect(f, describe()).toMatchObject({ line: 7, column: 3 });
    expect(f!.message).toContain('Did you mean "scopes"');
  });

  it('names the closest connector for a misspelt connector id', () => {
    const path = 'registry/it/misspelt-connector.yaml';
    const text = ['name: misspelt-connector', ...header, 'connectors:', '  - jira_read_onyl', ''].join('\n');
    const { code, report, describe } = judge({ [path]: text });
    expect(code, describe()).toBe(1);
    expect(report.decision).toBe('invalid');
    const app = appAt(report, path);
    expect(app.decision).toBe('invalid');
    const f = app.findings.find((x) => x.code === 'app.unknown-connector');
    expect(f, describe()).toMatchObject({ severity: 'error', line: 9, column: 5 });
    expect(f!.message).toContain('Did you mean "jira_read_only"');
  });

  it("refuses a scope outside the connector's allowed_scopes, at the scope", () => {
    const path = 'registry/it/greedy-scopes.yaml';
    const text = ['name: greedy-scopes', ...header, 'connectors:', '  - id: jira_read_only', '    scopes: [issues:write]', ''].join('\n');
    const { code, report, describe } = judge({ [path]: text });
    expect(code, describe()).toBe(1);
    expect(report.decision).toBe('invalid');
    const f = appAt(report, path).findings.find((x) => x.code === 'app.scope-not-allowed');
    expect(f, describe()).toMatchObject({ severity: 'error', line: 10, column: 14 });
    expect(f!.message).toContain('issues:write');
  });

  it('refuses an app whose name does not match its file name', () => {
    const path = 'registry/it/wrong-file-name.yaml';
    const text = ['name: right-name', ...header, 'connectors: [jira_read_only]', ''].join('\n');
    const { code, report, describe } = judge({ [path]: text });
    expect(code, describe()).toBe(1);
    expect(report.decision).toBe('invalid');
    const f = appAt(report, path).findings.find((x) => x.code === 'app.name-mismatch');
    expect(f, describe()).toMatchObject({ severity: 'error', line: 1 });
  });

  it('refuses an app whose name another folder already uses', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/expense-report-dashboard.yaml';
    const head = openPullRequest(repo, { write: { [path]: repo.read('registry/finance/expense-report-dashboard.yaml') } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('invalid');
    const f = appAt(report, path).findings.find((x) => x.code === 'app.duplicate-name');
    expect(f, r.describe()).toBeDefined();
    expect(f!.message).toContain('registry/finance/expense-report-dashboard.yaml');
  });
});
