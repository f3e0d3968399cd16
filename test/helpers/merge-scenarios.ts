/**
 * The merge-result scenarios (issue 9, section 1), shared by the CLI, Action and App tests so the
 * three front doors are asked the same thing: a branch made before main promoted an app, which
 * edits that app.
 */
import { createSeededRepo, type GitRepo } from './git-repo.js';

export const DASHBOARD = 'registry/finance/expense-report-dashboard.yaml';
export const DIGEST = 'registry/it/jira-sprint-digest.json';

/** `text` with `from` replaced, failing loudly if the seeded manifest no longer has `from`. */
export function replaced(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the seeded manifest has no "${from}"`);
  return text.replace(from, to);
}

/**
 * main: the seeded registry; branch "feature" made from it edits the sandbox dashboard with
 * `edit`; then main promotes the dashboard to production. The repository is left on main.
 */
export function branchBeforePromotion(edit: (text: string) => string): GitRepo {
  const repo = createSeededRepo();
  repo.branch('feature');
  repo.write(DASHBOARD, edit(repo.read(DASHBOARD)));
  repo.commit('edit the dashboard');
  repo.checkout('main');
  repo.write(DASHBOARD, replaced(repo.read(DASHBOARD), 'environment: sandbox', 'environment: production'));
  repo.commit('promote the dashboard to production');
  return repo;
}

/** Edits that rule 006 (production sign-in) and the connector rules look at. */
export const toGithubLogin = (t: string) => replaced(t, 'provider: company-sso', 'provider: github');
export const withJiraConnector = (t: string) => replaced(t, 'connectors:\n', 'connectors:\n  - id: jira_read_only\n');

/** The branch of branchBeforePromotion updated with main (git merges the two line edits cleanly); left on the branch. */
export function updated(repo: GitRepo): GitRepo {
  repo.checkout('feature');
  repo.git('merge', '-q', '--no-edit', 'main');
  if (!repo.read(DASHBOARD).includes('environment: production')) throw new Error("the update did not bring main's promotion");
  return repo;
}

/**
 * A branch merely behind main with a change of its own: "feature" shortens the digest's
 * retention; then main promotes the dashboard and switches it to GitHub sign-in (which rule 006
 * denies), a change the branch did not make. The repository is left on main.
 */
export function branchBehindMain(): GitRepo {
  const repo = createSeededRepo();
  repo.branch('feature');
  repo.write(DIGEST, replaced(repo.read(DIGEST), '"retention_days": 14', '"retention_days": 7'));
  repo.commit('keep the digest a week');
  repo.checkout('main');
  repo.write(DASHBOARD, toGithubLogin(replaced(repo.read(DASHBOARD), 'environment: sandbox', 'environment: production')));
  repo.commit('main lands a change the branch did not make');
  return repo;
}
