/**
 * A check report's problems as check-run annotations on the exact manifest lines: errors as
 * failures, warnings as warnings, and a notice on each app that needs a review saying why.
 * Worst first, capped (GitHub takes 50 per request, so the App sends them in batches; the
 * cap bounds the number of requests, and the check's text lists everything anyway). Advice
 * (notice findings, e.g. a connector listed by its bare id) comes last and only fills what is
 * left of the first request: thousands of apps with the same hint never cost GitHub more
 * requests, nor push a review's notice out of the cap.
 * Annotation messages are plain text, not Markdown: each untrusted value is made visible() (no
 * control or direction-changing character, no line break of its own), and our own line breaks
 * between values stay.
 */
import type { AppReport, CheckReport, DecisionCause } from '../check/report.js';
import { sortFindings, type Finding } from '../findings.js';
import { causesByLine, denialsAt } from '../check/causes.js';
import { clip, visible } from './safe-text.js';
import { DECISION_WORDS } from './words.js';

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  title: string;
  message: string;
}

export const MAX_ANNOTATIONS = 500;
/** GitHub's limit of annotations per create or update request of a check run: advice fits in the first. */
export const ANNOTATIONS_PER_REQUEST = 50;
const MESSAGE_MAX_CHARS = 4000;
const TITLE_MAX_CHARS = 255;

export function checkAnnotations(report: CheckReport, max = MAX_ANNOTATIONS): CheckAnnotation[] {
  const findings = sortFindings([...report.findings, ...report.apps.flatMap((a) => a.findings)]);
  const ordered = [...findings.filter((f) => f.severity === 'error'), ...findings.filter((f) => f.severity === 'warning')];
  // A denial first, as a failure on the line that caused it; then the errors and warnings.
  const denials = report.apps.flatMap((a) => denialsAt(a).map((c) => fromCause(a, c)));
  const out: CheckAnnotation[] = [...denials, ...ordered.map(fromFinding)];
  const reviewed = report.apps.filter(
    (a) => a.decision === 'manager_approval' || a.decision === 'security_team_review' || a.decision === 'deny',
  );
  for (const a of reviewed) {
    const reviews = causesByLine(a.causes ?? []).filter((c) => c.action !== 'deny');
    if (reviews.length > 0) {
      out.push(...reviews.map((c) => fromCause(a, c)));
      continue;
    }
    if (a.decision === 'deny') continue;
    out.push({
      path: visible(a.path),
      start_line: 1,
      end_line: 1,
      annotation_level: 'notice',
      title: clip(`${visible(a.app)}: ${DECISION_WORDS[a.decision]}`, TITLE_MAX_CHARS),
      message: clip(lines([...a.reasons, ...a.remedies]) || DECISION_WORDS[a.decision], MESSAGE_MAX_CHARS),
    });
  }
  const capped = out.slice(0, max);
  const advice = findings
    .filter((f) => f.severity === 'notice')
    .slice(0, Math.max(0, Math.min(max, ANNOTATIONS_PER_REQUEST) - capped.length));
  return [...capped, ...advice.map(fromFinding)];
}

/** A guard or rule on the manifest line it points at: a failure for a deny, else a notice. */
function fromCause(a: AppReport, c: DecisionCause): CheckAnnotation {
  return {
    path: visible(a.path),
    start_line: Math.max(1, c.line),
    end_line: Math.max(1, c.line),
    start_column: Math.max(1, c.column),
    end_column: Math.max(1, c.column),
    annotation_level: c.action === 'deny' ? 'failure' : 'notice',
    title: clip(`${visible(a.app)}: ${c.action === 'deny' ? DECISION_WORDS.deny : DECISION_WORDS[a.decision]}`, TITLE_MAX_CHARS),
    message: clip(lines([c.reason, ...a.remedies]), MESSAGE_MAX_CHARS),
  };
}

function fromFinding(f: Finding): CheckAnnotation {
  const line = Math.max(1, f.line);
  return {
    path: visible(f.path),
    start_line: line,
    end_line: line,
    // GitHub accepts columns only when the annotation stays on one line.
    start_column: Math.max(1, f.column),
    end_column: Math.max(1, f.column),
    annotation_level: f.severity === 'error' ? 'failure' : f.severity,
    title: clip(`microapps: ${f.code}`, TITLE_MAX_CHARS),
    message: clip(visible(f.message), MESSAGE_MAX_CHARS),
  };
}

/** Untrusted texts one per line: a line break inside one is shown as \n, never a line of its own. */
function lines(texts: readonly string[]): string {
  return texts.map(visible).join('\n');
}
