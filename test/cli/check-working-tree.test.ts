/**
 * `microapps check --base REF` without --head: the head is the working tree, untracked files
 * included (what a citizen developer runs before committing).
 */
import { describe, expect, it } from 'vitest';
import { appAt, expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { check } from '../helpers/run-cli.js';

useTempRepos();

describe('check against the working tree', () => {
  it('reports no_changes for a clean working tree', () => {
    const repo = createSeededRepo();
    const r = check(repo.dir, 'main');
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('no_changes');
    expect(report.apps).toEqual([]);
  });

  it('judges an untracked new app file', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/standup-notes-bot.yaml';
    repo.write(path, fixture('apps/standup-notes-bot.yaml'));
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toContain(`?? ${path}`);
    const r = check(repo.dir, 'main');
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    const app = appAt(report, path);
    expect(app).toMatchObject({ app: 'standup-notes-bot', change: 'added', decision: 'auto_approve' });
    expect(app.rules).toEqual(['001']);
  });

  it('judges an untracked app that is invalid, exit 1', () => {
    const repo = createSeededRepo();
    const path = 'registry/marketing/file-dropper.yaml';
    repo.write(path, fixture('apps/file-dropper.yaml'));
    const r = check(repo.dir, 'main');
    expect(r.code, r.describe()).toBe(1);
    expect(appAt(expectCheckShape(r.json<CheckReport>()), path).decision).toBe('deny');
  });

  it('judges a tracked file modified (not staged) in the working tree', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/laptop-refresh-tracker.yaml';
    repo.write(path, repo.read(path).replace(/^connectors:\n/m, 'connectors:\n  - id: hr_api_read\n    scopes: [org_chart:read]\n'));
    expect(repo.git('status', '--porcelain')).toContain(` M ${path}`);
    const r = check(repo.dir, 'main');
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps).toHaveLength(1);
    const app = appAt(report, path);
    expect(app.change).toBe('modified');
    expect(app.rules).toEqual(['002', '003']);
  });

  it('judges a staged but uncommitted modification', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/laptop-refresh-tracker.yaml';
    repo.write(path, repo.read(path).replace('environment: production', 'environment: sandbox'));
    repo.git('add', path);
    const r = check(repo.dir, 'main');
    const report = expectCheckShape(r.json<CheckReport>());
    expect(appAt(report, path).change, r.describe()).toBe('modified');
  });

  it('judges a tracked file deleted in the working tree as removed', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/jira-sprint-digest.json';
    repo.remove(path);
    const r = check(repo.dir, 'main');
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(appAt(report, path)).toMatchObject({ app: 'jira-sprint-digest', change: 'removed' });
  });

  it('compares the working tree with the base ref, not with HEAD', () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    repo.write('registry/it/standup-notes-bot.yaml', fixture('apps/standup-notes-bot.yaml'));
    repo.commit('committed on the branch');
    repo.write('registry/hr/team-anniversaries.yaml', fixture('apps/team-anniversaries.yaml')); // untracked
    const r = check(repo.dir, 'main');
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.apps.map((a) => [a.path, a.change]).sort()).toEqual([
      ['registry/hr/team-anniversaries.yaml', 'added'],
      ['registry/it/standup-notes-bot.yaml', 'added'],
    ]);
    expect(report.decision).toBe('security_team_review');
  });
});
