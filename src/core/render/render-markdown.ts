/** Markdown for pull-request comments and job summaries. */
import type { CheckReport } from '../check/report.js';
import type { Finding } from '../findings.js';
import { APPROVAL_WORDS, DECISION_WORDS, reviewersText } from './words.js';

const ICONS: Record<string, string> = {
  no_changes: '⚪', auto_approve: '✅', manager_approval: '🟡', security_team_review: '🟠', deny: '⛔', invalid: '❌',
};

export function renderCheckMarkdown(report: CheckReport): string {
  const out: string[] = [];
  out.push(`## ${ICONS[report.decision]} Micro-app policy: ${DECISION_WORDS[report.decision]}`);
  out.push('');
  if (report.apps.length > 0) {
    out.push('| App | Change | Decision | Rules |');
    out.push('| --- | --- | --- | --- |');
    for (const a of report.apps) {
      out.push(`| \`${escape(a.app)}\` | ${a.change} | ${ICONS[a.decision]} ${DECISION_WORDS[a.decision]} | ${a.rules.map((r) => `\`${escape(r)}\``).join(', ') || '-'} |`);
    }
    out.push('');
  }
  for (const a of report.apps) {
    if (a.reasons.length === 0 && a.findings.length === 0 && a.remedies.length === 0) continue;
    out.push(`### \`${escape(a.app)}\` (${escape(a.path)})`);
    for (const r of a.reasons) out.push(`- ${escape(r)}`);
    for (const r of a.remedies) out.push(`- **To avoid this:** ${escape(r)}`);
    for (const f of a.findings) out.push(`- ${findingMarkdown(f)}`);
    out.push('');
  }
  if (report.governance.length > 0) {
    out.push('### Governance changes');
    for (const g of report.governance) out.push(`- ${g.change}: \`${escape(g.path)}\``);
    out.push('');
  }
  if (report.findings.length > 0) {
    out.push('### Problems');
    for (const f of report.findings) out.push(`- ${findingMarkdown(f)}`);
    out.push('');
  }
  if (report.required_approvals.length > 0 && report.decision !== 'deny' && report.decision !== 'invalid') {
    out.push('### Approvals needed');
    for (const a of report.required_approvals) {
      out.push(`- **${APPROVAL_WORDS[a.action]}**: ${escape(reviewersText(a.reviewers))}. ${escape(a.reason)}`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

function findingMarkdown(f: Finding): string {
  return `${f.severity === 'error' ? '❌' : '⚠️'} \`${escape(f.path)}:${f.line}:${f.column}\` ${escape(f.message)}`;
}

/** Manifest text is untrusted: it must not inject markup, mentions or HTML into a PR. */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`).replace(/@/g, '@\u200b').replace(/\r?\n/g, ' ');
}
