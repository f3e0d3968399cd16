import { error, notice, warning } from './runner.js';
import type { CheckReport } from '../core/check/report.js';
import type { Finding } from '../core/findings.js';
import { DECISION_WORDS } from '../core/render/words.js';
import { visible } from '../core/render/visible.js';

/** GitHub shows at most this many annotations of each severity per step. */
export const ANNOTATIONS_PER_SEVERITY = 10;

/**
 * Puts the worst problems on the exact manifest lines: errors first, then warnings, then one
 * notice per app that needs a review, each capped at what GitHub shows. Everything is in the
 * job summary anyway.
 */
export function annotate(
  findings: readonly Finding[],
  apps: CheckReport['apps'],
  rootInWorkspace: string,
  /** Error annotations to use; one fewer when the step's own failure message needs a slot. */
  errorSlots = ANNOTATIONS_PER_SEVERITY,
): void {
  const file = (path: string) => (rootInWorkspace ? `${rootInWorkspace}/${path}` : path);
  const bySeverity = (severity: Finding['severity'], slots: number) => findings.filter((f) => f.severity === severity).slice(0, slots);
  for (const f of bySeverity('error', errorSlots)) {
    error(visible(f.message), { file: file(f.path), startLine: f.line, startColumn: f.column, title: `microapps: ${f.code}` });
  }
  for (const f of bySeverity('warning', ANNOTATIONS_PER_SEVERITY)) {
    warning(visible(f.message), { file: file(f.path), startLine: f.line, startColumn: f.column, title: `microapps: ${f.code}` });
  }
  const reviewed = apps.filter((a) => a.decision === 'manager_approval' || a.decision === 'security_team_review' || a.decision === 'deny');
  for (const a of reviewed.slice(0, ANNOTATIONS_PER_SEVERITY)) {
    notice(visible(a.reasons.join(' ')) || DECISION_WORDS[a.decision], { file: file(a.path), startLine: 1, title: `${visible(a.app)}: ${DECISION_WORDS[a.decision]}` });
  }
}
