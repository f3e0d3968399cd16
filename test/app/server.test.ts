/**
 * `npm start` (src/app/hosting/server.ts) as a real process: compiled as `npm run build:app` does, then
 * started with `node` in a temporary working directory holding copies of app.yml and
 * package.json (where Probot's setup reads them, and where it would write .env), with an
 * environment of our own, so a developer's .env or shell variables cannot leak in.
 * The setup page must not reach the network: every run sets WEBHOOK_PROXY_URL or
 * NO_SMEE_SETUP=true (Probot would otherwise create a smee.io channel).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths.js';

const OUT_DIR = join(REPO_ROOT, 'dist', 'app-server');
const SERVER = join(OUT_DIR, 'app', 'hosting', 'server.js');
const STARTUP_MS = 20_000;

let workDir = '';
let privateKey = '';
const running: ChildProcess[] = [];

beforeAll(() => {
  // What `npm run build:app` does; the schema validators are generated only when missing, since
  // rewriting them under src/ could race with other test files importing them.
  if (!existsSync(join(REPO_ROOT, 'src/core/schemas/generated/validators.js'))) {
    run(process.execPath, [join(REPO_ROOT, 'scripts/compile-schemas.mjs')]);
  }
  rmSync(SERVER, { force: true });
  const tsc = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', OUT_DIR],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  // Type errors are `npm run typecheck`'s to report; this test needs the emitted server.
  if (!existsSync(SERVER)) throw new Error(`tsc did not emit ${SERVER}:\n${tsc.stdout}\n${tsc.stderr}`);

  workDir = mkdtempSync(join(tmpdir(), 'microapps-server-'));
  copyFileSync(join(REPO_ROOT, 'app.yml'), join(workDir, 'app.yml'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(workDir, 'package.json'));
  privateKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
}, 120_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map(stop));
  rmSync(join(workDir, '.env'), { force: true });
});

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

/** Only what the server needs: nothing from the test runner's own environment. */
function serverEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: workDir, NODE_ENV: 'development', HOST: '127.0.0.1', LOG_FORMAT: 'json', ...extra };
}

/** A port nothing listens on (Probot's setup server cannot bind port 0, so the test picks one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Answer {
  status: number;
  headers: NodeJS.Dict<string | string[]>;
  body: string;
}

/**
 * GET with node:http, which sends "Host: 127.0.0.1:<port>" as a browser would: Probot's setup
 * builds the manifest's redirect URL from it. (No nock in this file to intercept it.)
 */
function httpGet(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** POST with node:http (as GitHub delivers), for the webhook path. */
function httpPost(port: number, path: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Started {
  port: number;
  output: () => string;
  /** Settles once the server's output includes `text` (it may still be in the pipe when a request is answered). */
  printed(text: string): Promise<void>;
  get(path: string): Promise<Answer>;
}

/** Starts the compiled server and waits until GET /healthz answers. */
async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    cwd: workDir,
    env: serverEnv({ PORT: String(port), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const w of waiting.splice(0)) (output.includes(w.text) ? w.resolve : () => waiting.push(w))();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const printed = (text: string) => new Promise<void>((resolve) => (output.includes(text) ? resolve() : waiting.push({ text, resolve })));
  const get = (path: string) => httpGet(port, path);
  // Polled until it answers or the process exits: the test's own timeout bounds a server that hangs.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await get('/healthz')).status === 200) return { port, output: () => output, printed, get };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Runs the server to its end (it must exit by itself) and returns its exit code and output. */
async function runToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; port: number }> {
  const port = await freePort();
  const result = spawnSync(process.execPath, [SERVER], {
    cwd: workDir,
    env: serverEnv({ PORT: String(port), ...env }),
    encoding: 'utf8',
    timeout: STARTUP_MS,
  });
  return { code: result.status, stderr: result.stderr, port };
}

/** The manifest the setup page POSTs to GitHub: the value of its form's "manifest" button. */
function manifestOf(html: string): Record<string, any> {
  const value = /name="manifest" id="manifest" value='([^']*)'/.exec(html)?.[1];
  if (value === undefined) throw new Error(`no manifest field in the page:\n${html.slice(0, 2000)}`);
  return JSON.parse(value) as Record<string, any>;
}

describe("npm start without credentials, outside production: Probot's setup page", () => {
  it('GET /probot serves the page that registers the App from app.yml; GET /healthz answers', async () => {
    const proxy = 'https://smee.io/microapps-test-channel';
    const server = await start({ WEBHOOK_PROXY_URL: proxy, GH_ORG: 'example-org' });

    const health = await server.get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', mode: 'setup' });

    const page = await server.get('/probot');
    expect(page.status, page.body).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body, "the form posts to GitHub's App registration for the organization").toContain(
      'action="https://github.com/organizations/example-org/settings/apps/new"',
    );

    const appYml = parseYaml(readFileSync(join(REPO_ROOT, 'app.yml'), 'utf8')) as Record<string, any>;
    const manifest = manifestOf(page.body);
    expect(manifest).toMatchObject({
      name: appYml.name,
      description: appYml.description,
      url: appYml.url,
      public: false,
      default_permissions: appYml.default_permissions,
      default_events: appYml.default_events,
      redirect_url: `http://127.0.0.1:${server.port}/probot/setup`,
      // No hook_attributes in app.yml: Probot fills in the webhook proxy channel for local trials.
      hook_attributes: { url: proxy },
    });

    expect((await server.get('/')).status, 'the root redirects to the setup page').toBe(302);
  });

  it('app.yml asks for the least permissions that work and the five events the App answers', () => {
    const appYml = parseYaml(readFileSync(join(REPO_ROOT, 'app.yml'), 'utf8')) as Record<string, any>;
    expect(appYml.default_permissions).toEqual({
      // write: the audit commit that records a merge (createCommitOnBranch).
      contents: 'write',
      pull_requests: 'write',
      checks: 'write',
      issues: 'write',
      members: 'read',
      metadata: 'read',
    });
    expect(appYml.default_events).toEqual(['pull_request', 'pull_request_review', 'check_run', 'check_suite', 'push']);
    expect(appYml.public).toBe(false);
  });

  it('with NO_SMEE_SETUP=true and no proxy, the webhook URL is this server (and no smee channel is made)', async () => {
    const server = await start({ NO_SMEE_SETUP: 'true' });
    const manifest = manifestOf((await server.get('/probot')).body);
    expect(manifest.hook_attributes).toEqual({ url: `http://127.0.0.1:${server.port}/` });
    expect(existsSync(join(workDir, '.env')), 'no smee channel was written to .env').toBe(false);
  });
});

describe('npm start with credentials: the App', () => {
  it('GET /healthz answers; there is no setup page', async () => {
    const server = await start({ APP_ID: '123456', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 'test-secret' });
    expect(await server.get('/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect((await server.get('/probot')).status).toBe(404);
    expect(server.output()).toContain(`listening on 127.0.0.1:${server.port}`);
  });

  it('a delivery with a wrong signature: 401, and the log has one warning line for it, without a stack trace', async () => {
    const server = await start({ APP_ID: '123456', PRIVATE_KEY: privateKey, WEBHOOK_SECRET: 'test-secret' });
    const body = JSON.stringify({ action: 'opened' });
    const res = await httpPost(
      server.port,
      '/api/github/webhooks',
      {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'bad-signature-delivery',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body,
    );

    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error).toMatch(/signature/);
    // The server logged before answering; the line may still be in the pipe.
    await server.printed('bad-signature-delivery');
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.includes('bad-signature-delivery') || /signature/i.test(l));
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as { level: number; msg: string; err?: unknown };
    expect(record.level, 'warn').toBe(40);
    expect(record.msg).toContain('webhook delivery bad-signature-delivery (pull_request) refused');
    expect(record.err).toBeUndefined();
    expect(lines[0]).not.toMatch(/"stack"/);
  });

  it("reads the credentials Probot's setup wrote to .env (after registering, a restart is all it takes)", async () => {
    // The form Probot's updateEnv writes: the PEM in double quotes with its newlines escaped.
    const escapedKey = privateKey.trim().replace(/\n/g, '\\n');
    writeFileSync(join(workDir, '.env'), `APP_ID=123456\nPRIVATE_KEY="${escapedKey}"\nWEBHOOK_SECRET=from-dot-env\n`);
    const server = await start({ NO_SMEE_SETUP: 'true' });
    expect(await server.get('/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect((await server.get('/probot')).status).toBe(404);
  });
});

describe('npm start with missing configuration', () => {
  it('production without credentials exits non-zero naming the variables, with no setup page', async () => {
    const result = await runToExit({ NODE_ENV: 'production' });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toContain('missing environment variables: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH), WEBHOOK_SECRET');
    expect(result.stderr).toContain('NODE_ENV=production');
  });

  it('production with only the secret names just what is missing', async () => {
    const result = await runToExit({ NODE_ENV: 'production', APP_ID: '123456', WEBHOOK_SECRET: 'test-secret' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('missing environment variables: PRIVATE_KEY (or PRIVATE_KEY_PATH).');
    expect(result.stderr).not.toContain('test-secret');
  });

  it('registered but without a webhook secret: exits naming WEBHOOK_SECRET (never the "development" default)', async () => {
    const result = await runToExit({ APP_ID: '123456', PRIVATE_KEY: privateKey });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('missing environment variables: WEBHOOK_SECRET.');
    expect(result.stderr).not.toContain('PRIVATE KEY');
  });
});
