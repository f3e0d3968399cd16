/**
 * Governed paths through the real CLI (issue 9, section 5): names that are not plain UTF-8
 * text are read as bytes and refused with the escaped name (never decoded lossily into one
 * name), and a symlink replacing a whole governed folder is refused like any other symlink.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allFindings,
  expectCheckShape,
  expectValidateShape,
  type CheckReport,
  type Finding,
  type ValidateReport,
} from '../helpers/contract.js';
import { createSeededRepo, useTempRepos, type GitRepo } from '../helpers/git-repo.js';
import { check, validate, type CliResult } from '../helpers/run-cli.js';

useTempRepos();

const APP = (name: string) =>
  [
    `name: ${name}`,
    'owner: it-platform@example.com',
    'environment: sandbox',
    'auth:',
    '  type: oidc',
    '  provider: company-sso',
    '  scopes: [openid]',
    'connectors: [jira_read_only]',
    '',
  ].join('\n');

const stageRaw = (repo: GitRepo, files: Array<[Buffer, string]>) => repo.commitRawNames(files);

const raw = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => Buffer.from(p as string)));

function checkReport(repo: GitRepo, head?: string): { r: CliResult; report: CheckReport; findings: Finding[] } {
  const r = head === undefined ? check(repo.dir, 'main') : check(repo.dir, 'main', head);
  expect(r.code, r.describe()).toBe(1);
  const report = expectCheckShape(r.json<CheckReport>());
  expect(report.decision).toBe('invalid');
  return { r, report, findings: allFindings(report) };
}

function validateFindings(repo: GitRepo): { r: CliResult; findings: Finding[] } {
  const r = validate(repo.dir);
  expect(r.code, r.describe()).toBe(1);
  return { r, findings: expectValidateShape(r.json<ValidateReport>()).findings };
}

const withCode = (findings: Finding[], code: string) =>
  findings
    .filter((f) => f.code === code)
    .map((f) => f.path)
    .sort();

describe('names that are not plain UTF-8 text', () => {
  it('check: two names that differ only in an invalid byte stay two files, each refused with its escaped name', () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    stageRaw(repo, [
      [raw('registry/it/app-', [0xff], '.yaml'), APP('app-x')],
      [raw('registry/it/app-', [0xfe], '.yaml'), APP('app-y')],
    ]);
    const { r, findings } = checkReport(repo, 'feature');
    expect(withCode(findings, 'tree.path-name'), r.describe()).toEqual(['registry/it/app-\\xfe.yaml', 'registry/it/app-\\xff.yaml']);
    const f = findings.find((x) => x.code === 'tree.path-name')!;
    expect(f).toMatchObject({ severity: 'error', line: 1, column: 1 });
    expect(f.message).toContain('not valid UTF-8');
    expect(r.stdout).not.toContain('\uFFFD');
  });

  it('check: a change to one of two colliding names is seen (the other, unchanged, is not blamed)', () => {
    const repo = createSeededRepo();
    stageRaw(repo, [
      [raw('registry/it/app-', [0xff], '.yaml'), APP('app-x')],
      [raw('registry/it/app-', [0xfe], '.yaml'), APP('app-y')],
    ]);
    repo.branch('feature');
    stageRaw(repo, [[raw('registry/it/app-', [0xfe], '.yaml'), APP('app-y').replace('sandbox', 'production')]]);
    const { r, findings } = checkReport(repo, 'feature');
    expect(withCode(findings, 'tree.path-name'), r.describe()).toEqual(['registry/it/app-\\xfe.yaml']);
  });

  it('check (working tree) and validate: control characters in a name (newline, terminal escape) are refused, escaped', () => {
    const repo = createSeededRepo();
    mkdirSync(repo.path('registry/it'), { recursive: true });
    writeFileSync(repo.path('registry/it/evil\n::stop-commands::x.yaml'), APP('evil'));
    writeFileSync(repo.path('connectors/\u001b[31mred.yaml'), 'connector_id: red\n');
    const expected = ['connectors/\\x1b[31mred.yaml', 'registry/it/evil\\x0a::stop-commands::x.yaml'];
    const v = validateFindings(repo);
    expect(withCode(v.findings, 'tree.path-name'), v.r.describe()).toEqual(expected);
    const c = checkReport(repo);
    expect(withCode(c.findings, 'tree.path-name'), c.r.describe()).toEqual(expected);
    for (const out of [v.r.stdout, c.r.stdout]) expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('validate: a file on disk whose name is not UTF-8 is found and refused', () => {
    const repo = createSeededRepo();
    writeFileSync(Buffer.concat([Buffer.from(repo.path('registry/it/app-')), Buffer.from([0xff]), Buffer.from('.yaml')]), APP('app-x'));
    const { r, findings } = validateFindings(repo);
    expect(withCode(findings, 'tree.path-name'), r.describe()).toEqual(['registry/it/app-\\xff.yaml']);
  });
});

describe('a symlink replacing a whole governed folder', () => {
  for (const folder of ['registry', 'policies', 'connectors']) {
    it(`check: ${folder} -> shadow (git mode 120000) is tree.symlink at "${folder}"`, () => {
      const repo = createSeededRepo();
      repo.branch('feature');
      repo.git('mv', folder, 'shadow');
      repo.symlink('shadow', folder);
      repo.commit(`${folder} is a link`);
      expect(repo.git('ls-tree', 'feature', folder)).toMatch(/^120000 /);
      const { r, findings } = checkReport(repo, 'feature');
      const f = findings.find((x) => x.code === 'tree.symlink' && x.path === folder);
      expect(f, r.describe()).toMatchObject({ severity: 'error', line: 1, column: 1 });
      expect(f!.message).toContain(`"${folder}" must be a real folder`);
    });
  }

  it('validate: registry -> shadow is refused, not followed', () => {
    const repo = createSeededRepo();
    repo.git('mv', 'registry', 'shadow');
    repo.symlink('shadow', 'registry');
    const { r, findings } = validateFindings(repo);
    expect(withCode(findings, 'tree.symlink'), r.describe()).toEqual(['registry']);
    expect(
      findings.some((f) => f.path.startsWith('registry/')),
      'nothing is read through the link',
    ).toBe(false);
  });

  it('check (working tree): policies -> elsewhere is refused', () => {
    const repo = createSeededRepo();
    repo.git('mv', 'policies', 'shadow');
    repo.symlink('shadow', 'policies');
    const { r, findings } = checkReport(repo);
    expect(withCode(findings, 'tree.symlink'), r.describe()).toEqual(['policies']);
  });

  it('a plain file where a governed folder should be is refused too', () => {
    const repo = createSeededRepo();
    repo.branch('feature');
    repo.git('rm', '-r', '-q', 'connectors');
    repo.write('connectors', 'not a folder\n');
    repo.commit('connectors is a file');
    const { r, findings } = checkReport(repo, 'feature');
    expect(withCode(findings, 'tree.unexpected-file'), r.describe()).toEqual(['connectors']);
  });
});

describe('a registry in a folder whose name is not plain text', () => {
  it('check fails closed (exit 2, one line) instead of seeing an empty registry', () => {
    const repo = createSeededRepo();
    const odd = 'regi\u001bstry-root';
    mkdirSync(repo.path(odd));
    for (const folder of ['registry', 'connectors', 'policies']) repo.git('mv', folder, `${odd}/${folder}`);
    repo.commit('registry in an odd folder');
    const r = check(repo.path(odd), 'main', 'HEAD');
    expect(r.code, r.describe()).toBe(2);
    expect(r.stderr).toContain('regi\\x1bstry-root');
    expect(r.stderr).toContain('not plain UTF-8 text');
    expect(r.stderr).not.toContain('\u001b');
  });
});
