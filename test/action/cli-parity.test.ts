/**
 * The Action judges a pull request exactly as the CLI does: for the same repository and the
 * same two commits, the Action's `report` file equals `microapps check --base <base sha>
 * --head <head sha> --format json` (decision, apps, governance, findings, required approvals,
 * and the base/head labels too, since both are given the SHAs), and both fail on the same
 * decisions by default.
 */
import { describe, expect, it } from 'vitest';
import { expectActionOutputs } from '../helpers/action-contract.js';
import { expectCheckShape, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos, type GitRepo, type PullRequestChange } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { check } from '../helpers/run-cli.js';
import { runAction } from '../helpers/run-action.js';

useTempRepos();

const TYPO_APP = fixture('apps/malformed/typo-app-and-unknown-connector.yaml');

const LAPTOP = 'registry/it/laptop-refresh-tracker.yaml';
const DASHBOARD = 'registry/finance/expense-report-dashboard.yaml';

interface Scenario {
  name: string;
  change: (repo: GitRepo) => PullRequestChange;
  /** Runs on main after the branch is cut (the base moved on meanwhile). */
  afterBranch?: (repo: GitRepo) => void;
  expected: CheckReport['decision'];
}

const SCENARIOS: Scenario[] = [
  {
    name: 'auto-approve',
    expected: 'auto_approve',
    change: () => ({ write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } }),
  },
  {
    name: 'manager approval',
    expected: 'manager_approval',
    change: () => ({ write: { 'registry/it/release-notes-publisher.yaml': fixture('apps/release-notes-publisher.yaml') } }),
  },
  {
    name: 'security review',
    expected: 'security_team_review',
    change: () => ({ write: { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') } }),
  },
  {
    name: 'deny',
    expected: 'deny',
    change: () => ({ write: { 'registry/marketing/file-dropper.yaml': fixture('apps/file-dropper.yaml') } }),
  },
  { name: 'invalid', expected: 'invalid', change: () => ({ write: { 'registry/it/typo-app.yaml': TYPO_APP } }) },
  {
    name: 'policy edit (base policy judges)',
    expected: 'security_team_review',
    change: () => ({
      write: {
        'policies/approval.yaml': fixture('policies/approve-everything.yaml'),
        'registry/finance/headcount-cost-report.yaml': fixture('apps/headcount-cost-report.yaml'),
      },
    }),
  },
  {
    name: 'modify, remove and rename apps',
    expected: 'security_team_review',
    change: (repo) => ({
      write: {
        'registry/it/laptop-refresh-tracker.yaml': repo
          .read('registry/it/laptop-refresh-tracker.yaml')
          .replace('retention_days: 365', 'retention_days: 400'),
      },
      remove: ['registry/finance/expense-report-dashboard.yaml'],
      move: [['registry/it/jira-sprint-digest.json', 'registry/it/jira-sprint-digest.yml']],
    }),
  },
  // Owners, folders and the vocabulary of data (issue 9, sections 3 and 4): one core, one answer.
  {
    name: "transfer of a production app (both owners' managers)",
    expected: 'manager_approval',
    change: (repo) => ({
      write: { [LAPTOP]: repo.read(LAPTOP).replace('owner: it-helpdesk@example.com', 'owner: it-platform@example.com') },
    }),
  },
  {
    name: 'transfer of a sandbox app (never auto-approved)',
    expected: 'manager_approval',
    change: (repo) => ({
      write: { [DASHBOARD]: repo.read(DASHBOARD).replace('owner: finance-team@example.com', 'owner: finance-systems@example.com') },
    }),
  },
  {
    name: "transfer hidden in a move to the new owner's folder",
    expected: 'manager_approval',
    change: (repo) => ({
      remove: [DASHBOARD],
      write: {
        'registry/it/expense-report-dashboard.yaml': repo
          .read(DASHBOARD)
          .replace('owner: finance-team@example.com', 'owner: it-platform@example.com'),
      },
    }),
  },
  {
    name: 'an owner missing from the directory',
    expected: 'invalid',
    change: () => ({
      write: {
        'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml').replace(
          'owner: it-platform@example.com',
          'owner: it-platfrom@example.com',
        ),
      },
    }),
  },
  {
    name: "an app outside its owner's folder",
    expected: 'invalid',
    change: () => ({ write: { 'registry/hr/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } }),
  },
  {
    name: 'an app manifest at the root of registry/',
    expected: 'invalid',
    change: () => ({ write: { 'registry/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } }),
  },
  {
    name: 'an app in Registry/ (another case)',
    expected: 'invalid',
    change: () => ({ write: { 'Registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } }),
  },
  {
    name: 'a policy file in Policies/ (another case)',
    expected: 'invalid',
    change: () => ({ write: { 'Policies/approval.yaml': fixture('policies/approve-everything.yaml') } }),
  },
  {
    name: 'a misspelt data type (pi for pii)',
    expected: 'invalid',
    change: () => ({
      write: {
        'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml').replace(
          /^connectors:/m,
          'data_types: [pi]\nconnectors:',
        ),
      },
    }),
  },
  {
    name: 'a misspelt data classification in a connector',
    expected: 'invalid',
    change: (repo) => ({
      write: {
        'connectors/hr_api_read.yaml': repo
          .read('connectors/hr_api_read.yaml')
          .replace('data_classification: [pii]', 'data_classification: [pi]'),
      },
    }),
  },
  {
    name: 'a branch behind its base (judged from the merge base)',
    expected: 'auto_approve',
    change: () => ({ write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } }),
    afterBranch: (repo) => {
      repo.checkout('main');
      repo.write('registry/hr/team-anniversaries.yaml', fixture('apps/team-anniversaries.yaml'));
      repo.commit('landed on main meanwhile');
      repo.checkout('feature');
    },
  },
  { name: 'no app changes', expected: 'no_changes', change: () => ({ write: { 'README.md': '# changed\n' } }) },
];

describe('action and CLI agree on the same pull request', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: the report, the decision and the exit code are the CLI's`, () => {
      const repo = createSeededRepo();
      openPullRequest(repo, s.change(repo));
      const head = repo.sha('feature');
      s.afterBranch?.(repo);
      const base = repo.sha('main');

      const action = runAction({ repoDir: repo.dir, event: 'pull_request', base, head });
      const actionReport = expectActionOutputs(action);
      const cli = check(repo.dir, base, head);
      const cliReport = expectCheckShape(cli.json<CheckReport>());

      expect(cliReport.decision, cli.describe()).toBe(s.expected);
      expect(actionReport, `action vs CLI\n${action.describe()}\n${cli.describe()}`).toEqual(cliReport);
      expect(action.outputs.decision).toBe(cliReport.decision);
      expect(action.code, 'both fail on the same decisions by default').toBe(cli.code);
    });
  }
});
