/**
 * Which labels to add to and remove from a pull request so that it carries exactly the label
 * of its policy decision among the labels the App manages. Labels the App does not manage are
 * never touched; names compare without case, as GitHub's do.
 */
import type { Decision } from '../model.js';
import { LABELLED_DECISIONS, type AppConfig, type LabelledDecision } from './app-config.js';

export interface LabelPlan {
  add: string[];
  remove: string[];
}

export function planLabels(decision: Decision, labels: AppConfig['labels'], current: readonly string[]): LabelPlan {
  const key = (name: string) => name.toLowerCase();
  const wanted = decision === 'no_changes' ? null : labels[decision as LabelledDecision];
  const managed = new Set(
    LABELLED_DECISIONS.map((d) => labels[d])
      .filter((l): l is string => l !== null)
      .map(key),
  );
  const present = new Set(current.map(key));
  const add = wanted !== null && !present.has(key(wanted)) ? [wanted] : [];
  const remove = current.filter((name) => managed.has(key(name)) && (wanted === null || key(name) !== key(wanted)));
  return { add, remove };
}
