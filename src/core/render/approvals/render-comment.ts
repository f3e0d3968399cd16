/**
 * The one pull-request comment the App keeps up to date, for people who do not open checks:
 * where the approvals stand (the check run's summary) and then the policy's verdict with the
 * reasons and what to change to avoid a review (the Action's job summary). The hidden marker
 * lets the App find its own comment again and edit it instead of adding another.
 */
import type { ApprovalStatus } from '../../approvals/types.js';
import type { CheckReport } from '../../check/report.js';
import { renderCheckMarkdown } from '../render-markdown.js';
import { markdownText } from '../safe-text.js';
import { renderApprovalStatus } from './render-status.js';

export const COMMENT_MARKER = '<!-- microapps:approval-comment -->';

/** GitHub's limit for a comment body. */
export const COMMENT_MAX_CHARS = 65_536;

/** Room for each part; the rest is the marker and the footer. */
const APPROVALS_MAX_CHARS = 24_000;
const POLICY_MAX_BYTES = 36_000;

export interface CommentOptions {
  /** The check run's name, which branch protection requires. */
  checkName: string;
  headSha: string;
}

export function renderPullRequestComment(status: ApprovalStatus, report: CheckReport, options: CommentOptions): string {
  const parts = [COMMENT_MARKER, renderApprovalStatus(status, report, { maxChars: APPROVALS_MAX_CHARS }).trimEnd()];
  if (report.decision !== 'no_changes') parts.push(renderCheckMarkdown(report, { maxBytes: POLICY_MAX_BYTES }).trimEnd());
  parts.push(
    '---',
    `<sub>Kept up to date by the micro-app approval App for commit ${options.headSha.slice(0, 7)}. ` +
      `The "${markdownText(options.checkName)}" check is what allows the merge; this comment explains it.</sub>`,
  );
  return parts.join('\n\n').concat('\n');
}
