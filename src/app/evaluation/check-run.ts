/**
 * Publishes the gate's verdict as a check run on the head commit. It is created completed in
 * one request, so it is never left "in progress". GitHub takes at most 50 annotations per
 * request: the first 50 go with the creation, the rest in PATCH requests of 50 each (GitHub
 * appends them). Summary and text are kept within GitHub's 65,535-character limit.
 */
import type { GitHubClient } from '../../adapters/github/index.js';
import { CHECK_RUN_SUMMARY_MAX_CHARS } from '../../core/render/approvals/index.js';
import { DEFAULT_APP_CONFIG } from '../../core/app-config/index.js';
import { ANNOTATIONS_PER_REQUEST, type CheckAnnotation } from '../../core/render/check-annotations.js';
import { clip, visible } from '../../core/render/safe-text.js';
import type { PullRequestRef } from '../delivery/events.js';

/** The check run's default name (configurable: `check_name` in .github/microapps.yml); branch protection requires it. */
export const CHECK_NAME = DEFAULT_APP_CONFIG.checkName;

export { ANNOTATIONS_PER_REQUEST };

/** The title is one line of plain text (it can name an owner's address): cap it so GitHub never refuses the run. */
const TITLE_MAX_CHARS = 200;

export interface CheckRunResult {
  headSha: string;
  conclusion: 'success' | 'failure';
  title: string;
  summary: string;
  /** Details below the summary (the policy check), Markdown. */
  text?: string;
  annotations?: CheckAnnotation[];
}

export async function publishCheckRun(octokit: GitHubClient, ref: PullRequestRef, name: string, result: CheckRunResult): Promise<void> {
  const annotations = result.annotations ?? [];
  const output = {
    title: clip(visible(result.title), TITLE_MAX_CHARS),
    // The renderers keep summary and text within the limit already; this only guards GitHub's.
    summary: clip(result.summary, CHECK_RUN_SUMMARY_MAX_CHARS),
    ...(result.text ? { text: clip(result.text, CHECK_RUN_SUMMARY_MAX_CHARS) } : {}),
  };
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner: ref.owner,
    repo: ref.repo,
    name,
    head_sha: result.headSha,
    status: 'completed',
    conclusion: result.conclusion,
    completed_at: new Date().toISOString(),
    output: { ...output, ...(annotations.length > 0 ? { annotations: annotations.slice(0, ANNOTATIONS_PER_REQUEST) } : {}) },
  });
  for (let start = ANNOTATIONS_PER_REQUEST; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner: ref.owner,
      repo: ref.repo,
      check_run_id: data.id,
      output: { title: output.title, summary: output.summary, annotations: annotations.slice(start, start + ANNOTATIONS_PER_REQUEST) },
    });
  }
}
