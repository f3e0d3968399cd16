/**
 * The outcome of `microapps apply` (and the Action's merge mode) in plain text: each app
 * change with its decision and provisioning steps, then what was recorded where.
 */
import type { AuditEntry } from '../audit/model.js';
import type { CheckReport } from '../check/report.js';
import type { PlanStep, StepResult } from '../provision/types.js';
import { DECISION_WORDS } from './words.js';
import { visible, visibleDeep } from './safe-text.js';

export interface ApplyView {
  report: CheckReport;
  steps: readonly PlanStep[];
  results: readonly StepResult[];
  entries: readonly AuditEntry[];
  commit?: string;
  signed?: boolean;
}

export function renderApplyText(view: ApplyView, untrustedBranch: string, dryRun: boolean): string {
  // Names, summaries and receivers' answers are data: no control character is shown raw.
  const o: ApplyView = { ...view, report: visibleDeep(view.report), steps: visibleDeep(view.steps), results: visibleDeep(view.results) };
  const branch = visible(untrustedBranch);
  const lines: string[] = [];
  const apps = o.report.apps;
  lines.push(
    `${dryRun ? 'Would apply' : 'Applied'} ${o.report.base} .. ${o.report.head} on ${branch}: ${apps.length} app change${apps.length === 1 ? '' : 's'}.`,
  );
  for (const a of apps) {
    lines.push(`  ${a.change} ${a.app}: ${DECISION_WORDS[a.decision]}`);
    for (const s of o.steps.filter((step) => step.app === a.app)) {
      const result = o.results.find((r) => r.idempotencyKey === s.idempotencyKey);
      lines.push(`    ${s.provisioner}: ${s.summary}${result ? ` [${result.status}${result.detail ? `: ${result.detail}` : ''}]` : ''}`);
    }
  }
  if (dryRun) lines.push('Dry run: nothing was sent, written or committed.');
  else if (o.entries.length === 0) lines.push('Nothing to record: the audit log already has these changes.');
  else {
    const first = o.entries[0]!.seq;
    const last = o.entries[o.entries.length - 1]!.seq;
    lines.push(
      `Recorded ${o.entries.length} audit entr${o.entries.length === 1 ? 'y' : 'ies'} (${first === last ? `#${first}` : `#${first}-#${last}`}) in ${o.commit!.slice(0, 7)}${o.signed ? ', signed' : ', not signed (set gpg.format ssh to sign)'}.`,
    );
  }
  const failed = o.results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    lines.push(
      `${failed.length} provisioning step${failed.length === 1 ? '' : 's'} failed. The failure is recorded in the audit entr${o.entries.length === 1 ? 'y' : 'ies'}, with the step's idempotency key: the receiver can be fixed and the step redone safely.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
