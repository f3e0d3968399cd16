/**
 * The Action's output cannot be hijacked or leak (issue 9, section 6), through the committed
 * bundle run as the runner runs it. Workflow commands are parsed with the runner's rules
 * (run-action.ts: "::" after leading spaces, "##[" anywhere, nothing between
 * "::stop-commands::TOKEN" and "::TOKEN::"), so a command smuggled into the report would show.
 */
import { describe, expect, it } from 'vitest';
import { expectActionOutputs, failureMessages, fileAnnotations, outputEntryBytes } from '../helpers/action-contract.js';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import { liveText, readerText } from '../helpers/markdown.js';
import { fixture } from '../helpers/paths.js';
import { runAction, runPullRequest, type ActionResult } from '../helpers/run-action.js';

useTempRepos();

const TAIL = ['auth:', '  type: oidc', '  provider: company-sso', '  scopes: [openid]', 'connectors: [jira_read_only]', ''];

/** Keys that break out of their line and try the commands that would silence or blind the step. */
const HOSTILE_KEYS = [
  '"x\\n::stop-commands::pwned\\n": 1',
  '"y\\n::add-mask::error\\n": 2',
  '"z\\n  ::add-mask::warning\\n": 3',
  '"w ##[add-mask]notice": 4',
];
const hostileApp = (name: string) =>
  [`name: ${name}`, 'owner: it-platform@example.com', 'environment: sandbox', ...HOSTILE_KEYS, ...TAIL].join('\n');

/** A file name with a line break and a command in it (git allows both). */
const HOSTILE_PATH = 'registry/it/evil\n::stop-commands::zz\n.yaml';

/** No command the pull request wrote took effect: only the step's own stop-commands blocks, each with a fresh random token. */
function expectNoInjectedCommand(r: ActionResult): void {
  const injected = r.commands.filter((c) => !['error', 'warning', 'notice', 'stop-commands'].includes(c.command));
  expect(
    injected.map((c) => c.raw),
    r.describe(),
  ).toEqual([]);
  const stops = r.commands.filter((c) => c.command === 'stop-commands');
  expect(stops.length, 'the report is printed inside a stop-commands block').toBeGreaterThan(0);
  for (const s of stops) expect(s.message, `a stop-commands token the step chose\n${r.describe()}`).toMatch(/^microapps-[0-9a-f-]{36}$/);
  expect(new Set(stops.map((s) => s.message)).size).toBe(stops.length);
}

describe("action: the report cannot switch off the step's workflow commands", () => {
  it('keys with a line break and ::stop-commands:: / ::add-mask:: / ##[add-mask]: every annotation still appears, no injected command runs', () => {
    const path = 'registry/it/hostile-keys.yaml';
    const r = runPullRequest({ write: { [path]: hostileApp('hostile-keys') } });
    expect(r.code, r.describe()).toBe(1);
    expectNoInjectedCommand(r);
    const unknown = fileAnnotations(r, 'error').filter(
      (a) => a.properties.file === path && a.properties.title === 'microapps: schema.unknown-field',
    );
    expect(unknown.length, `one error annotation per hostile key\n${r.describe()}`).toBe(HOSTILE_KEYS.length);
    expect(failureMessages(r), "the step's own failure message still appears").toHaveLength(1);
    // The text report still says everything, line breaks shown as \n.
    expect(r.stdout).toContain('"x\\n::stop-commands::pwned\\n" is not a known field');
    expectActionOutputs(r);
  });

  it('a file name with a line break and ::stop-commands::: the annotations and the failure still appear', () => {
    const r = runPullRequest({
      write: { [HOSTILE_PATH]: hostileApp('evil'), 'registry/it/hostile-keys.yaml': hostileApp('hostile-keys') },
    });
    expect(r.code, r.describe()).toBe(1);
    expectNoInjectedCommand(r);
    expect(
      fileAnnotations(r, 'error').some((a) => a.properties.file === 'registry/it/hostile-keys.yaml'),
      r.describe(),
    ).toBe(true);
    expect(failureMessages(r)).toHaveLength(1);
    expect(
      r.stdout.split('\n').some((l) => l.trimStart().startsWith('::stop-commands::zz')),
      'the path never starts a line',
    ).toBe(false);
  });

  it('outside a pull request (the whole registry validated): hostile keys cannot silence the step either', () => {
    const repo = createSeededRepo();
    const path = 'registry/it/hostile-keys.yaml';
    repo.write(path, hostileApp('hostile-keys'));
    repo.commit('a hostile manifest on main');
    const r = runAction({ repoDir: repo.dir, event: 'workflow_dispatch' });
    expect(r.code, r.describe()).toBe(1);
    expectNoInjectedCommand(r);
    const unknown = fileAnnotations(r, 'error').filter(
      (a) => a.properties.file === path && a.properties.title === 'microapps: schema.unknown-field',
    );
    expect(unknown.length, r.describe()).toBe(HOSTILE_KEYS.length);
    expect(failureMessages(r)).toHaveLength(1);
  });
});

describe('action: a refused secret is not repeated anywhere the step writes', () => {
  const TOKEN = ['gh', 'p_', 'Qm8', 'y'.repeat(30), 'R2d'].join('');
  const GOOGLE = ['AI', 'za', 'SyD', '-'.repeat(2), 'k'.repeat(30)].join('');

  it("as environment, a field name, a scope and the app's name: not in stdout, annotations, summary, outputs or the report file", () => {
    const path = 'registry/it/leaky-app.yaml';
    const manifest = [
      `name: leaky-app`,
      'owner: it-platform@example.com',
      `environment: ${TOKEN}`,
      `${GOOGLE}: 1`,
      'auth:',
      '  type: oidc',
      '  provider: company-sso',
      `  scopes: [openid, ${TOKEN}s]`,
      'connectors: [jira_read_only]',
      '',
    ].join('\n');
    const named = manifest.replace('name: leaky-app', `name: ${TOKEN}n`);
    const r = runPullRequest({ write: { [path]: manifest, 'registry/it/leaky-name.yaml': named } });
    expect(r.code, r.describe()).toBe(1);
    const where: Record<string, string> = {
      stdout: r.stdout,
      stderr: r.stderr,
      summary: r.summary,
      report: JSON.stringify(r.report),
      ...Object.fromEntries(r.outputEntries.map((e) => [`output ${e.name}`, e.value])),
    };
    for (const [place, text] of Object.entries(where)) {
      for (const secret of [TOKEN, GOOGLE]) expect(text.includes(secret), `the secret is in ${place}\n${r.describe()}`).toBe(false);
    }
    const secretAnnotations = fileAnnotations(r, 'error').filter((a) => a.properties.title === 'microapps: secret.detected');
    expect(secretAnnotations.length, r.describe()).toBeGreaterThanOrEqual(3);
    expect(r.summary).toContain('secret removed');
    expectActionOutputs(r);
  });
});

describe('action: the apps output keeps within its budget on the bytes written', () => {
  it('1,500 apps with long paths: the apps entry in GITHUB_OUTPUT stays within 512 KiB and apps-omitted counts the rest', () => {
    const APPS = 1500;
    const repo = createSeededRepo();
    const base = repo.sha();
    repo.branch('feature');
    const template = fixture('apps/standup-notes-bot.yaml');
    // About 700 bytes of path per app: the slim form alone is over 1 MiB.
    const deep = ['d'.repeat(200), 'e'.repeat(200), 'f'.repeat(200)].join('/');
    for (let i = 1; i <= APPS; i++) {
      const name = `bulk-app-${String(i).padStart(4, '0')}`;
      repo.write(`registry/it/${deep}/${name}.yaml`, template.replace('name: standup-notes-bot', `name: ${name}`));
    }
    repo.commit('many apps');
    const r = runAction({
      repoDir: repo.dir,
      event: 'pull_request',
      base,
      head: repo.sha(),
      inputs: { 'fail-on': 'never' },
      timeoutMs: 300_000,
    });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(report.apps).toHaveLength(APPS);
    const slimBytes = Buffer.byteLength(
      JSON.stringify(
        report.apps.map(({ app, path, change, decision, rules, required_approvals }) => ({
          app,
          path,
          change,
          decision,
          rules,
          required_approvals,
        })),
      ),
    );
    expect(slimBytes, "the scenario really exceeds GitHub's 1 MiB").toBeGreaterThan(1024 * 1024);
    const bytes = outputEntryBytes(r, 'apps');
    expect(bytes).toBeLessThanOrEqual(512 * 1024);
    expect(bytes, 'and uses most of it').toBeGreaterThan(512 * 1024 - 2000);
    const omitted = Number(r.outputs['apps-omitted']);
    expect(omitted).toBeGreaterThan(0);
    expect(JSON.parse(r.outputs.apps!)).toHaveLength(APPS - omitted);
  });
});

describe('action: an evil manifest cannot change what the reader sees in the job summary or the annotations', () => {
  const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

  it('bidi, controls, HTML, links, mentions and line breaks in keys and values: inert in the summary, written out in the annotations', () => {
    const path = 'registry/it/evil-app.yaml';
    const r = runPullRequest({ write: { [path]: fixture('apps/evil/evil-app.yaml') } });
    expect(r.code, r.describe()).toBe(1);
    expectNoInjectedCommand(r);
    expect(readerText(r.summary), r.describe()).toContain('<img src=x onerror=alert(1)>');
    expect(r.summary).not.toMatch(INVISIBLE);
    const live = liveText(r.summary);
    expect(live).not.toMatch(/@/);
    expect(live).not.toMatch(/(?<!\\)<|(?<!\\)\[|(?<!\\):\/\//);
    for (const line of r.summary.split('\n')) expect(line).not.toMatch(/^(# Injected|- injected|> injected|<\/details>)/);
    const annotations = fileAnnotations(r, 'error').filter((a) => a.properties.file === path);
    expect(annotations.length, r.describe()).toBeGreaterThan(0);
    for (const a of annotations) expect(`${a.message} ${a.properties.title ?? ''}`, a.raw).not.toMatch(INVISIBLE);
    expectActionOutputs(r);
  });
});
