/** The built-in API-gateway provisioner: plan (planGateway) and apply are both pure. */
import type { GatewayConfig } from '../config.js';
import type { Provisioner } from '../types.js';
import { applyGateway } from './apply.js';
import { GATEWAY } from './plan.js';

export { GATEWAY, planGateway } from './plan.js';
export { applyGateway } from './apply.js';
export {
  kongConsumer,
  kongDocument,
  kongService,
  renderKongYaml,
  MANAGED_TAG,
  ROUTE_PREFIX,
  type KongDocument,
  type KongConsumer,
  type KongService,
} from './kong.js';

export function gatewayProvisioner(config: GatewayConfig): Provisioner {
  return {
    name: GATEWAY,
    apply: (steps, context) => Promise.resolve(applyGateway(config, steps, context)),
  };
}
