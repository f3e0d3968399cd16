/**
 * Output that cannot leak or take over a terminal (issue 9, section 6), through the real CLI:
 * a secret refused in a manifest is never repeated (as a value, a field name, a scope, a
 * connector, a name, an owner), and control characters from manifests, keys and paths never
 * reach the terminal raw.
 */
import { describe, expect, it } from 'vitest';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

useTempRepos();

/** A GitHub token's shape, built at run time (no literal in the repository). */
const TOKEN = ['gh', 'p_', 'Zq3', 'x'.repeat(30), 'W7k'].join('');
/** A Stripe key in a key. */
const STRIPE = ['sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('');

const PATH = 'registry/it/leaky-app.yaml';
const LEAKY = [
  'name: leaky-app',
  `owner: it-platform@example.com`,
  `environment: ${TOKEN}`,
  'description: Tracks laptops.',
  `${STRIPE}: 1`,
  'auth:',
  '  type: oidc',
  '  provider: company-sso',
  `  scopes: [openid, ${TOKEN}x]`,
  `connectors: [jira_read_onyl, ${TOKEN}y, {id: jira_read_only, scopes: [${TOKEN}z]}]`,
  '',
].join('\n');

function expectNoSecret(r: CliResult): void {
  for (const secret of [TOKEN, STRIPE]) {
    expect(r.stdout.includes(secret), `the secret is on stdout\n${r.describe()}`).toBe(false);
    expect(r.stderr.includes(secret), `the secret is on stderr\n${r.describe()}`).toBe(false);
  }
}

/** Control characters a manifest can carry: ESC (colours, cursor moves, window titles), BEL, C1 CSI, a bidi override. */
const ESC = '\u001b';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('a secret is refused and never repeated', () => {
  it('check --format json, text and markdown: every place the secret sat is reported, none shows it', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { [PATH]: LEAKY } });
    for (const format of ['json', 'text', 'markdown']) {
      const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', format]);
      expect(r.code, r.describe()).toBe(1);
      expectNoSecret(r);
      if (format === 'json') {
        const report = r.json();
        const secrets = report.apps[0].findings.filter((f: any) => f.code === 'secret.detected').map((f: any) => f.line);
        // environment (3), the Stripe key as a field name (5), a scope (9), a connector and a connector's scope (10).
        expect(secrets, r.describe()).toEqual([3, 5, 9, 10, 10]);
        expect(JSON.stringify(report)).toContain('[secret removed]');
      } else {
        expect(r.stdout).toContain('This looks like a Stripe key (used as a field name)');
      }
    }
  });

  it('validate (json, text) and explain (json, text): the same', () => {
    const repo = createSeededRepo();
    repo.write(PATH, LEAKY);
    for (const args of [['validate'], ['explain', PATH]]) {
      for (const format of ['json', 'text']) {
        const r = runCli([...args, '--root', repo.dir, '--format', format]);
        expect(r.code, r.describe()).toBe(1);
        expectNoSecret(r);
        expect(r.stdout).toContain('secret.detected');
      }
    }
  });

  it("a secret as the app's name and owner: not in the rename suggestion, the app's name or the owner warning", () => {
    const repo = createSeededRepo();
    const path = 'registry/it/named-app.yaml';
    const head = openPullRequest(repo, {
      write: {
        [path]: LEAKY.replace('name: leaky-app', `name: ${TOKEN}`).replace('owner: it-platform@example.com', `owner: ${TOKEN}@example.com`),
      },
    });
    const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', 'json']);
    expect(r.code, r.describe()).toBe(1);
    expectNoSecret(r);
    const report = r.json();
    expect(
      report.apps[0].findings.some((f: any) => f.code === 'app.name-mismatch'),
      r.describe(),
    ).toBe(true);
    const text = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head]);
    expectNoSecret(text);
  });
});

describe('control characters never reach the terminal raw', () => {
  // A key and a value with escape sequences (a window title, a screen clear, red text, a C1 CSI,
  // a right-to-left override) and a file name with one.
  const HOSTILE = [
    'name: ansi-app',
    'owner: it-platform@example.com',
    `environment: "${ESC}[2J${ESC}[31mproduction\u009b1m"`,
    `"${ESC}]0;owned\u0007title": 1`,
    'description: "\u202eevil"',
    'auth:',
    '  type: oidc',
    '  provider: company-sso',
    '  scopes: [openid]',
    'connectors: [jira_read_only]',
    '',
  ].join('\n');
  const HOSTILE_PATH = `registry/it/ansi-${ESC}[31mred.yaml`;

  function expectVisible(r: CliResult): void {
    expect(RAW_CONTROL.test(r.stdout), `a raw control character on stdout\n${JSON.stringify(r.stdout).slice(0, 3000)}`).toBe(false);
    expect(RAW_CONTROL.test(r.stderr), `a raw control character on stderr\n${JSON.stringify(r.stderr).slice(0, 3000)}`).toBe(false);
  }

  it('check (text, markdown, json): the escape sequences are shown as \\u001b, never sent', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, {
      write: { 'registry/it/ansi-app.yaml': HOSTILE, [HOSTILE_PATH]: HOSTILE.replace('ansi-app', 'ansi-red') },
    });
    for (const format of ['text', 'markdown', 'json']) {
      const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', format]);
      expect(r.code, r.describe()).toBe(1);
      expectVisible(r);
      if (format === 'text') {
        expect(r.stdout).toContain('\\u001b[2J');
        expect(r.stdout).toContain('\\u001b]0;owned\\u0007title');
        // The name itself is refused (tree.path-name) and shown with the tree's escapes.
        expect(r.stdout).toContain('registry/it/ansi-\\x1b[31mred.yaml');
      }
      if (format === 'json') {
        // Still the same data for a program: JSON escapes decode back to the characters.
        const report = r.json();
        expect(report.apps.map((a: any) => a.path)).toEqual(['registry/it/ansi-app.yaml']);
        expect(report.findings.map((f: any) => f.code)).toContain('tree.path-name');
        expect(JSON.stringify(report)).toContain('\u009b1m');
      }
    }
  });

  it('validate and explain (text): the same', () => {
    const repo = createSeededRepo();
    repo.write('registry/it/ansi-app.yaml', HOSTILE);
    repo.write(HOSTILE_PATH, HOSTILE.replace('ansi-app', 'ansi-red'));
    const v = runCli(['validate', '--root', repo.dir]);
    expect(v.code, v.describe()).toBe(1);
    expectVisible(v);
    expect(v.stdout).toContain('\\u001b]0;owned\\u0007title');
    expect(v.stdout).toContain('registry/it/ansi-\\x1b[31mred.yaml');
    const e = runCli(['explain', '--root', repo.dir, 'registry/it/ansi-app.yaml']);
    expect(e.code, e.describe()).toBe(1);
    expectVisible(e);
    expect(e.stdout).toContain('\\u001b[2J');
  });

  it('an error message naming a file with an escape sequence (stderr): shown, not sent', () => {
    const repo = createSeededRepo();
    const r = runCli(['explain', '--root', repo.dir, `registry/it/missing-${ESC}[31m.yaml`]);
    expect(r.code, r.describe()).toBe(2);
    expectVisible(r);
    expect(r.stderr).toContain('missing-\\u001b[31m.yaml');
  });
});
