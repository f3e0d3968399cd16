/**
 * Markdown for job summaries, pull-request comments and `check --format markdown`. It reads as a
 * verdict for a citizen developer: the decision, who must approve and why, what to change.
 * Output stays within a byte budget whatever the size of the change: sections that do not fit
 * are dropped and counted, never cut mid-line.
 */
import type { AppReport, CheckReport } from '../check/report.js';
import type { Finding } from '../findings.js';
import { isBlocking } from '../model.js';
import { isRepositoryRootPath, PROVISIONERS_PATH, REPOSITORY_ROOT_NOTE } from '../tree.js';
import { provisioningShown } from './render-text.js';
import { markdownCode, markdownText } from './safe-text.js';
import { approvalWords, DECISION_WORDS, reviewersText } from './words.js';

const ICONS: Record<string, string> = {
  no_changes: '⚪',
  auto_approve: '✅',
  manager_approval: '🟡',
  security_team_review: '🟠',
  deny: '⛔',
  invalid: '❌',
};

export interface MarkdownOptions {
  /** Upper bound of the output in UTF-8 bytes (GitHub's step summary takes 1 MiB at most). */
  maxBytes?: number;
  /** Where the full report is, named when something had to be left out. */
  fullReportHint?: string;
  /** Replaces the sentence under the heading (e.g. for a whole-registry validation). */
  headline?: string;
}

export function renderCheckMarkdown(report: CheckReport, options: MarkdownOptions = {}): string {
  const out = new BudgetedText(options.maxBytes ?? Number.POSITIVE_INFINITY);
  out.must(`## ${ICONS[report.decision]} Micro-app policy: ${DECISION_WORDS[report.decision]}\n\n`);
  out.must(`${options.headline ?? headline(report)}\n\n`);

  // What did not fit: app table rows, and every other item (approvals, sections, findings).
  const left = { apps: 0, findings: 0 };
  const approvals = isBlocking(report.decision) ? [] : report.required_approvals;
  if (approvals.length > 0) {
    out.must('### Approvals needed before merging\n\n');
    for (const a of approvals) {
      if (!out.add(`- **${markdownText(approvalWords(a))}**: ${markdownText(reviewersText(a.reviewers))}. ${markdownText(a.reason)}\n`))
        left.findings++;
    }
    out.must('\n');
  }

  if (report.apps.length > 0) {
    out.must('| App | Change | Decision | Rules |\n| --- | --- | --- | --- |\n');
    // Strictest first: what blocks the merge is what the reader needs to see.
    const apps = [...report.apps].sort((a, b) => ORDER.indexOf(b.decision) - ORDER.indexOf(a.decision));
    for (const a of apps) {
      const row = `| ${markdownCode(a.app)} | ${a.change} | ${ICONS[a.decision]} ${DECISION_WORDS[a.decision]} | ${a.rules.map(markdownCode).join(', ') || '-'} |\n`;
      if (!out.add(row)) left.apps++;
    }
    out.must('\n');
    for (const a of apps) {
      const section = appSection(a);
      if (section && !out.add(section)) left.findings += Math.max(1, a.findings.length);
    }
  }
  if (report.governance.length > 0) {
    out.must('### Governance changes\n\nThese files decide how every app is judged, so the governance approvers review them.\n\n');
    if (report.governance.some((g) => isRepositoryRootPath(g.path))) out.must(`${REPOSITORY_ROOT_NOTE}\n\n`);
    for (const g of report.governance) if (!out.add(`- ${g.change}: ${markdownCode(g.path)}\n`)) left.findings++;
    out.must('\n');
  }
  const preview = provisioningShown(report);
  if (preview) {
    out.must(`### What merging will do\n\nPlanned with ${markdownCode(PROVISIONERS_PATH)} of the base branch:\n\n`);
    for (const s of preview.steps) {
      if (!out.add(`- ${markdownCode(s.provisioner)} **${s.action}** ${markdownCode(s.app)}: ${markdownText(s.summary)}\n`))
        left.findings++;
    }
    for (const n of preview.notes) if (!out.add(`- ℹ️ ${markdownText(n)}\n`)) left.findings++;
    out.must('\n');
  }
  if (report.findings.length > 0) {
    out.must('### Other problems\n\n');
    for (const f of report.findings) if (!out.add(`- ${findingMarkdown(f)}\n`)) left.findings++;
    out.must('\n');
  }
  if (left.apps > 0 || left.findings > 0) {
    const parts = [
      left.apps ? `${left.apps} app row${left.apps === 1 ? '' : 's'}` : '',
      left.findings ? `${left.findings} more item${left.findings === 1 ? '' : 's'}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    out.must(
      `> [!NOTE]\n> This summary is too long to show in full: ${parts} left out.${options.fullReportHint ? ` ${markdownText(options.fullReportHint)}` : ''}\n`,
    );
  }
  return out.text();
}

const ORDER = ['no_changes', 'auto_approve', 'manager_approval', 'security_team_review', 'deny', 'invalid'];

function headline(report: CheckReport): string {
  const n = report.apps.length;
  const apps = `${n} app${n === 1 ? '' : 's'} changed`;
  const gov = report.governance.length
    ? `, ${report.governance.length} governance file${report.governance.length === 1 ? '' : 's'} changed`
    : '';
  const what: Record<string, string> = {
    no_changes: 'This pull request changes no app.',
    auto_approve: 'Every change is auto-approved by the policy: it can be merged.',
    manager_approval: "The owner's manager must approve before this can be merged.",
    security_team_review: 'A review is needed before this can be merged: see who must approve below.',
    deny: 'The policy does not allow this change. See why below.',
    invalid: 'Some files have errors. Fix them and push again; each problem names its file, line and column.',
  };
  return `${apps}${gov}. ${what[report.decision]}`;
}

function appSection(a: AppReport): string {
  if (a.reasons.length === 0 && a.findings.length === 0 && a.remedies.length === 0) return '';
  const lines = [`#### ${ICONS[a.decision]} ${markdownCode(a.app)} (${a.change}, ${markdownCode(a.path)})`, ''];
  for (const r of a.reasons) lines.push(`- ${markdownText(r)}`);
  for (const ap of a.required_approvals) {
    if (!isBlocking(a.decision))
      lines.push(`- Needs the **${markdownText(approvalWords(ap))}**: ${markdownText(reviewersText(ap.reviewers))}`);
  }
  for (const r of a.remedies) lines.push(`- **To avoid this:** ${markdownText(r)}`);
  for (const f of a.findings) lines.push(`- ${findingMarkdown(f)}`);
  return `${lines.join('\n')}\n\n`;
}

function findingMarkdown(f: Finding): string {
  return `${f.severity === 'error' ? '❌' : f.severity === 'warning' ? '⚠️' : 'ℹ️'} ${markdownCode(`${f.path}:${f.line}:${f.column}`)} ${markdownText(f.message)}`;
}

/** Text that grows piece by piece within a byte budget; a reserve keeps room for what must come. */
class BudgetedText {
  private readonly parts: string[] = [];
  private bytes = 0;
  /** Room kept for the closing parts (headings, the truncation note). */
  private static readonly RESERVE = 4096;

  constructor(private readonly maxBytes: number) {}

  /** Adds a piece if it fits; says whether it did. */
  add(piece: string): boolean {
    const size = Buffer.byteLength(piece, 'utf8');
    if (this.bytes + size > this.maxBytes - BudgetedText.RESERVE) return false;
    this.parts.push(piece);
    this.bytes += size;
    return true;
  }

  /** Adds a short piece that must be there (headings, notes); the reserve is for these. */
  must(piece: string): void {
    this.parts.push(piece);
    this.bytes += Buffer.byteLength(piece, 'utf8');
  }

  text(): string {
    return this.parts.join('');
  }
}
