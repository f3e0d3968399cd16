/**
 * Exit code 2: usage errors and missing git refs, with a message on stderr and nothing on
 * stdout (a script reading stdout as JSON must not get half a report).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSeededRepo, makeTempDir, useTempRepos } from '../helpers/git-repo.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('missing git refs', () => {
  it('a missing --base ref exits 2 with one line on stderr naming the ref', () => {
    const repo = createSeededRepo();
    const r = runCli(['check', '--root', repo.dir, '--base', 'no-such-branch', '--format', 'json']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr), r.describe()).toHaveLength(1);
    expect(r.stderr).toContain('no-such-branch');
  });

  it('a missing --head ref exits 2 with one line on stderr naming the ref', () => {
    const repo = createSeededRepo();
    const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', 'origin/nowhere', '--format', 'json']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr), r.describe()).toHaveLength(1);
    expect(r.stderr).toContain('origin/nowhere');
  });

  it('a ref that looks like an option is not passed to git as one', () => {
    const repo = createSeededRepo();
    const target = join(makeTempDir(), 'pwned');
    const r = runCli(['check', '--root', repo.dir, `--base=--output=${target}`, '--format', 'json']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(target)).toBe(false);
  });

  it('check outside a git repository exits 2 with one line on stderr', () => {
    const dir = makeTempDir();
    const r = runCli(['check', '--root', dir, '--base', 'main']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr), r.describe()).toHaveLength(1);
  });
});

describe('usage errors', () => {
  it('check without --base exits 2', () => {
    const repo = createSeededRepo();
    const r = runCli(['check', '--root', repo.dir]);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--base');
  });

  it('an unknown command exits 2 and names it', () => {
    const r = runCli(['frobnicate', '--root', REPO_ROOT]);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('frobnicate');
  });

  it('no command at all exits 2', () => {
    const r = runCli([]);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('an unknown --format exits 2', () => {
    const r = runCli(['validate', '--root', REPO_ROOT, '--format', 'xml']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--format');
  });

  it('--format markdown is only for check: validate refuses it with exit 2', () => {
    const r = runCli(['validate', '--root', REPO_ROOT, '--format', 'markdown']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('check --format yaml exits 2 before touching git', () => {
    const repo = createSeededRepo();
    const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--format', 'yaml']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('an unknown option exits 2', () => {
    const r = runCli(['validate', '--root', REPO_ROOT, '--frobnicate']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('--version prints the package version on stdout and exits 0', () => {
    const r = runCli(['--version']);
    expect(r.code, r.describe()).toBe(0);
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout).toBe(`microapps ${version}\n`);
  });

  it("COMMAND --help and help COMMAND print that command's help on stdout and exit 0", () => {
    for (const [name, words] of [
      ['check', '--base REF'],
      ['apply', '--dry-run'],
      ['audit', 'keygen'],
      ['explain', 'FILE'],
      ['validate', 'schema'],
      ['test', 'policies/tests/'],
    ] as const) {
      for (const args of [
        [name, '--help'],
        ['help', name],
        [name, '-h'],
      ]) {
        const r = runCli(args);
        expect(r.code, r.describe()).toBe(0);
        expect(r.stdout, r.describe()).toContain(`microapps ${name}`);
        expect(r.stdout, r.describe()).toContain(words);
        // One command's help, not the overview of all of them.
        for (const other of ['validate', 'check --base', 'explain FILE', 'apply --before'].filter((o) => !o.startsWith(name))) {
          expect(r.stdout, `${args.join(' ')} shows only its own command`).not.toContain(`microapps ${other}`);
        }
      }
    }
  });

  it('help for an unknown command exits 2 and names it', () => {
    const r = runCli(['help', 'frobnicate']);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('frobnicate');
  });

  it('a missing --root folder is a usage error for every command, with the hint', () => {
    const missing = join(makeTempDir(), 'no-such-registry');
    for (const args of [
      ['validate'],
      ['check', '--base', 'main'],
      ['explain', 'registry/a.yaml'],
      ['test'],
      ['audit', 'verify'],
      ['apply', '--before', 'a', '--after', 'b'],
    ]) {
      const r = runCli([...args, '--root', missing]);
      expect(r.code, r.describe()).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain("Is --root the registry's folder?");
      expect(r.stderr).not.toContain('git is not installed');
    }
  });

  it('explain of a file that is neither here nor under --root gives the --root hint', () => {
    const r = runCli(['explain', 'registry/finance/no-such-app.yaml', '--root', makeTempDir()]);
    expect(r.code, r.describe()).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toContain("Is --root the registry's folder?");
  });

  it('--help prints the usage on stdout and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.code, r.describe()).toBe(0);
    for (const command of ['validate', 'check', 'explain', 'test', 'audit verify', 'audit keygen', 'apply'])
      expect(r.stdout).toContain(`microapps ${command}`);
  });
});
