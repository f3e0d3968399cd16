/**
 * The webhook provisioner against a real HTTP server (node:http on an ephemeral port): the
 * server checks the signature over the raw bytes it received, as a receiver must; retries,
 * Retry-After, timeouts and idempotency are observed on the wire. Delays stay tiny: backoff is
 * a millisecond, and Retry-After waits are recorded by an injected sleep instead of waited out.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyProvisioning, deliverStep, verifySignature, type WebhookTransport } from '../../../src/adapters/provision/index.js';
import { appChange, planProvisioning, type PlanStep, type WebhookConfig } from '../../../src/core/provision/index.js';
import { app, shippedCatalog } from '../../core/provision/fixtures.js';

const SECRET = 'test-webhook-secret-8c1f0e';
const ENV = { HOOK_SECRET: SECRET };
const catalog = shippedCatalog();

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  signatureValid: boolean;
}

type Reply = (res: ServerResponse, received: Received) => void;

interface TestServer {
  url: string;
  received: Received[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** Answers the n-th request with replies[n] (the last one repeats). */
async function serve(...replies: Reply[]): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      // What a receiver does: HMAC-SHA256 over the raw bytes, before parsing anything.
      const expected = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;
      const r: Received = { headers: req.headers, raw, signatureValid: req.headers['x-microapps-signature-256'] === expected };
      received.push(r);
      (replies[Math.min(received.length - 1, replies.length - 1)] ?? status(200))(res, r);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

const status =
  (code: number, headers: Record<string, string> = {}, body = ''): Reply =>
  (res) => {
    res.writeHead(code, headers);
    res.end(body);
  };
const hang: Reply = () => {};

function hookAt(url: string, extra: Partial<WebhookConfig> = {}): WebhookConfig {
  return { name: 'broker', url, secretEnv: 'HOOK_SECRET', timeoutMs: 2000, retries: 3, ...extra };
}

function stepFor(hook: WebhookConfig, keyScope?: string): PlanStep {
  const manifest = app('standup-notes-bot', { connectors: ['slack_post_messages'] });
  const plan = planProvisioning(
    { webhooks: [hook] },
    [appChange('registry/it/standup-notes-bot.yaml', 'added', manifest)],
    { catalog },
    { keyScope },
  );
  return plan.steps[0]!;
}

/** Records waits without waiting. */
function recordingSleep(): { sleeps: number[]; transport: WebhookTransport } {
  const sleeps: number[] = [];
  return { sleeps, transport: { sleep: async (ms) => void sleeps.push(ms), baseDelayMs: 1, maxDelayMs: 4, random: () => 0.5 } };
}

const deliver = (
  hook: WebhookConfig,
  step: PlanStep,
  transport: WebhookTransport = { baseDelayMs: 1, maxDelayMs: 4 },
  env: Record<string, string> = ENV,
) => deliverStep(hook, step, { env, done: new Set() }, transport);

describe('webhook provisioner: the request', () => {
  it('POSTs the step as JSON, signed over the raw body, with the Idempotency-Key', async () => {
    const server = await serve(status(202));
    const hook = hookAt(server.url);
    const step = stepFor(hook);
    const result = await deliver(hook, step);
    expect(result).toMatchObject({
      status: 'applied',
      attempts: 1,
      provisioner: 'webhook:broker',
      app: 'standup-notes-bot',
      action: 'create',
      idempotencyKey: step.idempotencyKey,
    });
    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    expect(got.signatureValid, 'the server verified the signature over the bytes it received').toBe(true);
    expect(verifySignature(SECRET, got.raw, got.headers['x-microapps-signature-256'] as string)).toBe(true);
    expect(verifySignature('another-secret', got.raw, got.headers['x-microapps-signature-256'] as string)).toBe(false);
    expect(got.headers['idempotency-key']).toBe(step.idempotencyKey);
    expect(got.headers['content-type']).toBe('application/json');
    const body = JSON.parse(got.raw.toString('utf8'));
    expect(body).toMatchObject({
      provisioner: 'webhook:broker',
      app: 'standup-notes-bot',
      action: 'create',
      idempotency_key: step.idempotencyKey,
    });
    expect(body.payload.grants).toEqual([
      { connector: 'slack_post_messages', scopes: ['channels:read', 'chat:write'], rate_limit: '50/minute' },
    ]);
  });

  it('a missing secret fails the step clearly, sends nothing, and names only the variable', async () => {
    const server = await serve(status(200));
    const hook = hookAt(server.url);
    const result = await deliver(hook, stepFor(hook), undefined, {});
    expect(result).toMatchObject({ status: 'failed', attempts: 0 });
    expect(result.detail).toContain('HOOK_SECRET is not set');
    expect(server.received).toHaveLength(0);
  });

  it('never puts the secret into a result, even when the receiver echoes it', async () => {
    const server = await serve(status(400, {}, `bad signature for secret ${SECRET}`));
    const hook = hookAt(server.url);
    const result = await deliver(hook, stepFor(hook));
    expect(result.status).toBe('failed');
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result.detail).toContain('[redacted]');
  });
});

describe('webhook provisioner: retries', () => {
  it('retries a 500 and succeeds, with the same body, signature and key each time', async () => {
    const server = await serve(status(500, {}, 'database unavailable'), status(200));
    const hook = hookAt(server.url);
    const { sleeps, transport } = recordingSleep();
    const result = await deliver(hook, stepFor(hook), transport);
    expect(result).toMatchObject({ status: 'applied', attempts: 2 });
    expect(server.received).toHaveLength(2);
    const [a, b] = server.received as [Received, Received];
    expect(b.raw.equals(a.raw)).toBe(true);
    expect(b.signatureValid && a.signatureValid).toBe(true);
    expect(b.headers['idempotency-key']).toBe(a.headers['idempotency-key']);
    expect(sleeps).toHaveLength(1);
  });

  it('backs off exponentially, with jitter, and gives up after the configured retries', async () => {
    const server = await serve(status(503));
    const hook = hookAt(server.url, { retries: 3 });
    const sleeps: number[] = [];
    const result = await deliver(hook, stepFor(hook), {
      sleep: async (ms) => void sleeps.push(ms),
      baseDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.5,
    });
    expect(result).toMatchObject({ status: 'failed', attempts: 4 });
    expect(result.detail).toContain('answered 503');
    expect(result.detail).toContain('Gave up after 4 attempts');
    expect(server.received).toHaveLength(4);
    // Equal jitter: half of 100, 200, 400 ms fixed, half random (0.5 here).
    expect(sleeps).toEqual([75, 150, 300]);
  });

  it('honours Retry-After on a 429 (seconds) and on a 503 (HTTP date)', async () => {
    const server = await serve(
      status(429, { 'retry-after': '2' }),
      status(503, { 'retry-after': new Date(Date.now() + 5000).toUTCString() }),
      status(200),
    );
    const hook = hookAt(server.url);
    const { sleeps, transport } = recordingSleep();
    const result = await deliver(hook, stepFor(hook), transport);
    expect(result).toMatchObject({ status: 'applied', attempts: 3 });
    expect(sleeps[0]).toBe(2000);
    expect(sleeps[1]).toBeGreaterThan(2000);
    expect(sleeps[1]).toBeLessThanOrEqual(5000);
  });

  it('gives up at once when Retry-After asks for longer than the job waits', async () => {
    const server = await serve(status(429, { 'retry-after': '3600' }));
    const hook = hookAt(server.url);
    const { sleeps, transport } = recordingSleep();
    const result = await deliver(hook, stepFor(hook), { ...transport, maxRetryAfterMs: 60_000 });
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.detail).toContain('retry after 3600 s');
    expect(sleeps).toEqual([]);
  });

  it('does not retry a 400: the request itself was refused', async () => {
    const server = await serve(status(400, {}, '{"error":"unknown app"}'), status(200));
    const hook = hookAt(server.url);
    const result = await deliver(hook, stepFor(hook));
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.detail).toContain('answered 400: "{"error":"unknown app"}". Not retried');
    expect(server.received).toHaveLength(1);
  });

  it('does not follow a redirect with the signed request', async () => {
    const target = await serve(status(200));
    const server = await serve(status(307, { location: target.url }));
    const hook = hookAt(server.url);
    const result = await deliver(hook, stepFor(hook));
    expect(result).toMatchObject({ status: 'failed', attempts: 1 });
    expect(result.detail).toContain('redirect');
    expect(target.received).toHaveLength(0);
  });

  it('times out a receiver that does not answer, and retries it', async () => {
    const server = await serve(hang);
    const hook = hookAt(server.url, { timeoutMs: 100, retries: 1 });
    const started = Date.now();
    const result = await deliver(hook, stepFor(hook));
    expect(result).toMatchObject({ status: 'failed', attempts: 2 });
    expect(result.detail).toContain('did not answer within 0.1 s');
    expect(server.received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('retries a refused connection, then reports it in plain words', async () => {
    const server = await serve(status(200));
    const closed = servers.pop()!;
    closed.closeAllConnections();
    await new Promise((resolve) => closed.close(resolve));
    const hook = hookAt(server.url, { retries: 2 });
    const { sleeps, transport } = recordingSleep();
    const result = await deliver(hook, stepFor(hook), transport);
    expect(result).toMatchObject({ status: 'failed', attempts: 3 });
    expect(result.detail).toContain('could not be reached (ECONNREFUSED)');
    expect(sleeps).toHaveLength(2);
  });
});

describe('applyProvisioning with a webhook', () => {
  it('sends the same idempotency key and body when the same merge is applied again', async () => {
    const server = await serve(status(200));
    const hook = hookAt(server.url);
    const manifest = app('standup-notes-bot');
    const plan = () =>
      planProvisioning(
        { webhooks: [hook] },
        [appChange('registry/it/standup-notes-bot.yaml', 'added', manifest)],
        { catalog },
        { keyScope: 'merge-abc' },
      );
    const first = await applyProvisioning(plan(), { env: ENV });
    const second = await applyProvisioning(plan(), { env: ENV });
    expect(first.results.map((r) => r.status)).toEqual(['applied']);
    expect(second.results.map((r) => r.status)).toEqual(['applied']);
    const [a, b] = server.received as [Received, Received];
    expect(b.headers['idempotency-key']).toBe(a.headers['idempotency-key']);
    expect(b.raw.equals(a.raw)).toBe(true);
    // With the keys already recorded (the audit log), nothing is sent a third time.
    const third = await applyProvisioning(plan(), { env: ENV, done: new Set([first.results[0]!.idempotencyKey]) });
    expect(third.results).toMatchObject([{ status: 'unchanged' }]);
    expect(server.received).toHaveLength(2);
  });

  it('runs the gateway and the webhooks, one result per step in plan order; a failure stays a result', async () => {
    const ok = await serve(status(200));
    const broken = await serve(status(400));
    const config = {
      gateway: { format: 'kong' as const, output: 'generated/gateway/kong.yaml', upstreamUrl: 'https://{connector}.internal' },
      webhooks: [hookAt(ok.url, { name: 'first' }), hookAt(broken.url, { name: 'second' })],
    };
    const manifest = app('standup-notes-bot');
    const plan = planProvisioning(config, [appChange('registry/it/standup-notes-bot.yaml', 'added', manifest)], {
      catalog,
      apps: [manifest],
    });
    const outcome = await applyProvisioning(plan, { env: ENV, files: new Map() });
    expect(outcome.results.map((r) => `${r.provisioner} ${r.status}`)).toEqual([
      'gateway applied',
      'webhook:first applied',
      'webhook:second failed',
    ]);
    expect(outcome.files.map((f) => f.path)).toEqual(['generated/gateway/kong.yaml']);
    expect(outcome.files[0]!.content).toContain('username: standup-notes-bot');
  });
});
