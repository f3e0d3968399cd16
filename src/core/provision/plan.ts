/**
 * The entry point of planning: the configured provisioners, each asked for its steps. Pure:
 * the preview of a pull request and the merge job plan the same way.
 */
import type { ProvisionersConfig } from './config.js';
import { GATEWAY, planGateway } from './gateway/plan.js';
import type { AppChange, PlanStep, Planner, RegistryAfter } from './types.js';
import { planWebhook, webhookName } from './webhook/plan.js';

export interface PlanOptions {
  /**
   * Mixed into every idempotency key. Without it a key depends only on the provisioner, app,
   * action and manifest hash; the merge job may pass the merge commit so that registering an
   * app again, with the same manifest, after removing it is not taken for a repeat.
   */
  keyScope?: string;
}

export interface ProvisioningPlan {
  config: ProvisionersConfig;
  registry: RegistryAfter;
  /** Provisioner by provisioner (the gateway first, then the webhooks as listed), app by app. */
  steps: PlanStep[];
}

/** The planners of a configuration, in the order they run. */
export function planners(config: ProvisionersConfig, options: PlanOptions = {}): Planner[] {
  const out: Planner[] = [];
  if (config.gateway) out.push({ name: GATEWAY, plan: (changes, registry) => planGateway(changes, registry, options.keyScope) });
  for (const hook of config.webhooks) {
    out.push({ name: webhookName(hook), plan: (changes, registry) => planWebhook(hook, changes, registry, options.keyScope) });
  }
  return out;
}

export function planProvisioning(
  config: ProvisionersConfig,
  changes: readonly AppChange[],
  registryAfter: RegistryAfter,
  options: PlanOptions = {},
): ProvisioningPlan {
  const steps = planners(config, options).flatMap((p) => p.plan(changes, registryAfter));
  return { config, registry: registryAfter, steps };
}
