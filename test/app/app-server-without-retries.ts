/**
 * The App behind its real HTTP front, like useAppServer (app-server.ts), but with Probot's retry
 * plugin off too, for scenarios that make thousands of GitHub requests in one evaluation (the
 * 5,000-file pull request).
 *
 * Why: the retry plugin schedules every request through a fresh Bottleneck limiter, which costs
 * a few setTimeout(0) turns per request; against nock that makes 5,000 blob reads take several
 * seconds longer (measured: about 13 s instead of 8 s for the 5,000-app scenario). Nothing
 * fails in these scenarios, so nothing is retried; the retry path has its own tests
 * (approval-check.test.ts). Throttling is off as in app-server.ts, through a defaults
 * *function*: Probot passes its own throttle options to the constructor, which override a
 * defaults object.
 *
 * Everything else is as in useAppServer: signed deliveries over a plain socket to Probot's
 * middleware (src/app/http.ts) on an ephemeral port, a fresh Probot and server per test.
 * (If useAppServer took Octokit options, this file could go.)
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign } from '@octokit/webhooks-methods';
import { Probot, ProbotOctokit } from 'probot';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { createRequestListener } from '../../src/app/http.js';
import { APP_ID, WEBHOOK_PATH, WEBHOOK_SECRET, type AppServer } from './app-server.js';
import { rawRequest } from './raw-http.js';

type OctokitOptions = Record<string, any>;

/** Probot's Octokit with throttling and retries switched off. */
export const OctokitWithoutRetries = ProbotOctokit.defaults((options: OctokitOptions) => ({
  ...options,
  throttle: { ...(options?.throttle as OctokitOptions | undefined), enabled: false },
  retry: { ...(options?.retry as OctokitOptions | undefined), enabled: false },
}));

export function useAppServerWithoutRetries(): AppServer {
  let server: Server | undefined;
  let port = 0;
  let privateKey = '';

  beforeAll(() => {
    privateKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey;
  });
  beforeEach(async () => {
    const probot = new Probot({ appId: APP_ID, privateKey, secret: WEBHOOK_SECRET, logLevel: 'fatal', Octokit: OctokitWithoutRetries });
    server = createServer(await createRequestListener(probot));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    const closing = server;
    server = undefined;
    await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
  });

  return {
    get port() {
      return port;
    },
    async deliver(event, payload, options = {}) {
      const body = JSON.stringify(payload);
      const id = options.id ?? randomUUID();
      const signature = options.signature ?? (await sign(options.secret ?? WEBHOOK_SECRET, body));
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': id,
        'user-agent': 'GitHub-Hookshot/test',
      };
      if (signature) headers['x-hub-signature-256'] = signature;
      const res = await rawRequest(port, 'POST', WEBHOOK_PATH, headers, body);
      return { status: res.status, body: res.body, id };
    },
    async get(path) {
      const res = await rawRequest(port, 'GET', path);
      return { status: res.status, body: res.body };
    },
  };
}
