/**
 * Provisioning, the pure half: configuration, app changes, plans, the gateway's rendering.
 * The I/O half (webhooks) and `applyProvisioning` are in src/adapters/provision/.
 *
 *   const config = readProvisionersConfig(bytes).value;            // policies/provisioners.yaml
 *   const changes = [appChange(path, 'added', manifest)];
 *   const plan = planProvisioning(config, changes, { catalog, apps });
 *   const { results, files } = await applyProvisioning(plan, { env: process.env, files: read });
 */
export * from './types.js';
export { canonicalJson, manifestHash } from './canonical-json.js';
export { appChange, sortChanges } from './changes.js';
export { idempotencyKey } from './idempotency.js';
export { resolveGrants, type Grant, type Grants, type Refusal } from './grants.js';
export {
  checkProvisionersDocument,
  DEFAULT_GATEWAY,
  NO_PROVISIONERS,
  PROVISIONERS_PATH,
  provisionersConfigOf,
  readProvisionersConfig,
  WEBHOOK_DEFAULTS,
  type GatewayConfig,
  type ProvisionersConfig,
  type ProvisionersConfigResult,
  type WebhookConfig,
} from './config.js';
export { planners, planProvisioning, type PlanOptions, type ProvisioningPlan } from './plan.js';
export * from './gateway/index.js';
export { planWebhook, webhookBody, webhookName, type WebhookPayload } from './webhook/plan.js';
