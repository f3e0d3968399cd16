/**
 * The serverless handler (src/app/hosting/serverless.ts): signed deliveries with GitHub's real payload
 * shapes go straight to the handler, no HTTP server. GitHub's API is mocked with nock and
 * network access is off (useGitHubMock), so any call the App made would fail the test: none
 * of these deliveries may reach GitHub.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import type { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookHandler, handleFetchRequest, handleWebhook, toFetchHandler } from '../../src/app/hosting/serverless.js';
import nock from 'nock';
import { API, useGitHubMock } from '../adapters/github/mock-github.js';
import { capturingLogger, type LogLine } from './app-server.js';
import { examplePayload } from './deliveries.js';
import { installationToken } from './github-bodies.js';
import { OWNER, PRS, REPO, serveToken } from './serve-evaluation.js';

const github = useGitHubMock();
const SECRET = 'serverless-test-secret';
let credentials: NodeJS.ProcessEnv = {};

/** A pull_request.edited delivery that changes only the title: the App ignores it without a call. */
function titleEdit(): string {
  const payload = examplePayload('pull_request', 'opened');
  payload.action = 'edited';
  payload.changes = { title: { from: 'old title' } };
  return JSON.stringify(payload);
}

async function signedHeaders(body: string, secret = SECRET): Promise<Record<string, string>> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'pull_request',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': await sign(secret, body),
  };
}

const saved: Record<string, string | undefined> = {};
beforeAll(() => {
  const privateKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  credentials = { APP_ID: '123456', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'fatal' };
  // handleWebhook and handleFetchRequest read process.env on their first delivery.
  for (const [name, value] of Object.entries(credentials)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  delete process.env.PRIVATE_KEY_PATH;
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('serverless handler: { headers, body } in, { status, body } out', () => {
  it('a signed pull_request.edited delivery without a base change: 200, and no call to GitHub', async () => {
    const body = titleEdit();
    const res = await handleWebhook({ headers: await signedHeaders(body), body });
    expect(res, res.body).toEqual({ status: 200, body: '{"ok":true}' });
    expect(github.requests).toEqual([]);
  });

  it('header names in any case, and repeated headers, are understood', async () => {
    const body = titleEdit();
    const lower = await signedHeaders(body);
    const headers = {
      'X-GitHub-Event': [lower['x-github-event']!],
      'X-GITHUB-DELIVERY': lower['x-github-delivery'],
      'X-Hub-Signature-256': lower['x-hub-signature-256'],
    };
    const res = await handleWebhook({ headers, body });
    expect(res.status, res.body).toBe(200);
  });

  it('a wrong or missing signature is refused with 401, before the App sees the delivery', async () => {
    const body = titleEdit();
    const forged = await handleWebhook({ headers: await signedHeaders(body, 'not-the-secret'), body });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body).error).toMatch(/signature/);

    const tampered = await handleWebhook({ headers: await signedHeaders(body), body: body.replace('old title', 'new title') });
    expect(tampered.status).toBe(401);

    const { 'x-hub-signature-256': _, ...unsigned } = await signedHeaders(body);
    const missing = await handleWebhook({ headers: unsigned, body });
    expect(missing.status).toBe(401);
    expect(missing.body).toContain('X-Hub-Signature-256');
    expect(github.requests).toEqual([]);
  });

  it('missing X-GitHub-Event or X-GitHub-Delivery: 400', async () => {
    const body = titleEdit();
    const { 'x-github-event': _event, 'x-github-delivery': _id, ...rest } = await signedHeaders(body);
    const res = await handleWebhook({ headers: rest, body });
    expect(res.status).toBe(400);
    expect(res.body).toContain('X-GitHub-Event, X-GitHub-Delivery');
  });

  it('a correctly signed body that is not JSON: 400', async () => {
    const body = 'not json';
    const res = await handleWebhook({ headers: await signedHeaders(body), body });
    expect(res.status, res.body).toBe(400);
  });

  it('the App is loaded once per handler, not per delivery', async () => {
    let loads = 0;
    const handler = createWebhookHandler({ env: credentials, app: () => void loads++ });
    for (let i = 0; i < 3; i++) {
      const body = titleEdit();
      expect((await handler({ headers: await signedHeaders(body), body })).status).toBe(200);
    }
    expect(loads).toBe(1);
  });

  it('the App failing on a delivery: 500 naming the delivery, with the details left to the logs', async () => {
    const handler = createWebhookHandler({
      env: credentials,
      app: (app: Probot) => app.on('pull_request', () => Promise.reject(new Error('internal detail'))),
    });
    const body = titleEdit();
    const headers = await signedHeaders(body);
    const res = await handler({ headers, body });
    expect(res.status).toBe(500);
    expect(res.body).toContain(headers['x-github-delivery']);
    expect(res.body).not.toContain('internal detail');
  });

  it('without credentials: 500 naming the missing variables, never their values', async () => {
    const handler = createWebhookHandler({ env: { WEBHOOK_SECRET: SECRET } });
    const body = titleEdit();
    const res = await handler({ headers: await signedHeaders(body), body });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).error).toBe(
      'the App is not configured: missing environment variables: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH)',
    );
    expect(res.body).not.toContain(SECRET);
    expect(github.requests).toEqual([]);
  });
});

describe('serverless handler: Fetch API Request and Response', () => {
  const post = (headers: Record<string, string>, body: string) =>
    new Request('https://functions.example.com/api/github/webhooks', { method: 'POST', headers, body });

  it('a signed delivery the App ignores: 200, no call to GitHub', async () => {
    const body = titleEdit();
    const res = await handleFetchRequest(post(await signedHeaders(body), body));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true });
    expect(github.requests).toEqual([]);
  });

  it('a bad signature: 401; a GET: 405', async () => {
    const body = titleEdit();
    const forged = await handleFetchRequest(post(await signedHeaders(body, 'not-the-secret'), body));
    expect(forged.status).toBe(401);
    const get = await handleFetchRequest(new Request('https://functions.example.com/api/github/webhooks'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(github.requests).toEqual([]);
  });

  it('wraps any handler, passing the headers and the raw body through', async () => {
    const seen: Array<{ headers: unknown; body: string }> = [];
    const fetchHandler = toFetchHandler(async (request) => {
      seen.push(request);
      return { status: 202, body: '{"seen":true}' };
    });
    const res = await fetchHandler(post({ 'X-GitHub-Event': 'ping', 'content-type': 'application/json' }, ' {"raw": true} '));
    expect(res.status).toBe(202);
    expect(seen).toEqual([{ headers: { 'x-github-event': 'ping', 'content-type': 'application/json' }, body: ' {"raw": true} ' }]);
  });
});

describe('serverless handler: the same webhook boundary as the server', () => {
  const TOKEN = installationToken().token as string;

  it('a wrong signature: 401 and one warning line, no stack trace', async () => {
    const logs: LogLine[] = [];
    const handler = createWebhookHandler({ env: credentials, log: capturingLogger(logs) });
    const body = titleEdit();
    const res = await handler({ headers: await signedHeaders(body, 'not-the-secret'), body });
    expect(res.status).toBe(401);
    const lines = logs.filter((l) => l.level !== 'info');
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(lines[0]!.msg).toMatch(/refused: its signature does not match/);
    expect(lines[0]!.raw).not.toMatch(/stack/);
  });

  it("GitHub's 403 quoting the Authorization header: 500, a neutral body, the token in neither body nor log", async () => {
    const logs: LogLine[] = [];
    const handler = createWebhookHandler({ env: credentials, log: capturingLogger(logs) });
    const echo = {
      message: `Forbidden. Request headers: {"authorization":"token ${TOKEN}"}`,
      documentation_url: 'https://docs.github.com/rest',
    };
    serveToken(github);
    github.reply('GET', PRS, 403, echo, { undescribedAnswer: true });
    nock(API).post(`/repos/${OWNER}/${REPO}/check-runs`).reply(403, echo);
    const body = JSON.stringify(examplePayload('pull_request', 'opened'));
    const headers = await signedHeaders(body);

    const res = await handler({ headers, body });

    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: `the App could not handle delivery ${headers['x-github-delivery']}; see its logs` });
    const logged = logs.map((l) => l.raw).join('\n');
    expect(logged).toContain('[redacted]');
    expect(`${res.body}\n${logged}`).not.toContain(TOKEN);
  });
});
