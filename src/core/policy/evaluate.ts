/**
 * Judges one app change with a loaded policy (DESIGN.md section 3):
 *   - the built-in guards first, then every rule (all are evaluated; all matching rules apply);
 *   - decision: the strictest matching action; with no matching rule, the policy's default
 *     action also applies (next to any guard, so a guard can only make things stricter);
 *   - required approvals: the union over the matching actions, none when the decision is deny.
 *
 * A removal is judged only by the rules written for changes, those that read `change.kind`
 * (e.g. `change.kind == "removed"` -> auto_approve), on the base manifest; with none of them
 * matching, the default action applies. Rules about what an app may do (its connectors, data,
 * environment) do not judge taking it away: otherwise removing a risky app would be harder
 * than keeping it. Guards do not apply to removals either.
 *
 * A condition that fails at run time (only raw CEL can, e.g. an index out of range) fails closed:
 * the rule counts as matching unless its action is auto_approve, and an error finding says so.
 */
import { error, START, type Finding } from '../findings.js';
import { strictest, ACTIONS_BY_STRICTNESS, type Action, type OwnerDirectory } from '../model.js';
import { requiredApprovals, type EvaluateOptions } from './required-approvals.js';
import { unknownEffectiveDataTypes } from './data-classes.js';
import { buildFacts, dataTypeOrigins } from './facts.js';
import { guardMatches, ownerTransfer } from './guards.js';
import type { AppChange, AppVerdict, CompiledPolicy, CompiledRule, ConnectorCatalog, Facts, RuleMatch } from './types.js';

export interface ConditionRun {
  value: boolean;
  /** Set when the condition could not be evaluated. */
  error?: string;
}

export interface RuleRun {
  rule: CompiledRule;
  matched: boolean;
  conditions: ConditionRun[];
}

export interface PolicyRun {
  facts: Facts;
  guards: RuleMatch[];
  rules: RuleRun[];
  verdict: AppVerdict;
}

export function evaluateChange(
  policy: CompiledPolicy,
  change: AppChange,
  catalog: ConnectorCatalog,
  directory: OwnerDirectory | undefined,
  options: EvaluateOptions = {},
): AppVerdict {
  return runPolicy(policy, change, catalog, directory, options).verdict;
}

/** The full run, with every condition's value: the verdict and its explanation come from here. */
export function runPolicy(
  policy: CompiledPolicy,
  change: AppChange,
  catalog: ConnectorCatalog,
  directory: OwnerDirectory | undefined,
  options: EvaluateOptions = {},
): PolicyRun {
  const facts = buildFacts(change, catalog, policy.lists);
  const guards = guardMatches(change, catalog);
  const findings: Finding[] = [];
  const unknownData = unknownEffectiveDataTypes(change, catalog, policy.data_classes);
  if (unknownData.length > 0) {
    // Fail closed: a rule about data cannot see a kind of data it does not know.
    findings.push(
      error(
        'policy.unknown-data-class',
        options.manifestPath ?? '',
        START,
        `This app names kinds of data the approval policy does not know (${unknownData.join(', ')}), so it cannot be judged. Use the kinds listed under "data_classes" in ${policy.path}: ${[...policy.data_classes.keys()].join(', ')}.`,
      ),
    );
  }
  const rules = policy.rules.map((rule) =>
    change.kind === 'removed' && !readsChangeKind(rule) ? skipped(rule) : runRule(rule, facts, policy.path, findings),
  );
  const origins = dataTypeOrigins(change.manifest, catalog);
  const ruleMatches = rules.filter((r) => r.matched).map((r) => matchOf(r.rule, origins));
  const defaulted = ruleMatches.length === 0;
  const matches = [...guards, ...ruleMatches];
  const applied: RuleMatch[] = defaulted ? [...matches, defaultMatch(policy)] : matches;
  const decision = strictest<Action>(
    ACTIONS_BY_STRICTNESS,
    applied.map((m) => m.action),
    policy.default_action,
  );
  const approvals = requiredApprovals(decision, applied, policy, change.manifest, directory, options, ownerTransfer(change));
  const verdict: AppVerdict = {
    decision,
    rules: matches.map((m) => m.id),
    matches,
    defaulted,
    required_approvals: approvals.approvals,
    findings: [...findings, ...approvals.findings],
  };
  return { facts, guards, rules, verdict };
}

function readsChangeKind(rule: CompiledRule): boolean {
  return rule.conditions.some((c) => c.reads.includes('change.kind'));
}

/** A rule that does not judge this kind of change: it does not match, and nothing is evaluated. */
function skipped(rule: CompiledRule): RuleRun {
  return { rule, matched: false, conditions: rule.conditions.map(() => ({ value: false })) };
}

function runRule(rule: CompiledRule, facts: Facts, path: string, findings: Finding[]): RuleRun {
  const conditions = rule.conditions.map((condition): ConditionRun => {
    try {
      return { value: condition.test(facts) };
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
      return { value: false, error: message };
    }
  });
  const failed = conditions.findIndex((c) => c.error !== undefined);
  if (failed >= 0) {
    // Fail closed: a broken condition may not approve anything, and may not skip a stricter rule.
    const matched = rule.action !== 'auto_approve';
    findings.push(
      error(
        'policy.evaluation-error',
        path,
        rule.conditions[failed]!.position,
        `Rule ${rule.id} (${rule.name}) could not be evaluated for this app (${conditions[failed]!.error}), so it was treated as ${matched ? 'matching' : 'not matching'}. Fix the condition.`,
      ),
    );
    return { rule, matched, conditions };
  }
  return { rule, matched: conditions.every((c) => c.value), conditions };
}

/** A rule that read the data types says where each one came from: the app, or which connector. */
function matchOf(rule: CompiledRule, origins: string): RuleMatch {
  const readsDataTypes = rule.conditions.some((c) => c.reads.some((r) => r === 'data_types' || r === 'change.added_data_types'));
  const reason = `${ruleReason(rule)}${readsDataTypes && origins ? ` Data types: ${origins}.` : ''}`;
  const match: RuleMatch = { id: rule.id, name: rule.name, action: rule.action, reason, position: rule.position };
  if (rule.remedy !== undefined) match.remedy = rule.remedy;
  return match;
}

/** "Rule 002 (require_manager): <message>", or the conditions themselves when there is no message. */
export function ruleReason(rule: CompiledRule): string {
  const label = `Rule ${rule.id} (${rule.name})`;
  if (rule.message !== undefined) return `${label}: ${sentence(rule.message)}`;
  const tests = rule.conditions.map((c) => c.text.trim().replace(/\s+/g, ' ')).join(' and ');
  return `${label} applies because ${tests}, so ${ACTION_WORDS[rule.action]}.`;
}

/**
 * Why the default applied, for people, or undefined when a rule matched. The default is named
 * as written; when a built-in guard is stricter, the guard is named as what decided, so the
 * sentence never calls a guard's deny "the default".
 */
export function defaultReason(policy: CompiledPolicy, verdict: AppVerdict): string | undefined {
  if (!verdict.defaulted) return undefined;
  const said = `No rule of the policy matched, so the ${policy.default_action_written ? "policy's" : 'built-in'} default applies (${policy.default_action.replace(/_/g, ' ')})`;
  if (verdict.decision === policy.default_action) return `${said}.`;
  const deciding = verdict.matches.filter((m) => m.action === verdict.decision).map((m) => `"${m.name}"`);
  const guards = deciding.length === 1 ? `guard ${deciding[0]} is` : `guards ${deciding.join(', ')} are`;
  return `${said}, but the built-in ${guards} stricter and decide${deciding.length === 1 ? 's' : ''}: ${verdict.decision.replace(/_/g, ' ')}.`;
}

function defaultMatch(policy: CompiledPolicy): RuleMatch {
  return {
    id: 'default',
    name: 'default_action',
    action: policy.default_action,
    reason: `No policy rule matched this app, so the ${policy.default_action_written ? "policy's" : 'built-in'} default applies: ${ACTION_WORDS[policy.default_action]}.`,
    position: { line: 1, column: 1 },
  };
}

export const ACTION_WORDS: Readonly<Record<Action, string>> = {
  auto_approve: 'it is approved automatically',
  manager_approval: "the owner's manager must approve",
  security_team_review: 'the security team must review it',
  deny: 'it is denied',
};

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
