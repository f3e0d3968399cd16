/**
 * The pull-request check previews what merging will provision ("What merging will do"),
 * planned with the base branch's policies/provisioners.yaml and the head's registry. The
 * `provisioning` field is new in `check --format json`; everything else stays as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appAt, expectCheckShape, expectProvisioningShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos, type GitRepo } from '../helpers/git-repo.js';
import { fixture, REPO_ROOT } from '../helpers/paths.js';
import { check, runCli } from '../helpers/run-cli.js';

useTempRepos();

const STANDUP = 'registry/it/standup-notes-bot.yaml';
const SHIPPED_CONFIG = readFileSync(join(REPO_ROOT, 'policies/provisioners.yaml'), 'utf8');
const WITH_WEBHOOK = [
  'gateway: {}',
  'webhooks:',
  '  - name: credential-broker',
  '    url: https://provisioning.example.com/hooks/microapps',
  '    secret_env: BROKER_SECRET',
  '',
].join('\n');

/** A seeded registry whose main branch configures provisioning. */
function repoWith(config: string | undefined): GitRepo {
  const repo = createSeededRepo();
  if (config !== undefined) {
    repo.write('policies/provisioners.yaml', config);
    repo.commit('configure provisioning');
  }
  return repo;
}

function run(repo: GitRepo, head: string, format: string) {
  return runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', format]);
}

describe('check: what merging will do', () => {
  it('lists the gateway and webhook steps of a new app in JSON, text and markdown', () => {
    const repo = repoWith(WITH_WEBHOOK);
    const head = openPullRequest(repo, { write: { [STANDUP]: fixture('apps/standup-notes-bot.yaml') } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('auto_approve');
    const preview = expectProvisioningShape(report.provisioning);
    expect(preview.notes).toEqual([]);
    expect(preview.steps).toEqual([
      {
        provisioner: 'gateway',
        app: 'standup-notes-bot',
        action: 'create',
        summary:
          'Add standup-notes-bot to the API gateway as a consumer allowed to use jira_read_only (issues:read, projects:read; 1000/hour) and slack_post_messages (chat:write; 50/minute).',
      },
      {
        provisioner: 'webhook:credential-broker',
        app: 'standup-notes-bot',
        action: 'create',
        summary: 'Send "create" for standup-notes-bot to the credential-broker webhook (provisioning.example.com).',
      },
    ]);

    const text = run(repo, head, 'text');
    expect(text.code, text.describe()).toBe(0);
    expect(text.stdout).toContain(
      'What merging will do (policies/provisioners.yaml of the base branch):\n  gateway, create standup-notes-bot: Add standup-notes-bot to the API gateway',
    );
    expect(text.stdout).toContain('  webhook:credential-broker, create standup-notes-bot: Send "create"');

    const md = run(repo, head, 'markdown');
    expect(md.code, md.describe()).toBe(0);
    expect(md.stdout).toContain('### What merging will do');
    expect(md.stdout).toContain('- `gateway` **create** `standup-notes-bot`: Add standup-notes-bot to the API gateway');
  });

  it('a removed app disappears from the gateway: a delete step', () => {
    const repo = repoWith(SHIPPED_CONFIG);
    const removed = 'registry/it/laptop-refresh-tracker.yaml';
    const head = openPullRequest(repo, { remove: [removed] });
    const r = check(repo.dir, 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(appAt(report, removed).change).toBe('removed');
    const steps = expectProvisioningShape(report.provisioning).steps;
    expect(steps).toEqual([expect.objectContaining({ provisioner: 'gateway', app: 'laptop-refresh-tracker', action: 'delete' })]);
    expect(steps[0]!.summary).toMatch(/^Remove laptop-refresh-tracker from the API gateway: it loses access to /);
  });

  it('never shows a blocked connector as allowed, and shows nothing for a change it denies', () => {
    const repo = repoWith(SHIPPED_CONFIG);
    const head = openPullRequest(repo, { write: { 'registry/marketing/file-dropper.yaml': fixture('apps/file-dropper.yaml') } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('deny');
    const [step] = expectProvisioningShape(report.provisioning).steps;
    expect(step!.summary).toContain('Not allowed: personal_dropbox is blocked.');
    expect(step!.summary).not.toMatch(/allowed to use [^.]*personal_dropbox/);
    // A denied change cannot be merged: the human formats do not preview a merge.
    expect(run(repo, head, 'text').stdout).not.toContain('What merging will do');
  });

  it('a description-only change is unchanged at the gateway', () => {
    const repo = repoWith(SHIPPED_CONFIG);
    const path = 'registry/it/laptop-refresh-tracker.yaml';
    const head = openPullRequest(repo, {
      write: { [path]: repo.read(path).replace(/^description: .*$/m, 'description: A new description.') },
    });
    const report = expectCheckShape(check(repo.dir, 'main', head).json<CheckReport>());
    expect(appAt(report, path).change).toBe('modified');
    expect(expectProvisioningShape(report.provisioning).steps).toMatchObject([{ provisioner: 'gateway', action: 'unchanged' }]);
  });

  it("follows the base branch's configuration when the pull request changes it, and says so", () => {
    const repo = repoWith(SHIPPED_CONFIG);
    const head = openPullRequest(repo, {
      write: { 'policies/provisioners.yaml': WITH_WEBHOOK, [STANDUP]: fixture('apps/standup-notes-bot.yaml') },
    });
    const report = expectCheckShape(check(repo.dir, 'main', head).json<CheckReport>());
    expect(report.governance).toEqual([{ path: 'policies/provisioners.yaml', change: 'modified' }]);
    const preview = expectProvisioningShape(report.provisioning);
    expect(preview.steps.map((s) => s.provisioner)).toEqual(['gateway']);
    expect(preview.notes).toEqual(["This pull request changes policies/provisioners.yaml: the steps follow the base branch's copy."]);
  });

  it("says so when the base branch's configuration is broken, without blaming the pull request", () => {
    const repo = repoWith('gateway:\n  enabld: true\n');
    const head = openPullRequest(repo, { write: { [STANDUP]: fixture('apps/standup-notes-bot.yaml') } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(0);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('auto_approve');
    const preview = expectProvisioningShape(report.provisioning);
    expect(preview.steps).toEqual([]);
    expect(preview.notes[0]).toContain('has errors, so merging will provision nothing');
  });

  it('without a configuration on the base branch, the report has no provisioning field (as before)', () => {
    const repo = repoWith(undefined);
    const head = openPullRequest(repo, { write: { [STANDUP]: fixture('apps/standup-notes-bot.yaml') } });
    const r = check(repo.dir, 'main', head);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(Object.keys(report).sort()).toEqual(['apps', 'base', 'decision', 'findings', 'governance', 'head', 'required_approvals']);
    expect(run(repo, head, 'text').stdout).not.toContain('What merging will do');
  });

  it('a pull request that breaks policies/provisioners.yaml is invalid, at the line and column', () => {
    const repo = repoWith(SHIPPED_CONFIG);
    const head = openPullRequest(repo, {
      write: { 'policies/provisioners.yaml': 'webhooks:\n  - name: broker\n    url: http://hooks.example.com/x\n    secret_env: S\n' },
    });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const report = expectCheckShape(r.json<CheckReport>());
    expect(report.decision).toBe('invalid');
    expect(report.findings).toEqual([
      expect.objectContaining({ severity: 'error', code: 'schema.format', path: 'policies/provisioners.yaml', line: 3, column: 10 }),
    ]);
  });
});
