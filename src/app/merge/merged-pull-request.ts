/**
 * The pull request a push merged, and per app whose approvals counted at merge time.
 *
 * GET /repos/{owner}/{repo}/commits/{after}/pulls lists the pull requests GitHub associates
 * with the pushed commit; the one merged into the branch is taken (the one whose merge commit
 * is the pushed commit first, else the latest merged). Its author, merger and head come from
 * GET .../pulls/{n}. A push no pull request merged (a direct push) records none.
 *
 * The approvals are judged as the approval check judges them (DESIGN.md section 4), on the pull
 * request's head at merge: its reviews, its commits and force-pushers, the members of the teams
 * named as approvers (looked up now), the governed fingerprints of the reviewed commits; with
 * each app's required approvals from the merge's own check report (base = the branch before).
 */
import type { BlobCache } from '../../adapters/github/index.js';
import { GitHubTree } from '../../adapters/github/index.js';
import type { ApprovalRecord, PullRequestRef as AuditPullRequest } from '../../core/audit/index.js';
import { evaluateApprovals } from '../../core/approvals/index.js';
import type { MergedApp } from '../../core/merge/merge-record.js';
import type { PullRequestRef } from '../delivery/events.js';
import { fetchSnapshot } from '../reads/fetch-snapshot.js';
import type { MergeClient } from '../../adapters/github/graphql.js';

export interface MergedPullRequest {
  record: AuditPullRequest;
  ref: PullRequestRef;
  author: string;
  headSha: string;
}

interface ListedPull {
  number: number;
  merged_at: string | null;
  merge_commit_sha: string | null;
  base: { ref: string };
}

export async function findMergedPullRequest(
  octokit: MergeClient,
  owner: string,
  repo: string,
  commit: string,
  branch: string,
): Promise<MergedPullRequest | null> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { owner, repo, commit_sha: commit });
  const merged = (data as ListedPull[]).filter((p) => p.merged_at && p.base.ref === branch);
  if (merged.length === 0) return null;
  const chosen =
    merged.find((p) => p.merge_commit_sha?.toLowerCase() === commit) ??
    [...merged].sort((a, b) => (a.merged_at! < b.merged_at! ? 1 : a.merged_at! > b.merged_at! ? -1 : b.number - a.number))[0]!;
  const { data: pr } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: chosen.number });
  const author = pr.user?.login;
  if (!author) throw new Error(`GitHub did not say who opened pull request #${pr.number}.`);
  const record: AuditPullRequest = { number: pr.number, url: pr.html_url, author };
  if (pr.merged_by?.login) record.merged_by = pr.merged_by.login;
  return { record, ref: { owner, repo, pullNumber: pr.number }, author, headSha: pr.head.sha.toLowerCase() };
}

/** Per app name: each approval its change required and the logins whose approval counted (none when nobody's did). */
export async function approvalsAtMerge(
  octokit: MergeClient,
  pr: MergedPullRequest,
  apps: readonly MergedApp[],
  blobCache?: BlobCache,
): Promise<Map<string, ApprovalRecord[]>> {
  const out = new Map<string, ApprovalRecord[]>();
  const required = apps.flatMap((a) => a.report.required_approvals ?? []);
  if (required.length === 0) {
    for (const a of apps) out.set(a.change.app, []);
    return out;
  }
  const { ref } = pr;
  const head = new GitHubTree({
    octokit,
    owner: ref.owner,
    repo: ref.repo,
    commitOrTreeSha: pr.headSha,
    label: `pull request #${ref.pullNumber} (${pr.headSha.slice(0, 7)})`,
    blobCache,
  });
  const snapshot = await fetchSnapshot(octokit, ref, { author: pr.author, headSha: pr.headSha, head, required });
  for (const a of apps) {
    const status = evaluateApprovals(a.report.required_approvals ?? [], snapshot);
    out.set(
      a.change.app,
      status.approvals.map((r) => ({ action: r.action, by: [...r.satisfiedBy] })),
    );
  }
  return out;
}
