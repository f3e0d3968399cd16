/**
 * Puts the label of the policy decision on the pull request and takes off the other labels the
 * App manages (POST .../issues/{n}/labels, DELETE .../issues/{n}/labels/{name}). GitHub creates
 * a label that does not exist yet. A label already gone (404 on removal) is fine.
 */
import { statusOf, type GitHubClient } from '../../adapters/github/index.js';
import type { LabelPlan } from '../../core/app-config/index.js';
import type { PullRequestRef } from '../delivery/events.js';

export async function syncLabels(octokit: GitHubClient, ref: PullRequestRef, plan: LabelPlan): Promise<void> {
  const where = { owner: ref.owner, repo: ref.repo, issue_number: ref.pullNumber };
  for (const name of plan.remove) {
    try {
      await octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...where, name });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
  if (plan.add.length > 0) await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...where, labels: plan.add });
}
