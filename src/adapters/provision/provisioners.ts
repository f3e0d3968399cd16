/** The factory: the configured provisioners, the gateway first, then the webhooks as listed. */
import type { ProvisionersConfig } from '../../core/provision/config.js';
import { gatewayProvisioner } from '../../core/provision/gateway/index.js';
import type { Provisioner } from '../../core/provision/types.js';
import { webhookProvisioner, type WebhookTransport } from './webhook.js';

export interface ProvisionerOptions extends WebhookTransport {
  /** See PlanOptions.keyScope: pass the same value as to planProvisioning. */
  keyScope?: string;
}

export function createProvisioners(config: ProvisionersConfig, options: ProvisionerOptions = {}): Provisioner[] {
  const out: Provisioner[] = [];
  if (config.gateway) out.push(gatewayProvisioner(config.gateway, options.keyScope));
  for (const hook of config.webhooks) out.push(webhookProvisioner(hook, options, options.keyScope));
  return out;
}
