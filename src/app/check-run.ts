/**
 * Publishes the gate's verdict as a completed check run (POST /repos/{owner}/{repo}/check-runs)
 * on the head commit. It is created completed in one request, so it is never left "in progress".
 * The summary is kept within GitHub's 65,535-character limit.
 */
import type { GitHubClient } from '../adapters/github/index.js';
import { CHECK_RUN_SUMMARY_MAX_CHARS } from '../core/approvals/index.js';
import type { PullRequestRef } from './events.js';

/** The check run's name: branch protection requires it (pinned to the App). */
export const CHECK_NAME = 'micro-app approval';

/** The title is one line of our own words; cap it anyway so no future title can make GitHub refuse the run. */
const TITLE_MAX_CHARS = 200;

export interface CheckRunResult {
  headSha: string;
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
}

export async function publishCheckRun(octokit: GitHubClient, ref: PullRequestRef, result: CheckRunResult): Promise<void> {
  await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: ref.owner,
    repo: ref.repo,
    name: CHECK_NAME,
    head_sha: result.headSha,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: {
      title: result.title.slice(0, TITLE_MAX_CHARS),
      summary: result.summary.slice(0, CHECK_RUN_SUMMARY_MAX_CHARS),
    },
  });
}
