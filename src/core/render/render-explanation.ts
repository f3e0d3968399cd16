/** Text for `microapps explain`: every rule, every condition with its value, then the verdict. */
import type { Finding } from '../findings.js';
import type { CompiledPolicy, Explanation } from '../policy/types.js';
import { defaultReason } from '../policy/evaluate.js';
import { formatFinding } from './render-text.js';
import { approvalWords, DECISION_WORDS, reviewersText } from './words.js';
import { visible, visibleDeep } from './safe-text.js';

export function renderExplanationText(
  untrustedApp: string,
  untrustedPath: string,
  policy: CompiledPolicy,
  untrustedExplanation: Explanation,
  findings: readonly Finding[],
): string {
  // The manifest's values are data: no control character is shown raw.
  const app = visible(untrustedApp);
  const path = visible(untrustedPath);
  const explanation = visibleDeep(untrustedExplanation);
  const out: string[] = [];
  out.push(`${app} (${path}), judged by ${policy.path} as a new app:`);
  out.push('');
  for (const g of explanation.guards) out.push(`built-in ${g.id} -> ${g.action}: APPLIES. ${g.reason}`);
  if (explanation.guards.length > 0) out.push('');
  for (const rule of explanation.rules) {
    out.push(`rule ${rule.id} ${rule.name} -> ${rule.action}: ${rule.matched ? 'MATCHES' : 'does not match'}`);
    for (const c of rule.conditions) {
      const inputs = visible(
        Object.entries(c.inputs)
          .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
          .join(', '),
      );
      out.push(
        `  ${c.value ? 'true ' : 'false'}  ${c.text}${inputs ? `   (${inputs})` : ''}   [${policy.path}:${c.position.line}:${c.position.column}]`,
      );
    }
    out.push('');
  }
  const v = explanation.verdict;
  const byDefault = v.defaulted && v.decision === policy.default_action;
  out.push(`Decision: ${DECISION_WORDS[v.decision]}${byDefault ? ` (no rule matched: the policy's default)` : ''}.`);
  for (const m of v.matches) out.push(`  why: ${m.reason}`);
  const defaulted = defaultReason(policy, v);
  if (defaulted) out.push(`  why: ${defaulted}`);
  if (v.decision !== 'deny') {
    for (const a of v.required_approvals) out.push(`  needs: ${approvalWords(a)} (${reviewersText(a.reviewers)})`);
  }
  for (const r of new Set(
    v.matches
      .filter((m) => m.action !== 'auto_approve')
      .map((m) => m.remedy)
      .filter(Boolean),
  ))
    out.push(`  to avoid it: ${r}`);
  for (const f of findings) out.push(`  ${formatFinding(f)}`);
  return `${out.join('\n')}\n`;
}
