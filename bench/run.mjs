#!/usr/bin/env node
/**
 * Benchmark of the microapps CLI, as users and CI run it: whole processes, process start
 * included.
 *
 *   npm run bench                      (builds first)
 *   BENCH_RUNS=15 node bench/run.mjs   (runs per scenario, default 7, after one warm-up)
 *   BENCH_KEEP=1 node bench/run.mjs    (keep the generated registries and print their paths)
 *
 * It generates two registries as git repositories in a temporary folder (10,000 apps and
 * 1,000 apps, each with 30 connectors, a policy and an owner directory), asserts that
 * `microapps validate` finds them valid, creates pull-request branches (1 app changed; 50
 * apps added, modified and removed), then times `validate` and `check` and prints the
 * median, min and max against the targets of the spec. The audit log part generates a
 * 100,000-entry log (one append of 100,000; 1,000 appends of 100; 10,000 appends of 10) and
 * times appends (in process, through the core) and `microapps audit verify` (whole processes).
 * Exit code: 0 when every command
 * behaved as expected (even if a figure is over its target: this is a measurement, not a
 * test), 1 when a command failed or the benchmark itself is broken.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  COMMON_CONNECTORS,
  CONNECTORS_BY_ID,
  generateRegistry,
  makeApp,
  newName,
  removeFiles,
  TEAMS,
  writeAppEntry,
  writeFiles,
} from './generate.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, '..', 'bin', 'microapps.js');
const ACTION = join(HERE, '..', 'action', 'dist', 'index.js');
const RUNS = positiveInt(process.env.BENCH_RUNS, 7);
const KEEP = process.env.BENCH_KEEP === '1';
const ONLY = process.env.BENCH_ONLY ?? '';
if (!['', 'audit', 'registry'].includes(ONLY)) {
  process.stderr.write(`bench: BENCH_ONLY must be audit or registry, not "${ONLY}".\n`);
  process.exit(1);
}

const TARGET_VALIDATE_MS = 1500;
const TARGET_CHECK_ONE_MS = 400;
const TARGET_ACTION_MS = 300;

class BenchError extends Error {}

function positiveInt(text, fallback) {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench: BENCH_RUNS must be a positive integer, not "${text}".\n`);
    process.exit(1);
  }
  return n;
}

const log = (text) => process.stderr.write(`${text}\n`);

// ---------------------------------------------------------------------------------------------
// Git, for building the repositories (the CLI runs its own git)

const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0' };

function git(cwd, ...args) {
  try {
    return execFileSync('git', args, { cwd, env: GIT_ENV, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 }).toString(
      'utf8',
    );
  } catch (e) {
    throw new BenchError(`git ${args.join(' ')} failed in ${cwd}:\n${e.stderr?.toString() || e.message}`);
  }
}

function initRepo(dir) {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Bench Bot');
  git(dir, 'config', 'user.email', 'bench@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  git(dir, 'config', 'core.hooksPath', '/dev/null');
  git(dir, 'config', 'gc.auto', '0');
}

function commitAll(dir, message) {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

// ---------------------------------------------------------------------------------------------
// Registries and pull-request branches

/** A registry of `apps` apps committed on `main` in a new folder under `parent`. */
function buildRepo(parent, label, apps, seed) {
  const dir = join(parent, label);
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  const gen = generateRegistry(dir, { apps, seed });
  const written = performance.now();
  initRepo(dir);
  commitAll(dir, `Registry of ${apps} apps`);
  log(`  ${label}: ${gen.files.length} files written in ${ms(written - started)} ms, committed in ${ms(performance.now() - written)} ms`);
  return { dir, ...gen };
}

/** The same app, rewritten to the same path in its format (a modification, not a rename). */
function rewrite(entry, app, r, put) {
  const rewritten = writeAppEntry(entry.team, app, entry.format, r, (_path, kind, value, text) => put(entry.path, kind, value, text));
  return { ...rewritten, path: entry.path };
}

function addConnector(app, r, prefer) {
  const used = new Set(app.connectors.map((u) => (typeof u === 'string' ? u : u.id)));
  const usable = (ids) => ids.filter((id) => !used.has(id) && CONNECTORS_BY_ID.get(id).status !== 'restricted');
  const choices = usable(prefer).length ? usable(prefer) : usable(COMMON_CONNECTORS);
  if (!choices.length || app.connectors.length >= 6) return;
  const id = r.pick(choices);
  const c = CONNECTORS_BY_ID.get(id);
  app.connectors.push(r.chance(0.5) ? id : { id, scopes: [c.allowed_scopes[0]] });
}

/**
 * Commits a branch off main with `change(put, remove)`, then goes back to main, and checks
 * that git sees exactly the expected numbers of added, modified and removed files.
 */
function branch(repo, name, message, expected, change) {
  git(repo.dir, 'checkout', '-q', '-b', name, 'main');
  const files = [];
  const removed = [];
  change(
    (path, kind, value, text) => files.push({ path, kind, value, text }),
    (path) => removed.push(path),
  );
  writeFiles(repo.dir, files);
  removeFiles(repo.dir, removed);
  commitAll(repo.dir, message);
  git(repo.dir, 'checkout', '-q', 'main');
  const counts = { A: 0, M: 0, D: 0 };
  for (const line of git(repo.dir, 'diff', '--name-status', '--no-renames', 'main', name).split('\n')) {
    if (line) counts[line[0]] = (counts[line[0]] ?? 0) + 1;
  }
  const want = { A: expected.added ?? 0, M: expected.modified ?? 0, D: expected.removed ?? 0 };
  if (Object.keys(counts).length !== 3 || counts.A !== want.A || counts.M !== want.M || counts.D !== want.D) {
    throw new BenchError(
      `branch ${name}: git sees ${JSON.stringify(counts)} added/modified/deleted files, expected ${JSON.stringify(want)}`,
    );
  }
  return { added: counts.A, modified: counts.M, removed: counts.D };
}

/** pr-1: one production app gets a new description and one more connector. */
function branchOneApp(repo) {
  const r = repo.rng;
  const entry = repo.apps.find((a) => a.app.environment === 'production' && a.app.description && a.app.connectors.length < 4);
  branch(repo, 'pr-1', `Update ${entry.name}`, { modified: 1 }, (put) => {
    const app = structuredClone(entry.app);
    app.description = `${app.description} Now also posts a weekly summary to the team channel.`;
    addConnector(app, r, ['slack_post_messages', 'teams_post_messages']);
    rewrite(entry, app, r, put);
  });
  return entry;
}

/** pr-50: 15 apps added, 25 modified (several kinds of change), 10 removed. */
function branchFiftyApps(repo) {
  const r = repo.rng;
  const stride = Math.floor(repo.apps.length / 40);
  const picked = Array.from({ length: 35 }, (_, i) => repo.apps[7 + i * stride]);
  const modified = picked.slice(0, 25);
  const removed = picked.slice(25);
  return branch(
    repo,
    'pr-50',
    'Batch update: 15 new apps, 25 changed, 10 retired',
    { added: 15, modified: 25, removed: 10 },
    (put, remove) => {
      for (let i = 0; i < 15; i++) {
        const team = TEAMS[(i * 7) % TEAMS.length];
        const app = makeApp(team, newName(team, r, repo.taken), r);
        writeAppEntry(team, app, i % 2 === 0 ? 'yaml' : 'json', r, put);
      }
      modified.forEach((entry, i) => {
        const app = structuredClone(entry.app);
        switch (i % 5) {
          case 0:
            app.description = `${app.description ?? 'A team app.'} Adds a weekly e-mail digest.`;
            addConnector(app, r, entry.team.connectors);
            break;
          case 1:
            app.retention_days = app.retention_days === 90 ? 180 : 90;
            break;
          case 2:
            if (app.environment === 'sandbox') {
              app.environment = 'production';
              app.auth.provider = 'company-sso';
              app.logging = { level: 'info', output: 'central-logs', structured: true };
            } else {
              app.logging = { level: app.logging?.level === 'warn' ? 'info' : 'warn', output: 'central-logs', structured: true };
            }
            break;
          case 3:
            app.auth.scopes = ['openid', 'email'];
            app.tags = [...new Set([...(app.tags ?? []), 'reviewed'])];
            break;
          default:
            app.links = [
              ...(app.links ?? []),
              { title: 'Change log', url: `https://wiki.example.com/${entry.team.folder}/${entry.name}/changes` },
            ];
        }
        rewrite(entry, app, r, put);
      });
      for (const entry of removed) remove(entry.path);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Measuring

const ms = (x) => Math.round(x);

function spawnTimed(args, env = process.env) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env });
  const elapsed = performance.now() - started;
  return { ...result, elapsed };
}

function describeFailure(label, args, res, why) {
  const cut = (s) => (s && s.length > 8000 ? `${s.slice(0, 8000)}\n... (${s.length - 8000} more characters)` : s || '(empty)');
  return (
    `${label}: ${why}\n  command: node ${args.map((a) => (/\s/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ')}\n` +
    `  exit code: ${res.status}${res.signal ? ` (signal ${res.signal})` : ''}${res.error ? ` (${res.error.message})` : ''}\n` +
    `  stderr:\n${cut(res.stderr)}\n  stdout:\n${cut(res.stdout)}`
  );
}

/** What `validate --format json` must give on a generated registry: exit 0, valid. */
function expectValid(label, args, res) {
  if (res.status !== 0)
    throw new BenchError(
      describeFailure(label, args, res, `validate exited ${res.status}, expected 0 (the generated registry must be valid)`),
    );
  let report;
  try {
    report = JSON.parse(res.stdout);
  } catch {
    throw new BenchError(describeFailure(label, args, res, 'validate --format json did not print JSON'));
  }
  if (report.valid !== true) throw new BenchError(describeFailure(label, args, res, 'validate reported the generated registry as invalid'));
  return `valid, ${report.findings?.length ?? 0} warnings`;
}

/** What `check --format json` must give: exit 1 exactly when denied, never invalid. */
function expectCheck(apps) {
  return (label, args, res) => {
    if (res.status !== 0 && res.status !== 1) {
      throw new BenchError(
        describeFailure(label, args, res, `check exited ${res.status}: 2 or 3 means the benchmark or the CLI is broken`),
      );
    }
    let report;
    try {
      report = JSON.parse(res.stdout);
    } catch {
      throw new BenchError(describeFailure(label, args, res, 'check --format json did not print JSON'));
    }
    if (report.decision === 'invalid')
      throw new BenchError(describeFailure(label, args, res, 'check found the generated pull request invalid'));
    const expected = report.decision === 'deny' ? 1 : 0;
    if (res.status !== expected)
      throw new BenchError(
        describeFailure(label, args, res, `check decided "${report.decision}" but exited ${res.status}, expected ${expected}`),
      );
    if (!Array.isArray(report.apps) || report.apps.length !== apps) {
      throw new BenchError(describeFailure(label, args, res, `check judged ${report.apps?.length} apps, expected ${apps}`));
    }
    const decisions = {};
    for (const a of report.apps) decisions[a.decision] = (decisions[a.decision] ?? 0) + 1;
    return `decision ${report.decision} (${Object.entries(decisions)
      .map(([d, n]) => `${n} ${d}`)
      .join(', ')})`;
  };
}

/** The runner's environment for the bundled action on a pull request from main to `branch`. */
function actionEnvironment(parent, repo, branch) {
  const git = (...args) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(parent, 'runner-'));
  const event = join(dir, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      action: 'synchronize',
      number: 1,
      pull_request: {
        number: 1,
        base: { ref: 'main', sha: git('rev-parse', 'main') },
        head: { ref: branch, sha: git('rev-parse', branch) },
      },
    }),
  );
  const output = join(dir, 'output.txt');
  const summary = join(dir, 'summary.md');
  return {
    env: {
      ...process.env,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: dir,
      INPUT_ROOT: '.',
      'INPUT_FAIL-ON': 'invalid,deny',
      INPUT_SUMMARY: 'true',
    },
  };
}

/** The action must exit 0 (a reviewable PR) and print the decision among its outputs. */
function expectAction(apps) {
  return (label, args, res) => {
    if (res.status !== 0) throw new BenchError(describeFailure(label, args, res, `the action exited ${res.status}, expected 0`));
    const count = (res.stdout.match(/^Comparing .*: (\d+) app change/m) ?? [])[1];
    if (Number(count) !== apps)
      throw new BenchError(describeFailure(label, args, res, `the action judged ${count} apps, expected ${apps}`));
    return '';
  };
}

/**
 * Hostile manifests (issue 9): 16,000 keys in one file and 5,000 unknown fields in another.
 * validate must refuse them (exit 1) with the capped findings, in time linear in the size.
 */
function hostileRegistry(parent) {
  const dir = mkdtempSync(join(parent, 'hostile-'));
  const head = ['name: many-keys', 'owner: it-platform@example.com', 'environment: sandbox'];
  const keys = (n) => Array.from({ length: n }, (_, i) => `k${i}: 1`);
  writeFiles(dir, [
    { path: 'registry/it/many-keys.yaml', text: `${[...head, ...keys(16_000)].join('\n')}\n` },
    {
      path: 'registry/it/many-fields.yaml',
      text: `${[...head.map((l) => l.replace('many-keys', 'many-fields')), ...keys(5_000)].join('\n')}\n`,
    },
  ]);
  return dir;
}

function expectHostileRefused(label, args, res) {
  if (res.status !== 1) throw new BenchError(describeFailure(label, args, res, `validate exited ${res.status}, expected 1`));
  const codes = new Set(JSON.parse(res.stdout).findings.map((f) => f.code));
  for (const code of ['parse.too-many-keys', 'file.more-findings']) {
    if (!codes.has(code)) throw new BenchError(describeFailure(label, args, res, `no ${code} finding`));
  }
  return 'refused with capped findings';
}

function expectZero(label, args, res) {
  if (res.status !== 0) throw new BenchError(describeFailure(label, args, res, `exited ${res.status}, expected 0`));
  return '';
}

function measure(label, args, expect, env) {
  const warm = spawnTimed(args, env);
  const note = expect(label, args, warm);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const res = spawnTimed(args, env);
    expect(label, args, res);
    times.push(res.elapsed);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const median = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  log(`  ${label}: median ${ms(median)} ms${note ? ` (${note})` : ''}`);
  return { label, median, min: times[0], max: times[times.length - 1], note };
}

// ---------------------------------------------------------------------------------------------
// The audit log: appends through the core (in process: `apply` and the App call it), verify as
// users run it (whole CLI processes). Verify's cost must be the hashing of every entry plus one
// signature check per checkpoint: the same 100,000 entries are verified with 1, 1,000 and
// 10,000 checkpoints.

const AUDIT_ENTRIES = 100_000;
/** In-process scenarios of several seconds each: fewer runs than the CLI ones. */
const AUDIT_RUNS = Math.min(RUNS, 3);

/** The core's audit module, bundled from src/ with esbuild (the CLI bundle does not export it). */
async function loadAuditCore(parent) {
  const { build } = await import('esbuild');
  const outfile = join(parent, 'audit-core.mjs');
  await build({
    absWorkingDir: join(HERE, '..'),
    entryPoints: ['src/core/audit/index.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

const hex = (n, width) => n.toString(16).padStart(width, '0').slice(-width);

/** The i-th change of a busy registry: registrations, changes, removals, approvals, provisioning. */
function auditBody(i, time) {
  const removed = i % 9 === 0;
  const app = `app-${hex(i % 2000, 4)}`;
  return {
    time,
    event: removed ? 'removed' : i % 3 === 0 ? 'registered' : 'changed',
    app,
    path: `registry/team-${i % 20}/${app}.yaml`,
    manifest_hash: removed ? null : `sha256:${hex(i * 2654435761, 64)}`,
    commit: hex(i * 40503 + 7, 40),
    decision: i % 4 === 0 ? 'auto_approve' : i % 4 === 1 ? 'manager_approval' : 'security_team_review',
    rules: i % 4 === 0 ? ['001'] : ['002', '003'],
    pull_request: {
      number: 1000 + i,
      url: `https://github.com/example-org/registry/pull/${1000 + i}`,
      author: `citizen-${i % 97}`,
      merged_by: 'platform-bot',
    },
    approvals: i % 4 === 0 ? [] : [{ action: 'manager_approval', by: [`manager-${i % 13}`] }],
    provisioning: [
      {
        provisioner: 'gateway',
        status: removed ? 'applied' : i % 5 === 0 ? 'unchanged' : 'applied',
        idempotency_key: `${app}:${hex(i, 16)}`,
      },
      {
        provisioner: 'webhook',
        status: i % 50 === 0 ? 'failed' : 'applied',
        ...(i % 50 === 0 ? { detail: 'HTTP 503 after 3 attempts' } : {}),
        idempotency_key: `wh:${app}:${hex(i, 16)}`,
      },
    ],
  };
}

const auditTime = (second) => new Date(Date.UTC(2025, 2, 1) + second * 1000).toISOString();

function must(result, what) {
  if (!result.value) throw new BenchError(`${what}: ${JSON.stringify(result.problems.slice(0, 3), null, 2)}`);
  return result.value;
}

/** `appends` appends of `size` entries from an empty log, passing the state on (as a long-running process does). */
function buildAuditLog(core, empty, signer, bodies, size) {
  let files = empty;
  let state;
  const times = [];
  for (let a = 0; a * size < bodies.length; a++) {
    const started = performance.now();
    const appended = must(
      core.appendEntries(files, bodies.slice(a * size, (a + 1) * size), signer, auditTime(a), { state }),
      `append ${a + 1}`,
    );
    times.push(performance.now() - started);
    files = appended.files;
    state = appended.state;
  }
  return { files, state, times };
}

function medianOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` once to warm up, then `runs` times; the row of the audit table. */
function measureInProcess(label, runs, fn, count) {
  fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    times.push(performance.now() - started);
  }
  const median = medianOf(times);
  log(`  ${label}: median ${ms(median)} ms`);
  return { label, median, min: Math.min(...times), max: Math.max(...times), runs, rate: count / (median / 1000) };
}

/** What `audit verify --format json` must give on a generated log: exit 0, ok, the counts. */
function expectAuditOk(entries, checkpoints) {
  return (label, args, res) => {
    if (res.status !== 0)
      throw new BenchError(
        describeFailure(label, args, res, `audit verify exited ${res.status}, expected 0 (the generated log must verify)`),
      );
    let report;
    try {
      report = JSON.parse(res.stdout);
    } catch {
      throw new BenchError(describeFailure(label, args, res, 'audit verify --format json did not print JSON'));
    }
    if (report.ok !== true || report.entries !== entries || report.checkpoints !== checkpoints) {
      throw new BenchError(
        describeFailure(label, args, res, `expected an intact log of ${entries} entries and ${checkpoints} checkpoints`),
      );
    }
    return `${report.entries.toLocaleString('en')} entries, ${report.checkpoints.toLocaleString('en')} checkpoint${report.checkpoints === 1 ? '' : 's'}`;
  };
}

function writeAuditFiles(dir, files) {
  mkdirSync(join(dir, 'audit'), { recursive: true });
  writeFileSync(join(dir, 'audit', 'log.jsonl'), files.log);
  writeFileSync(join(dir, 'audit', 'checkpoints.jsonl'), files.checkpoints);
}

async function auditBenchmark(parent) {
  log('Audit log: generating keys and a 100,000-entry log...');
  const core = await loadAuditCore(parent);
  const dir = join(parent, 'audit-100000');
  mkdirSync(dir, { recursive: true });
  initRepo(dir);
  const keyFile = join(parent, 'keys', 'bench-audit');
  mkdirSync(dirname(keyFile), { recursive: true });
  const keygenArgs = [BIN, 'audit', 'keygen', '--root', dir, '--key-id', 'bench-audit', '--out', keyFile, '--valid-from', '2025-01-01'];
  expectZero('audit keygen', keygenArgs, spawnTimed(keygenArgs));
  const signer = must(core.signerFromOpenSshKey(readFileSync(keyFile, 'utf8')), 'the key keygen wrote');
  const keys = new Map([[`audit/keys/bench-audit.json`, readFileSync(join(dir, 'audit', 'keys', 'bench-audit.json'), 'utf8')]]);
  const empty = { log: '', checkpoints: '', keys, allowedSigners: readFileSync(join(dir, 'audit', 'allowed_signers'), 'utf8') };
  const bodies = Array.from({ length: AUDIT_ENTRIES }, (_, i) => auditBody(i + 1, auditTime(Math.floor(i / 100))));

  const rows = [];
  let one;
  rows.push(
    measureInProcess(
      'append 100,000 entries in one batch',
      AUDIT_RUNS,
      () => {
        one = must(core.appendEntries(empty, bodies, signer, auditTime(0)), 'append of 100,000');
      },
      AUDIT_ENTRIES,
    ),
  );
  log(`  log size: ${(Buffer.byteLength(one.files.log) / 1e6).toFixed(1)} MB, ${AUDIT_ENTRIES.toLocaleString('en')} lines`);

  const hundred = (n) => bodies.slice(0, 100).map((b) => ({ ...b, time: auditTime(n) }));
  rows.push(
    measureInProcess(
      'append 100 to it, fresh (reads and checks the log)',
      RUNS,
      () => {
        must(core.appendEntries(one.files, hundred(5000), signer, auditTime(5000)), 'append of 100');
      },
      100,
    ),
  );
  rows.push(
    measureInProcess(
      'append 100 to it, passing the previous state',
      RUNS,
      () => {
        must(core.appendEntries(one.files, hundred(5000), signer, auditTime(5000), { state: one.state }), 'append of 100 with state');
      },
      100,
    ),
  );

  log('  1,000 appends of 100 (state passed on)...');
  let started = performance.now();
  const thousand = buildAuditLog(core, empty, signer, bodies, 100);
  const thousandTotal = performance.now() - started;
  log(`  1,000 appends of 100: ${ms(thousandTotal)} ms in all, median ${ms(medianOf(thousand.times))} ms an append`);
  started = performance.now();
  const tenThousand = buildAuditLog(core, empty, signer, bodies, 10);
  log(`  10,000 appends of 10: ${ms(performance.now() - started)} ms in all`);

  const verifyRows = [];
  const verifyArgs = [BIN, 'audit', 'verify', '--root', dir, '--format', 'json'];
  for (const [files, checkpoints] of [
    [one.files, 1],
    [thousand.files, 1000],
    [tenThousand.files, 10000],
  ]) {
    writeAuditFiles(dir, files);
    verifyRows.push(
      measure(
        `audit verify, 100,000 entries, ${checkpoints.toLocaleString('en')} checkpoint${checkpoints === 1 ? '' : 's'}`,
        verifyArgs,
        expectAuditOk(AUDIT_ENTRIES, checkpoints),
      ),
    );
  }
  return { rows, verifyRows, thousandTotal, thousandMedian: medianOf(thousand.times), logBytes: Buffer.byteLength(one.files.log) };
}

function auditReport(audit, baseline) {
  const rate = (r) => `${Math.round(r.rate).toLocaleString('en')} entries/s`;
  const appendTable = [
    ['Append (in process)', 'median ms', 'min ms', 'max ms', 'runs', 'rate'],
    ...audit.rows.map((r) => [r.label, String(ms(r.median)), String(ms(r.min)), String(ms(r.max)), String(r.runs), rate(r)]),
  ];
  const widths = appendTable[0].map((_, i) => Math.max(...appendTable.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  const [v1, v1000, v10000] = audit.verifyRows;
  const perSignature = (v10000.median - v1.median) / 9999;
  return [
    '',
    `Audit log: ${AUDIT_ENTRIES.toLocaleString('en')} entries (${(audit.logBytes / 1e6).toFixed(1)} MB of canonical JSON lines)`,
    '',
    line(appendTable[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...appendTable.slice(1).map(line),
    '',
    `1,000 appends of 100 from an empty log (state passed on): ${ms(audit.thousandTotal)} ms in all, median ${ms(audit.thousandMedian)} ms an append.`,
    'A fresh append (a new process, no state) first hashes the whole existing log: that is the "fresh" row.',
    '',
    table([baseline, ...audit.verifyRows], baseline),
    '',
    `Verify reads, parses and hashes about ${Math.round(((v1.median - baseline.median) * 1000) / AUDIT_ENTRIES)} microseconds an entry (1 checkpoint, less the process start).`,
    `Each further checkpoint costs one signature check: about ${(perSignature * 1000).toFixed(0)} microseconds (from 1 to 10,000 checkpoints: +${ms(v10000.median - v1.median)} ms);`,
    `the entries cost the same whatever the number of checkpoints (1,000 checkpoints: +${ms(v1000.median - v1.median)} ms).`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Report

function table(rows, baseline) {
  const header = ['Scenario', 'median ms', 'min ms', 'max ms', 'minus start', 'target', 'result'];
  const body = rows.map((r) => [
    r.label,
    String(ms(r.median)),
    String(ms(r.min)),
    String(ms(r.max)),
    r === baseline ? '' : String(ms(r.median - baseline.median)),
    r.target ? `<= ${r.target} ms` : '',
    r.target ? (r.median <= r.target ? 'PASS' : 'OVER') : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------

async function auditPart(parent) {
  const baseline = measure('node -e "" (process start)', ['-e', ''], expectZero);
  process.stdout.write(auditReport(await auditBenchmark(parent), baseline));
}

async function main() {
  const parent = mkdtempSync(join(tmpdir(), 'microapps-bench-'));
  let failed = false;
  try {
    log(`microapps benchmark: ${RUNS} timed runs per scenario after one warm-up; CLI ${BIN}`);
    // BENCH_ONLY=audit skips the registry scenarios (their code below is unchanged).
    if (ONLY === 'audit') {
      await auditPart(parent);
      return;
    }
    log('Generating registries...');
    const big = buildRepo(parent, 'registry-10000', 10000, 1);
    const small = buildRepo(parent, 'registry-1000', 1000, 2);

    log('Asserting the generated registries are valid...');
    for (const repo of [big, small]) {
      const args = [BIN, 'validate', '--root', repo.dir, '--format', 'json'];
      const note = expectValid(`validate ${repo.apps.length} apps`, args, spawnTimed(args));
      log(`  ${repo.dir}: ${note}`);
    }

    log('Creating pull-request branches...');
    const one = branchOneApp(big);
    log(`  pr-1 (${big.apps.length} apps): ${one.path} modified`);
    const fifty = branchFiftyApps(big);
    log(`  pr-50 (${big.apps.length} apps): ${fifty.added} added, ${fifty.modified} modified, ${fifty.removed} removed`);
    const oneSmall = branchOneApp(small);
    log(`  pr-1 (${small.apps.length} apps): ${oneSmall.path} modified`);

    log('Measuring...');
    const rows = [];
    const baseline = measure('node -e "" (process start)', ['-e', ''], expectZero);
    rows.push(baseline);
    rows.push({
      ...measure('validate, 10,000 apps', [BIN, 'validate', '--root', big.dir, '--format', 'json'], expectValid),
      target: TARGET_VALIDATE_MS,
    });
    rows.push({
      ...measure(
        'check, 1-app PR, 10,000 apps',
        [BIN, 'check', '--root', big.dir, '--base', 'main', '--head', 'pr-1', '--format', 'json'],
        expectCheck(1),
      ),
      target: TARGET_CHECK_ONE_MS,
    });
    rows.push(
      measure(
        'check, 50-app PR, 10,000 apps',
        [BIN, 'check', '--root', big.dir, '--base', 'main', '--head', 'pr-50', '--format', 'json'],
        expectCheck(50),
      ),
    );
    rows.push({
      ...measure(
        'check, 1-app PR, 1,000 apps',
        [BIN, 'check', '--root', small.dir, '--base', 'main', '--head', 'pr-1', '--format', 'json'],
        expectCheck(1),
      ),
      target: TARGET_CHECK_ONE_MS,
    });

    const hostile = hostileRegistry(parent);
    rows.push(
      measure(
        'validate, 16,000-key + 5,000-field manifests',
        [BIN, 'validate', '--root', hostile, '--format', 'json'],
        expectHostileRefused,
      ),
    );

    for (const repo of [small, big]) {
      const { env } = actionEnvironment(parent, repo, 'pr-1');
      rows.push({
        ...measure(`action, 1-app PR, ${repo.apps.length.toLocaleString('en')} apps`, [ACTION], expectAction(1), env),
        target: TARGET_ACTION_MS,
      });
    }

    const cpu = cpus()[0]?.model?.trim() || 'unknown CPU';
    const lines = [
      '',
      'microapps benchmark',
      `Node ${process.version} on ${process.platform}/${process.arch}, ${availableParallelism()} cores (${cpu})`,
      `Wall time of whole CLI processes, process start included; median of ${RUNS} runs after one warm-up.`,
      '',
      table(rows, baseline),
      '',
      '"minus start" is the median less the median start of an empty node process.',
      `Targets (spec): validate of 10,000 manifests <= ${TARGET_VALIDATE_MS} ms; check of a 1-app PR <= ${TARGET_CHECK_ONE_MS} ms;`,
      `the bundled action (action/dist/index.js) on a 1-app PR <= ${TARGET_ACTION_MS} ms, process start to exit.`,
      '',
      'Check decisions:',
      ...rows.filter((r) => r.note && r.label.startsWith('check')).map((r) => `  ${r.label}: ${r.note}`),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    if (ONLY !== 'registry') await auditPart(parent);
  } catch (e) {
    failed = true;
    process.stderr.write(`\nbench: ${e instanceof BenchError ? e.message : (e?.stack ?? String(e))}\n`);
  } finally {
    if (KEEP) process.stderr.write(`bench: kept the generated registries in ${parent} (registry-10000, registry-1000, audit-100000)\n`);
    else rmSync(parent, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
