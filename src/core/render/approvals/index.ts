/**
 * The approval gate in Markdown: the App's check-run summary and its pull-request comment.
 * Every untrusted string goes through core/render/safe-text.ts.
 */
export { renderApprovalStatus, CHECK_RUN_SUMMARY_MAX_CHARS, type RenderApprovalOptions } from './render-status.js';
export { renderPullRequestComment, COMMENT_MARKER, COMMENT_MAX_CHARS, type CommentOptions } from './render-comment.js';
