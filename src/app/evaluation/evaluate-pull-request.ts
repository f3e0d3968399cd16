/**
 * One evaluation of a pull request, everything fetched fresh: the policy check (base, merge
 * base, head through the Git Data API), then the reviews, commits, force-pushers, team members
 * and governed fingerprints, then the approval gate. Returns the check run to publish and what
 * the follow-up steps (review requests, labels, comment) need.
 */
import type { BlobCache, PagingGitHubClient } from '../../adapters/github/index.js';
import {
  approvalGate,
  evaluateApprovals,
  type ApprovalStatus,
  type GateOutcome,
  type PullRequestSnapshot,
} from '../../core/approvals/index.js';
import { renderApprovalStatus } from '../../core/render/approvals/index.js';
import type { CheckReport } from '../../core/check/report.js';
import { checkAnnotations } from '../../core/render/check-annotations.js';
import { renderCheckMarkdown } from '../../core/render/render-markdown.js';
import type { CheckRunResult } from './check-run.js';
import type { PullRequestRef } from '../delivery/events.js';
import { fetchSnapshot } from '../reads/fetch-snapshot.js';
import { judgePullRequest } from './judge-pull-request.js';
import type { PullRequestState } from '../reads/pull-request.js';

/** The check's text shows the policy check; GitHub's limit is 65,535 characters, and bytes >= characters. */
const TEXT_MAX_BYTES = 65_000;

export interface Evaluation {
  check: CheckRunResult;
  report: CheckReport;
  status: ApprovalStatus;
  gate: GateOutcome;
  snapshot: PullRequestSnapshot;
}

export async function evaluatePullRequest(
  octokit: PagingGitHubClient,
  ref: PullRequestRef,
  pr: PullRequestState,
  blobCache?: BlobCache,
): Promise<Evaluation> {
  const { report, head, governancePaths } = await judgePullRequest(octokit, ref, pr, blobCache);
  const required = report.required_approvals ?? [];
  // Approvals stay bound to the head's governed content (not the merged result): a new base
  // re-judges the change, but an approval means "this branch's content, as reviewed".
  const snapshot = await fetchSnapshot(octokit, ref, { author: pr.author, headSha: pr.headSha, head, required, governancePaths });
  const status = evaluateApprovals(required, snapshot);
  const gate = approvalGate(status, report);
  const check: CheckRunResult = {
    headSha: pr.headSha,
    conclusion: gate.pass ? 'success' : 'failure',
    title: gate.title,
    summary: renderApprovalStatus(status, report),
    text: report.decision === 'no_changes' ? undefined : renderCheckMarkdown(report, { maxBytes: TEXT_MAX_BYTES }),
    annotations: checkAnnotations(report),
  };
  return { check, report, status, gate, snapshot };
}
