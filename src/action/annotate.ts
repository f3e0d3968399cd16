import { error, notice, warning } from './runner.js';
import type { CheckReport } from '../core/check/report.js';
import type { Finding } from '../core/findings.js';
import { causesByLine, denialsAt } from '../core/check/causes.js';
import { DECISION_WORDS } from '../core/render/words.js';
import { visible } from '../core/render/safe-text.js';
import { isRepositoryRootPath, REPOSITORY_ROOT_MARK } from '../core/tree.js';

/** GitHub shows at most this many annotations of each severity per step. */
export const ANNOTATIONS_PER_SEVERITY = 10;

/**
 * Puts the worst problems on the exact manifest lines: errors first, then warnings, then a
 * notice on each line that makes an app need a review, then advice (notice findings) in the
 * notice slots left, each capped at what GitHub shows. Everything is in the job summary anyway.
 */
export function annotate(
  findings: readonly Finding[],
  apps: CheckReport['apps'],
  rootInWorkspace: string,
  /** Error annotations to use; one fewer when the step's own failure message needs a slot. */
  errorSlots = ANNOTATIONS_PER_SEVERITY,
): void {
  // A path marked as the repository's ("/action/x.js", core/tree.ts governanceScope) is from the
  // top of the checkout (the workspace), not from the registry's folder.
  // The path is shown too: no invisible character in it either (adapters already escape controls).
  const file = (path: string) =>
    visible(isRepositoryRootPath(path) ? path.slice(REPOSITORY_ROOT_MARK.length) : rootInWorkspace ? `${rootInWorkspace}/${path}` : path);
  const bySeverity = (severity: Finding['severity'], slots: number) => findings.filter((f) => f.severity === severity).slice(0, slots);
  // A denial first, as an error on the line that caused it (the connector, the field).
  const denials = apps.flatMap((a) => denialsAt(a).map((c) => ({ a, c }))).slice(0, errorSlots);
  for (const { a, c } of denials) {
    error(visible([c.reason, ...a.remedies].join(' ')), {
      file: file(a.path),
      startLine: c.line,
      startColumn: c.column,
      title: `${visible(a.app)}: ${DECISION_WORDS.deny}`,
    });
  }
  for (const f of bySeverity('error', errorSlots - denials.length)) {
    error(visible(f.message), { file: file(f.path), startLine: f.line, startColumn: f.column, title: `microapps: ${f.code}` });
  }
  for (const f of bySeverity('warning', ANNOTATIONS_PER_SEVERITY)) {
    warning(visible(f.message), { file: file(f.path), startLine: f.line, startColumn: f.column, title: `microapps: ${f.code}` });
  }
  // A review: a notice on each line that needs it, or on line 1 when it is the policy's default.
  const reviewed = apps.filter((a) => a.decision === 'manager_approval' || a.decision === 'security_team_review');
  const notices = reviewed.flatMap((a) => {
    const causes = causesByLine(a.causes ?? []).filter((c) => c.action !== 'deny');
    return causes.length > 0
      ? causes.map((c) => ({ a, message: c.reason, line: c.line, column: c.column as number | undefined }))
      : [{ a, message: a.reasons.join(' ') || DECISION_WORDS[a.decision], line: 1, column: undefined }];
  });
  for (const n of notices.slice(0, ANNOTATIONS_PER_SEVERITY)) {
    notice(visible(n.message), {
      file: file(n.a.path),
      startLine: n.line,
      ...(n.column ? { startColumn: n.column } : {}),
      title: `${visible(n.a.app)}: ${DECISION_WORDS[n.a.decision]}`,
    });
  }
  // Advice last: it never takes the place of a review's notice.
  for (const f of bySeverity('notice', Math.max(0, ANNOTATIONS_PER_SEVERITY - notices.length))) {
    notice(visible(f.message), { file: file(f.path), startLine: f.line, startColumn: f.column, title: `microapps: ${f.code}` });
  }
}
