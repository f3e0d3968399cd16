/**
 * What a merge provisions: policies/provisioners.yaml on the base branch
 * (schemas/provisioners.schema.json). It lives under policies/ so that changing it is a
 * governed pull request. Secrets never appear here: a webhook names the environment variable
 * holding its secret. No file means no provisioning: a registry opts in to what its merges do.
 */
import type { Finding } from '../findings.js';
import { loadFile, type LoadedFile } from '../registry/load-file.js';
import { PROVISIONERS_PATH } from '../tree.js';

export { PROVISIONERS_PATH };
export { checkProvisionersDocument } from './check-document.js';

export interface GatewayConfig {
  format: 'kong';
  /** Path of the rendered file, under generated/. */
  output: string;
  /** Upstream address of each connector; "{connector}" stands for its id with hyphens. */
  upstreamUrl: string;
}

export interface WebhookConfig {
  name: string;
  url: string;
  /** Name of the environment variable holding the signing secret. */
  secretEnv: string;
  timeoutMs: number;
  retries: number;
}

export interface ProvisionersConfig {
  /** Absent: the gateway is not rendered. */
  gateway?: GatewayConfig;
  webhooks: WebhookConfig[];
}

export const DEFAULT_GATEWAY: GatewayConfig = {
  format: 'kong',
  output: 'generated/gateway/kong.yaml',
  upstreamUrl: 'https://{connector}.connectors.internal',
};

export const WEBHOOK_DEFAULTS = { timeoutMs: 10_000, retries: 3 } as const;

/** No configuration file: nothing is provisioned. */
export const NO_PROVISIONERS: ProvisionersConfig = { webhooks: [] };

interface RawConfig {
  gateway?: { enabled?: boolean; format?: 'kong'; output?: string; upstream_url?: string };
  webhooks?: Array<{ name: string; url: string; secret_env: string; timeout_seconds?: number; retries?: number }>;
}

export interface ProvisionersConfigResult {
  /** Present only when the file has no error: a broken configuration is never half-applied. */
  value?: ProvisionersConfig;
  findings: Finding[];
}

/** The configuration from the file's bytes; `bytes` undefined means there is no file: no provisioning. */
export function readProvisionersConfig(bytes: Uint8Array | undefined, path = PROVISIONERS_PATH): ProvisionersConfigResult {
  // loadFile parses, looks for secrets, checks the schema and runs checkProvisionersDocument.
  return provisionersConfigOf(bytes === undefined ? undefined : loadFile(path, 'provisioners', bytes));
}

/** The configuration from a file the pipeline already loaded (parsed and checked by loadFile). */
export function provisionersConfigOf(file: LoadedFile | undefined): ProvisionersConfigResult {
  if (!file) return { value: NO_PROVISIONERS, findings: [] };
  if (!file.valid || !file.document) return { findings: file.findings };
  return { value: toConfig(file.document.value as RawConfig), findings: file.findings };
}

function toConfig(raw: RawConfig): ProvisionersConfig {
  const g = raw.gateway;
  const gateway: GatewayConfig | undefined =
    g && g.enabled !== false
      ? {
          format: g.format ?? DEFAULT_GATEWAY.format,
          output: g.output ?? DEFAULT_GATEWAY.output,
          upstreamUrl: g.upstream_url ?? DEFAULT_GATEWAY.upstreamUrl,
        }
      : undefined;
  const webhooks = (raw.webhooks ?? []).map((w) => ({
    name: w.name,
    url: w.url,
    secretEnv: w.secret_env,
    timeoutMs: Math.max(1, Math.round((w.timeout_seconds ?? WEBHOOK_DEFAULTS.timeoutMs / 1000) * 1000)),
    retries: w.retries ?? WEBHOOK_DEFAULTS.retries,
  }));
  return gateway ? { gateway, webhooks } : { webhooks };
}
