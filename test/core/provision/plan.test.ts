/** planProvisioning: the configured provisioners in order, the webhook steps and their bodies. */
import { describe, expect, it } from 'vitest';
import {
  appChange,
  canonicalJson,
  manifestHash,
  planProvisioning,
  webhookBody,
  type ProvisionersConfig,
  type WebhookPayload,
} from '../../../src/core/provision/index.js';
import { app, shippedCatalog } from './fixtures.js';

const catalog = shippedCatalog();
const hook = { name: 'broker', url: 'https://hooks.example.com/microapps', secretEnv: 'BROKER_SECRET', timeoutMs: 1000, retries: 1 };
const config: ProvisionersConfig = {
  gateway: { format: 'kong', output: 'generated/gateway/kong.yaml', upstreamUrl: 'https://{connector}.internal' },
  webhooks: [hook],
};

const alpha = app('alpha-app', { connectors: ['hr_api_read', 'personal_dropbox'] });
const beta = app('beta-app');

describe('planProvisioning', () => {
  it('plans the gateway first, then each webhook, app by app in name order', () => {
    const changes = [
      appChange('registry/x/beta-app.yaml', 'added', beta),
      appChange('registry/x/alpha-app.yaml', 'removed', undefined, alpha),
    ];
    const plan = planProvisioning(config, changes, { catalog });
    expect(plan.steps.map((s) => `${s.provisioner} ${s.action} ${s.app}`)).toEqual([
      'gateway delete alpha-app',
      'gateway create beta-app',
      'webhook:broker delete alpha-app',
      'webhook:broker create beta-app',
    ]);
    expect(planProvisioning(config, [...changes].reverse(), { catalog }).steps).toEqual(plan.steps);
  });

  it('plans nothing without provisioners', () => {
    expect(planProvisioning({ webhooks: [] }, [appChange('registry/x/beta-app.yaml', 'added', beta)], { catalog }).steps).toEqual([]);
  });

  it('a webhook step carries the manifest and what it resolves to; blocked connectors are refused', () => {
    const [step] = planProvisioning({ webhooks: [hook] }, [appChange('registry/x/alpha-app.yaml', 'added', alpha)], { catalog }).steps;
    expect(step!.summary).toBe('Send "create" for alpha-app to the broker webhook (hooks.example.com).');
    const payload = step!.payload as WebhookPayload;
    expect(payload).toMatchObject({
      app: 'alpha-app',
      path: 'registry/x/alpha-app.yaml',
      manifest_hash: manifestHash(alpha),
      manifest: alpha,
    });
    expect(payload.grants).toEqual([
      { connector: 'hr_api_read', scopes: ['employees:read', 'org_chart:read', 'time_off:read'], rate_limit: '500/hour' },
    ]);
    expect(payload.refused).toEqual([{ connector: 'personal_dropbox', reason: 'blocked' }]);
  });

  it('a reformatted manifest (same content) is unchanged for the webhook: nothing to send', () => {
    const [step] = planProvisioning({ webhooks: [hook] }, [appChange('registry/x/beta-app.yaml', 'modified', { ...beta }, beta)], {
      catalog,
    }).steps;
    expect(step!.action).toBe('unchanged');
  });

  it('the body is canonical JSON with the idempotency key inside, the same every time', () => {
    const plan = () => planProvisioning({ webhooks: [hook] }, [appChange('registry/x/beta-app.yaml', 'added', beta)], { catalog });
    const body = webhookBody(plan().steps[0]!);
    expect(webhookBody(plan().steps[0]!)).toBe(body);
    const parsed = JSON.parse(body);
    expect(Object.keys(parsed)).toEqual(['action', 'app', 'idempotency_key', 'payload', 'provisioner', 'summary']);
    expect(parsed.idempotency_key).toBe(plan().steps[0]!.idempotencyKey);
    expect(canonicalJson(parsed)).toBe(body);
  });
});

describe('canonicalJson and manifestHash', () => {
  it('sorts keys at every depth, and leaves array order alone', () => {
    expect(canonicalJson({ b: [3, { d: 1, c: 'x' }], a: null })).toBe('{"a":null,"b":[3,{"c":"x","d":1}]}');
  });

  it('the manifest hash ignores key order and $schema, and sees every real change', () => {
    const h = manifestHash(beta);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifestHash({ ...beta, $schema: 'https://microapps.dev/schemas/app.schema.json' } as typeof beta)).toBe(h);
    expect(manifestHash({ ...beta, retention_days: 30 })).not.toBe(h);
  });
});
