/** Plain-text output for people at a terminal. */
import type { CheckReport, ProvisioningPreview } from '../check/report.js';
import { isRepositoryRootPath, PROVISIONERS_PATH, REPOSITORY_ROOT_NOTE } from '../tree.js';
import type { Finding } from '../findings.js';
import { isBlocking } from '../model.js';
import { approvalWords, DECISION_WORDS, reviewersText } from './words.js';
import { visible, visibleDeep } from './safe-text.js';

export function formatFinding(f: Finding): string {
  return `${visible(f.path)}:${f.line}:${f.column}: ${f.severity}: ${visible(f.message)} [${f.code}]`;
}

export function renderCheckText(untrusted: CheckReport): string {
  // Paths, names and quoted values come from the pull request: no control character is shown raw.
  const report = visibleDeep(untrusted);
  const lines: string[] = [];
  lines.push(
    `Comparing ${report.base} with ${report.head}: ${count(report.apps.length, 'app change')}, ${count(report.governance.length, 'governance change')}.`,
  );
  for (const app of report.apps) {
    lines.push('');
    lines.push(`${app.app} (${app.change}, ${app.path}): ${DECISION_WORDS[app.decision]}`);
    for (const reason of app.reasons) lines.push(`  why: ${reason}`);
    for (const a of app.required_approvals) lines.push(`  needs: ${approvalWords(a)} (${reviewersText(a.reviewers)})`);
    for (const remedy of app.remedies) lines.push(`  to avoid it: ${remedy}`);
    for (const f of app.findings) lines.push(`  ${formatFinding(f)}`);
  }
  if (report.governance.length > 0) {
    lines.push('');
    lines.push('Governance changes (need the governance approvers):');
    for (const g of report.governance) lines.push(`  ${g.change}: ${g.path}`);
    if (report.governance.some((g) => isRepositoryRootPath(g.path))) lines.push(`  (${REPOSITORY_ROOT_NOTE})`);
  }
  const preview = provisioningShown(report);
  if (preview) {
    lines.push('');
    lines.push(`What merging will do (${PROVISIONERS_PATH} of the base branch):`);
    for (const s of preview.steps) lines.push(`  ${s.provisioner}, ${s.action} ${s.app}: ${s.summary}`);
    for (const n of preview.notes) lines.push(`  note: ${n}`);
  }
  if (report.findings.length > 0) {
    lines.push('');
    for (const f of report.findings) lines.push(formatFinding(f));
  }
  lines.push('');
  const approvals = report.required_approvals.map((a) => `${approvalWords(a)} (${reviewersText(a.reviewers)})`).join('; ');
  const needs = approvals && !isBlocking(report.decision) ? ` Approvals needed: ${approvals}.` : '';
  lines.push(`Decision: ${DECISION_WORDS[report.decision]}.${needs}`);
  return `${lines.join('\n')}\n`;
}

export function renderFindingsText(findings: readonly Finding[], summary: string): string {
  return `${[...findings.map(formatFinding), summary].join('\n')}\n`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The preview, when there is something to say and the change can be merged at all. */
export function provisioningShown(report: CheckReport): ProvisioningPreview | undefined {
  const p = report.provisioning;
  if (!p || isBlocking(report.decision)) return undefined;
  return p.steps.length > 0 || p.notes.length > 0 ? p : undefined;
}
