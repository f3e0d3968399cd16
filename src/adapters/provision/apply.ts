/**
 * The entry point of applying a plan (what `microapps apply` and the merge job call): each
 * provisioner applies its own steps; the gateway always re-renders its file, so a connector
 * change reaches it even when no app changed. A provisioner that throws (a bug) fails its own
 * steps with the reason; the others still run, and every step gets a result.
 */
import type { ProvisionersConfig } from '../../core/provision/config.js';
import { gatewayProvisioner } from '../../core/provision/gateway/index.js';
import type { ProvisioningPlan } from '../../core/provision/plan.js';
import type { ApplyResult, CurrentFiles, PlanStep, Provisioner, RenderedFile, StepResult } from '../../core/provision/types.js';
import { webhookProvisioner, type WebhookTransport } from './webhook.js';

export interface ApplyOptions extends WebhookTransport {
  /** The environment holding the webhook secrets (process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The current text of generated files (to report `unchanged`); default: none exist. */
  files?: CurrentFiles | ReadonlyMap<string, string>;
  /** Idempotency keys already applied (e.g. recorded in the audit log). */
  done?: ReadonlySet<string>;
}

export async function applyProvisioning(plan: ProvisioningPlan, options: ApplyOptions): Promise<ApplyResult> {
  const files = options.files;
  const current: CurrentFiles = typeof files === 'function' ? files : (path) => files?.get(path);
  const context = { registry: plan.registry, files: current, env: options.env, done: options.done ?? new Set<string>() };
  const byStep = new Map<PlanStep, StepResult>();
  const written: RenderedFile[] = [];
  const provisioners = provisionersOf(plan.config, options);
  for (const provisioner of provisioners) {
    const steps = plan.steps.filter((s) => s.provisioner === provisioner.name);
    let outcome: ApplyResult;
    try {
      outcome = await provisioner.apply(steps, context);
    } catch (e) {
      const detail = `The ${provisioner.name} provisioner failed unexpectedly: ${(e as Error)?.message ?? String(e)}`;
      outcome = { results: steps.map((s) => failed(s, detail)), files: [] };
    }
    steps.forEach((s, i) => {
      byStep.set(s, outcome.results[i] ?? failed(s, `The ${provisioner.name} provisioner returned no result for this step.`));
    });
    written.push(...outcome.files);
  }
  const results = plan.steps.map((s) => byStep.get(s) ?? failed(s, `No provisioner named "${s.provisioner}" is configured.`));
  return { results, files: written };
}

/** The configured provisioners in the order planning listed their steps: the gateway, then the webhooks. */
function provisionersOf(config: ProvisionersConfig, transport: WebhookTransport): Provisioner[] {
  return [
    ...(config.gateway ? [gatewayProvisioner(config.gateway)] : []),
    ...config.webhooks.map((hook) => webhookProvisioner(hook, transport)),
  ];
}

function failed(step: PlanStep, detail: string): StepResult {
  return {
    provisioner: step.provisioner,
    app: step.app,
    action: step.action,
    status: 'failed',
    detail,
    idempotencyKey: step.idempotencyKey,
  };
}
