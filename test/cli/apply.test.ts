/**
 * `microapps apply` on real temp git repositories: a merge is provisioned (the gateway file,
 * a signed webhook to a real local HTTP server) and recorded in the audit log in one commit,
 * SSH-signed and checked by `git verify-commit`; `audit verify` passes afterwards. Re-runs
 * record nothing twice, a failing webhook is recorded, and two applies racing for the same
 * branch leave a linear, valid log.
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSeededRepo, isolatedEnv, makeTempDir, useTempRepos, type GitRepo } from '../helpers/git-repo.js';
import { CLI_BIN } from '../helpers/paths.js';
import { fixture } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

const SANDBOX_APP = 'registry/it/standup-notes-bot.yaml';

interface Registry {
  repo: GitRepo;
  key: string;
  env: NodeJS.ProcessEnv;
}

/** A seeded registry with the gateway configured, an audit key registered and SSH signing on, as an audit operator sets it up. */
function registry(provisioners = 'gateway:\n  enabled: true\n'): Registry {
  const repo = createSeededRepo();
  repo.write('policies/provisioners.yaml', provisioners);
  const key = join(makeTempDir('microapps-keys-'), 'audit-key');
  const keygen = runCli(['audit', 'keygen', '--root', repo.dir, '--key-id', 'audit-test', '--out', key, '--valid-from', '2020-01-01']);
  expect(keygen.code, keygen.describe()).toBe(0);
  repo.commit('provisioners and the audit key');
  repo.git('config', 'gpg.format', 'ssh');
  repo.git('config', 'gpg.ssh.allowedSignersFile', repo.path('audit/allowed_signers'));
  return { repo, key, env: { MICROAPPS_AUDIT_KEY: key } };
}

/** Merges a branch writing `files` into main (a merge commit); returns before and after. */
function merge(repo: GitRepo, branch: string, files: Record<string, string>, remove: string[] = []): { before: string; after: string } {
  const before = repo.sha('main');
  repo.git('checkout', '-q', '-b', branch, 'main');
  repo.writeAll(files);
  for (const p of remove) repo.remove(p);
  repo.commit(`change on ${branch}`);
  repo.git('checkout', '-q', 'main');
  repo.git('merge', '-q', '--no-ff', '--no-edit', branch);
  return { before, after: repo.sha('main') };
}

const apply = (r: Registry, before: string, after: string, ...extra: string[]) =>
  runCli(['apply', '--root', r.repo.dir, '--before', before, '--after', after, ...extra], { env: r.env });

/** The same, without blocking this process (a local HTTP server must answer meanwhile). */
function applyAsync(
  r: Registry,
  before: string,
  after: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [CLI_BIN, 'apply', '--root', r.repo.dir, '--before', before, '--after', after, '--branch', 'main', '--format', 'json'],
      {
        env: isolatedEnv({ ...r.env, ...env }),
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const logLines = (repo: GitRepo, ref = 'main') =>
  repo
    .git('show', `${ref}:audit/log.jsonl`)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, any>);

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('apply: a merge is provisioned and recorded', () => {
  it('records one entry per app change and the gateway state in one SSH-signed commit that git verify-commit accepts; audit verify passes', () => {
    const r = registry();
    const { before, after } = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });

    const result = apply(r, before, after);

    expect(result.code, result.describe()).toBe(0);
    expect(result.stdout).toContain('added standup-notes-bot: auto-approved');
    expect(result.stdout).toMatch(/Recorded 1 audit entry \(#1\) in [0-9a-f]{7}, signed\./);
    const commit = r.repo.sha('main');
    expect(r.repo.git('rev-parse', 'main^').trim(), 'the record goes on top of the merge').toBe(after);
    expect(r.repo.git('log', '-1', '--format=%G?|%ce|%s', 'main').trim()).toBe(
      `G|audit@microapps.invalid|audit: record 1 app change of ${after.slice(0, 7)}`,
    );
    const [entry] = logLines(r.repo);
    expect(entry).toMatchObject({
      seq: 1,
      event: 'registered',
      app: 'standup-notes-bot',
      path: SANDBOX_APP,
      commit: after,
      decision: 'auto_approve',
      pull_request: null,
    });
    expect(entry!.manifest_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(entry!.provisioning).toEqual([expect.objectContaining({ provisioner: 'gateway', status: 'applied' })]);
    const kong = r.repo.git('show', 'main:generated/gateway/kong.yaml');
    expect(kong).toContain('username: standup-notes-bot');
    expect(r.repo.git('show', '--stat', '--format=', commit).trim()).toMatch(
      /audit\/checkpoints\.jsonl[\s\S]*audit\/log\.jsonl[\s\S]*generated\/gateway\/kong\.yaml/,
    );
    const verify = runCli(['audit', 'verify', '--root', r.repo.dir]);
    expect(verify.code, verify.describe()).toBe(0);
    expect(r.repo.read('audit/log.jsonl'), 'the checked-out branch follows').toBe(r.repo.git('show', 'main:audit/log.jsonl'));
  });

  it('a removal is recorded and the app leaves the gateway state', () => {
    const r = registry();
    const added = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });
    expect(apply(r, added.before, added.after).code).toBe(0);
    const removed = merge(r.repo, 'remove-bot', {}, [SANDBOX_APP]);

    const result = apply(r, removed.before, removed.after);

    expect(result.code, result.describe()).toBe(0);
    expect(logLines(r.repo).map((e) => [e.seq, e.event, e.app, e.manifest_hash === null])).toEqual([
      [1, 'registered', 'standup-notes-bot', false],
      [2, 'removed', 'standup-notes-bot', true],
    ]);
    expect(r.repo.git('show', 'main:generated/gateway/kong.yaml')).not.toContain('standup-notes-bot');
    expect(runCli(['audit', 'verify', '--root', r.repo.dir]).code).toBe(0);
  });

  it('running apply again records nothing twice', () => {
    const r = registry();
    const { before, after } = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });
    expect(apply(r, before, after).code).toBe(0);
    const head = r.repo.sha('main');

    const again = apply(r, before, after);

    expect(again.code, again.describe()).toBe(0);
    expect(again.stdout).toContain('Nothing to record');
    expect(r.repo.sha('main')).toBe(head);
    expect(logLines(r.repo)).toHaveLength(1);
  });

  it('--dry-run shows the plan and changes nothing', () => {
    const r = registry();
    const { before, after } = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });

    const result = apply(r, before, after, '--dry-run');

    expect(result.code, result.describe()).toBe(0);
    expect(result.stdout).toContain('Would apply');
    expect(result.stdout).toContain('gateway');
    expect(r.repo.sha('main')).toBe(after);
  });

  it('without MICROAPPS_AUDIT_KEY nothing is sent, written or committed, and the message says what to set', () => {
    const r = registry();
    const { before, after } = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });

    const result = runCli(['apply', '--root', r.repo.dir, '--before', before, '--after', after]);

    expect(result.code, result.describe()).toBe(2);
    expect(result.stderr).toContain('MICROAPPS_AUDIT_KEY');
    expect(r.repo.sha('main')).toBe(after);
  });

  it("a manifest merged while invalid (an administrator's direct push) is still recorded, with its file's hash, and not provisioned", () => {
    const r = registry();
    const text = `${fixture('apps/standup-notes-bot.yaml')}not_a_field: 1\n`;
    const { before, after } = merge(r.repo, 'add-broken', { [SANDBOX_APP]: text });

    const result = apply(r, before, after);

    expect(result.code, result.describe()).toBe(0);
    const [entry] = logLines(r.repo);
    expect(entry).toMatchObject({
      event: 'registered',
      decision: 'invalid',
      manifest_hash: `sha256:${createHash('sha256').update(text).digest('hex')}`,
    });
    expect(entry!.provisioning).toEqual([expect.objectContaining({ provisioner: 'gateway', status: 'skipped' })]);
    expect(runCli(['audit', 'verify', '--root', r.repo.dir]).code).toBe(0);
  });

  it('apply refuses a tampered log and writes nothing', () => {
    const r = registry();
    const first = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });
    expect(apply(r, first.before, first.after).code).toBe(0);
    r.repo.write('audit/log.jsonl', r.repo.read('audit/log.jsonl').replace('auto_approve', 'deny'));
    r.repo.commit('someone edits the log');
    const second = merge(r.repo, 'add-hr', { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') });

    const result = apply(r, second.before, second.after);

    expect(result.code, result.describe()).toBe(2);
    expect(result.stderr).toMatch(/audit\/log\.jsonl:1/);
    expect(r.repo.sha('main')).toBe(second.after);
  });
});

describe('apply: webhooks and races', () => {
  it('a signed webhook gets each step; one that keeps failing is recorded as failed in the entry (exit 1), never dropped', async () => {
    const received: Array<{ signature: string | undefined; idempotency: string | undefined; body: string; valid: boolean }> = [];
    let failing = false;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const signature = req.headers['x-microapps-signature-256'] as string | undefined;
        const expected = `sha256=${createHmac('sha256', 'hook-secret').update(body).digest('hex')}`;
        received.push({
          signature,
          idempotency: req.headers['idempotency-key'] as string | undefined,
          body,
          valid: signature === expected,
        });
        res.writeHead(failing ? 500 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const r = registry(
      `gateway:\n  enabled: true\nwebhooks:\n  - name: broker\n    url: http://127.0.0.1:${port}/hook\n    secret_env: HOOK_SECRET\n    timeout_seconds: 2\n    retries: 1\n`,
    );
    const first = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });

    const ok = await applyAsync(r, first.before, first.after, { HOOK_SECRET: 'hook-secret' });

    expect(ok.code, ok.stderr).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]!.valid, 'HMAC-SHA256 over the raw body with the secret').toBe(true);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ app: 'standup-notes-bot' });
    failing = true;
    const second = merge(r.repo, 'add-hr', { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') });

    const failed = await applyAsync(r, second.before, second.after, { HOOK_SECRET: 'hook-secret' });

    expect(failed.code, failed.stderr).toBe(1);
    expect(received.length, 'one try and one retry').toBe(3);
    const entry = logLines(r.repo).at(-1)!;
    expect(entry).toMatchObject({ app: 'team-anniversaries', seq: 2 });
    expect(entry.provisioning).toEqual(
      expect.arrayContaining([expect.objectContaining({ provisioner: 'webhook:broker', status: 'failed' })]),
    );
    expect(JSON.stringify(entry)).not.toContain('hook-secret');
    expect(runCli(['audit', 'verify', '--root', r.repo.dir]).code).toBe(0);
  });

  it('two applies racing for the same branch both land, one after the other: a linear, valid log', async () => {
    const r = registry();
    const a = merge(r.repo, 'add-bot', { [SANDBOX_APP]: fixture('apps/standup-notes-bot.yaml') });
    const b = merge(r.repo, 'add-hr', { 'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml') });

    const [ra, rb] = await Promise.all([applyAsync(r, a.before, a.after), applyAsync(r, b.before, b.after)]);

    expect([ra.code, rb.code], `${ra.stderr}\n${rb.stderr}`).toEqual([0, 0]);
    const entries = logLines(r.repo);
    expect(entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(entries.map((e) => e.app).sort()).toEqual(['standup-notes-bot', 'team-anniversaries']);
    // Linear: main is b's merge, then two audit commits, each on the other.
    expect(r.repo.git('rev-list', '--first-parent', `${b.after}..main`).trim().split('\n')).toHaveLength(2);
    expect(r.repo.git('rev-list', '--merges', `${b.after}..main`).trim()).toBe('');
    expect(runCli(['audit', 'verify', '--root', r.repo.dir]).code).toBe(0);
    expect(r.repo.git('show', 'main:generated/gateway/kong.yaml')).toContain('team-anniversaries');
  });
});
