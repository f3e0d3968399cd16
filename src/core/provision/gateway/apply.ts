/**
 * Applying the gateway's steps renders the whole desired state from the registry after the
 * merge (never patches the previous file): the result is the same however many times it runs,
 * and whatever happened to the file before. Pure: it returns the file to write.
 */
import type { GatewayConfig } from '../config.js';
import type { ApplyContext, ApplyResult, PlanStep, StepResult } from '../types.js';
import { renderKongYaml } from './kong.js';

export function applyGateway(config: GatewayConfig, steps: readonly PlanStep[], context: ApplyContext): ApplyResult {
  const result = (step: PlanStep, status: StepResult['status'], detail: string): StepResult => ({
    provisioner: step.provisioner,
    app: step.app,
    action: step.action,
    status,
    detail,
    idempotencyKey: step.idempotencyKey,
  });
  const apps = context.registry.apps;
  if (!apps) {
    const detail =
      'The gateway configuration was not rendered: the whole registry after the merge is needed, and only the changed apps were given.';
    return { results: steps.map((s) => (s.skip ? result(s, 'skipped', s.skip) : result(s, 'failed', detail))), files: [] };
  }
  const content = renderKongYaml(apps, context.registry.catalog, config.upstreamUrl);
  const changed = context.files(config.output) !== content;
  const results = steps.map((s) => {
    if (s.skip) return result(s, 'skipped', s.skip);
    if (s.action === 'unchanged') return result(s, 'unchanged', `Nothing to change in ${config.output}.`);
    if (!changed || context.done.has(s.idempotencyKey)) return result(s, 'unchanged', `${config.output} already has this.`);
    return result(s, 'applied', `Rendered into ${config.output}.`);
  });
  return { results, files: changed ? [{ path: config.output, content }] : [] };
}
