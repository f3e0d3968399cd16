/**
 * Markdown for the App's check-run summary and PR comment: each required approval, who can
 * give it, who has, what is still missing, and the approvals that do not count with why. It is
 * written for citizen developers and their managers, not for developers.
 *
 * Size: the output never exceeds `maxChars` (GitHub takes at most 65,535 characters in a
 * check-run summary). Long lists are shortened to their first names plus a count, then long
 * texts are clipped; whatever still does not fit is cut at a line with a note.
 * Every string that came from outside (logins, teams, reasons) is escaped: no markup, no HTML,
 * and no "@" mention that would notify someone.
 */
import type { CheckReport } from '../../check/report.js';
import { approvalGate } from '../../approvals/gate.js';
import type { ApprovalResult, ApprovalStatus, IgnoredApproval } from '../../approvals/types.js';
import { isBlocking } from '../../model.js';
import { approvalTitle, at, listText } from '../../approvals/words.js';
import { clip, markdownText } from '../safe-text.js';
import { DECISION_WORDS } from '../words.js';

/** GitHub's limit for a check run's `output.summary`. */
export const CHECK_RUN_SUMMARY_MAX_CHARS = 65_535;

export interface RenderApprovalOptions {
  /** Upper bound of the output in characters (UTF-16 code units, as JavaScript counts). Default: 65,535. */
  maxChars?: number;
}

/** How much to show: names per list, ignored approvals, characters per free text. */
interface Limits {
  names: number;
  ignored: number;
  text: number;
}

const SCHEDULE: Limits[] = [
  { names: Infinity, ignored: Infinity, text: Infinity },
  { names: 100, ignored: 100, text: 2000 },
  { names: 30, ignored: 30, text: 1000 },
  { names: 10, ignored: 10, text: 300 },
  { names: 3, ignored: 3, text: 120 },
  { names: 0, ignored: 0, text: 60 },
];

const CUT_NOTE = "\n\n> [!NOTE]\n> This summary was cut to fit GitHub's size limit.\n";

export function renderApprovalStatus(status: ApprovalStatus, checkReport?: CheckReport, options: RenderApprovalOptions = {}): string {
  const maxChars = Math.max(0, Math.floor(options.maxChars ?? CHECK_RUN_SUMMARY_MAX_CHARS));
  let text = '';
  for (const limits of SCHEDULE) {
    text = render(status, checkReport, limits);
    if (text.length <= maxChars) return text;
  }
  // Still too long: one line per approval, what is missing first (one of each kind before the
  // next of any kind), then cut at a line and say so.
  text = renderCompact(status, checkReport);
  if (text.length <= maxChars) return text;
  if (maxChars <= CUT_NOTE.length) return cutAt(text, maxChars);
  const room = maxChars - CUT_NOTE.length;
  const line = text.lastIndexOf('\n', room);
  return `${cutAt(text, line > 0 ? line : room)}${CUT_NOTE}`;
}

/**
 * The first `end` code units, never ending on half a surrogate pair, nor inside a line's code
 * spans: a span cut open would leave its fence as text and the mention in it live.
 */
function cutAt(text: string, end: number): string {
  const cut = clip(text, end + 1).slice(0, -1);
  if (cut.length === text.length || text.charAt(cut.length) === '\n') return cut;
  const tick = cut.indexOf('`', cut.lastIndexOf('\n') + 1);
  return tick >= 0 ? cut.slice(0, tick) : cut;
}

function render(status: ApprovalStatus, report: CheckReport | undefined, limits: Limits): string {
  const lines: string[] = [heading(status, report), ''];
  if (report) {
    lines.push(`Policy decision: **${markdownText(DECISION_WORDS[report.decision] ?? String(report.decision))}**.`, '');
  }
  if (status.approvals.length === 0) {
    if (isBlocking(report?.decision)) {
      lines.push('No approval can make this change mergeable: see the policy check for what to change.', '');
    } else if (!report || report.required_approvals.length === 0) {
      lines.push('This pull request needs no approval.', '');
    }
  } else {
    lines.push(
      status.satisfied
        ? 'Every approval this pull request needs has been given on its latest version.'
        : 'An approval counts only when it is given on the latest version of the registry files, by someone who did not write or push changes in this pull request.',
      '',
    );
    for (const a of status.approvals) lines.push(...approvalSection(a, limits));
  }
  if (status.ignored.length > 0) lines.push(...ignoredSection(status.ignored, limits));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The shortest form: the verdict and one line per approval, missing ones first; texts clipped hard. */
function renderCompact(status: ApprovalStatus, report: CheckReport | undefined): string {
  const lines = [heading(status, report), ''];
  const missing = status.approvals.filter((a) => !a.satisfied);
  const blocked = missing.filter((a) => a.unsatisfiable);
  const waiting = missing.filter((a) => !a.unsatisfiable);
  const given = status.approvals.filter((a) => a.satisfied);
  for (const a of [...oneOfEachKindFirst([...blocked, ...waiting]), ...oneOfEachKindFirst(given)]) {
    const title = markdownText(approvalTitle(a));
    lines.push(
      a.satisfied
        ? `- ✅ ${title}: approved by ${names(a.satisfiedBy, 'and', { names: 1, ignored: 0, text: 0 })}`
        : `- ${a.unsatisfiable ? '⛔' : '⏳'} ${title}: still needed: ${markdownText(clip(a.pending, 200))}`,
    );
  }
  if (status.ignored.length > 0) {
    lines.push('', `${status.ignored.length} approval${status.ignored.length === 1 ? ' does' : 's do'} not count.`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The approvals in rounds: the first of each kind, then the second of each kind, and so on
 * (otherwise in their order). When the compact form is still cut, a thousand owners' managers
 * cannot push the security or governance approval out of sight.
 */
function oneOfEachKindFirst(approvals: readonly ApprovalResult[]): ApprovalResult[] {
  const byKind = new Map<string, ApprovalResult[]>();
  for (const a of approvals) {
    const list = byKind.get(a.action);
    if (list) list.push(a);
    else byKind.set(a.action, [a]);
  }
  const out: ApprovalResult[] = [];
  for (let round = 0; out.length < approvals.length; round++) {
    for (const list of byKind.values()) if (round < list.length) out.push(list[round]!);
  }
  return out;
}

function heading(status: ApprovalStatus, report: CheckReport | undefined): string {
  const gate = approvalGate(status, report);
  return `## ${gate.pass ? '✅' : blockedForGood(status, report) ? '⛔' : '⏳'} ${markdownText(gate.title)}`;
}

function approvalSection(a: ApprovalResult, limits: Limits): string[] {
  const icon = a.satisfied ? '✅' : a.unsatisfiable ? '⛔' : '⏳';
  const lines = [`### ${icon} ${markdownText(approvalTitle(a))}`, ''];
  if (a.reason) lines.push(markdownText(clip(a.reason, limits.text)), '');
  lines.push(`- **Can approve:** ${a.eligible.length > 0 ? names(a.eligible, 'and', limits) : 'nobody'}`);
  lines.push(`- **Approved by:** ${a.satisfiedBy.length > 0 ? names(a.satisfiedBy, 'and', limits) : 'nobody yet'}`);
  if (!a.satisfied && a.pending) lines.push(`- **Still needed:** ${markdownText(clip(a.pending, limits.text))}`);
  if (a.unresolvedTeams.length > 0 && !(a.unsatisfiable && !a.satisfied)) {
    lines.push(
      `- **Could not look up:** the members of ${names(a.unresolvedTeams, 'and', { ...limits, names: Math.max(limits.names, 1) })}`,
    );
  }
  lines.push('');
  return lines;
}

function ignoredSection(ignored: readonly IgnoredApproval[], limits: Limits): string[] {
  const lines = ['### Approvals that do not count', ''];
  const shown = ignored.slice(0, limits.ignored);
  for (const i of shown) lines.push(`- ${markdownText(at(i.login))}: ${markdownText(clip(i.why, limits.text))}`);
  const rest = ignored.length - shown.length;
  if (rest > 0) lines.push(`- …and ${rest} more approval${rest === 1 ? '' : 's'} that do${rest === 1 ? 'es' : ''} not count`);
  lines.push('');
  return lines;
}

/** Escaped "@a, @b and 3 others". */
function names(logins: readonly string[], conjunction: 'and' | 'or', limits: Limits): string {
  if (limits.names <= 0 && logins.length > 0) return `${logins.length} ${logins.length === 1 ? 'person' : 'people'}`;
  return markdownText(listText(logins.map(at), conjunction, limits.names));
}

/** No approval can fix it: denied, invalid, or someone must change the configuration first. */
function blockedForGood(status: ApprovalStatus, report: CheckReport | undefined): boolean {
  return isBlocking(report?.decision) || status.approvals.some((a) => !a.satisfied && a.unsatisfiable);
}
