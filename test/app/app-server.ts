/**
 * The App behind its real HTTP front (src/app/hosting/http.ts: the webhook boundary and
 * /healthz) on an ephemeral port, with a test App id, webhook secret and a freshly generated
 * RSA private key (PKCS#1 PEM, as GitHub issues them). `deliver` POSTs a payload signed with
 * the secret (X-Hub-Signature-256, @octokit/webhooks-methods) over a plain socket (raw-http.ts)
 * and returns the answer.
 * Probot is built with the App's own Octokit (src/app/hosting/octokit.ts: rate limits waited out, writes
 * serialised per installation) whose waits go to an injected sleep that records them and returns
 * at once (`sleeps`), and Probot's retry plugin waits nothing between tries, so tests stay fast.
 * Each test gets a fresh Probot (its installation token cache starts empty, so every test sees
 * the token request) and server.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { sign } from '@octokit/webhooks-methods';
import { pino } from 'pino';
import { Probot, type ApplicationFunction } from 'probot';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { createRequestListener } from '../../src/app/hosting/http.js';
import { createAppOctokit } from '../../src/app/hosting/octokit.js';
import { rawRequest } from './raw-http.js';

export const APP_ID = 123456;
export const WEBHOOK_SECRET = 'test-webhook-secret';
export const WEBHOOK_PATH = '/api/github/webhooks';

export interface Delivery {
  status: number;
  body: string;
  id: string;
}

export interface LogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  /** The whole JSON line as the logger wrote it (error fields and stack included). */
  raw: string;
}

export interface AppServer {
  readonly port: number;
  /** What the App logged in this test, in order (info and above; empty unless `logs: true`). */
  readonly logs: LogLine[];
  /** The waits the App's Octokit asked for in this test (rate limits, write spacing), in ms. */
  readonly sleeps: number[];
  deliver(event: string, payload: unknown, options?: { id?: string; secret?: string; signature?: string }): Promise<Delivery>;
  get(path: string): Promise<{ status: number; body: string }>;
}

export interface AppServerOptions {
  /**
   * Keep Probot's retry plugin (default true). Off for scenarios that make thousands of GitHub
   * requests in one evaluation: the plugin schedules each request through a fresh limiter,
   * a few timer turns each (measured: 13 s instead of 8 s for the 5,000-app scenario).
   */
  retries?: boolean;
  /** Capture the App's log (info and above) in `logs` instead of discarding it. */
  logs?: boolean;
  /** The App to serve (default: src/app/index.ts's). */
  app?: () => ApplicationFunction;
  /** Least time between two writes of one installation (default 0: one after the other, no gap). */
  writeGapMs?: number;
  /** Called by the injected sleep with each wait, before it returns (default: returns at once). */
  sleep?: (ms: number) => Promise<void>;
  /** The clock the rate-limit waits are measured by (default: the real one). */
  now?: () => number;
}

const LEVELS: Record<number, LogLine['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A pino logger writing JSON lines into `logs` (pino is Probot's logger; a devDependency for this). */
export function capturingLogger(logs: LogLine[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const record = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
        logs.push({ level: LEVELS[record.level] ?? 'info', msg: record.msg ?? record.err?.message ?? '', raw: line });
      }
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

export function useAppServer(options: AppServerOptions = {}): AppServer {
  let server: Server | undefined;
  let port = 0;
  let privateKey = '';
  const logs: LogLine[] = [];
  const sleeps: number[] = [];

  beforeAll(() => {
    privateKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    }).privateKey;
  });
  beforeEach(async () => {
    logs.length = 0;
    sleeps.length = 0;
    const AppOctokit = createAppOctokit({
      // Writes one after the other per installation, as in production, but not a second apart.
      writeGapMs: options.writeGapMs ?? 0,
      ...(options.now ? { now: options.now } : {}),
      sleep: async (ms) => {
        sleeps.push(ms);
        await options.sleep?.(ms);
      },
    });
    const probot = new Probot({
      appId: APP_ID,
      privateKey,
      secret: WEBHOOK_SECRET,
      ...(options.logs ? { log: capturingLogger(logs) } : { logLevel: 'fatal' as const }),
      Octokit: AppOctokit.defaults((octokit: Record<string, any>) => ({
        ...octokit,
        retry: { ...octokit.retry, retryAfterBaseValue: 0, ...(options.retries === false ? { enabled: false } : {}) },
      })),
    });
    server = createServer(await createRequestListener(probot, undefined, options.app?.()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    const closing = server;
    server = undefined;
    await new Promise<void>((resolve) => (closing ? closing.close(() => resolve()) : resolve()));
  });

  return {
    logs,
    sleeps,
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
