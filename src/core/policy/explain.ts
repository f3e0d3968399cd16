/**
 * "Why did my app get this decision?": every rule, every condition as written with its position
 * and value, the values of the variables it read, the guards that fired and the verdict.
 */
import type { OwnerDirectory } from '../model.js';
import type { EvaluateOptions } from './required-approvals.js';
import { runPolicy } from './evaluate.js';
import { readFact } from './facts.js';
import type { AppChange, CompiledPolicy, ConnectorCatalog, Explanation } from './types.js';

export function explainChange(
  policy: CompiledPolicy,
  change: AppChange,
  catalog: ConnectorCatalog,
  directory: OwnerDirectory | undefined,
  options: EvaluateOptions = {},
): Explanation {
  const run = runPolicy(policy, change, catalog, directory, options);
  return {
    verdict: run.verdict,
    guards: run.guards,
    rules: run.rules.map(({ rule, matched, conditions }) => ({
      id: rule.id,
      name: rule.name,
      action: rule.action,
      matched,
      conditions: rule.conditions.map((c, i) => ({
        text: c.text,
        position: c.position,
        value: conditions[i]!.value,
        inputs: Object.fromEntries(c.reads.map((name) => [name, readFact(run.facts, name)])),
      })),
    })),
  };
}
