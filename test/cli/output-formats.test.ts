/**
 * The human formats of check and validate: text (findings as path:line:column:, a final
 * "Decision:" line) and markdown (a heading and a table, for pull-request comments).
 */
import { describe, expect, it } from 'vitest';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

useTempRepos();

const TYPO_PATH = 'registry/it/typo-app.yaml';
/** Line 9 has data_type: for data_types. */
const TYPO = fixture('apps/malformed/typo-app.yaml');

const nonEmptyLines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

function pr(files: Record<string, string>) {
  const repo = createSeededRepo();
  const head = openPullRequest(repo, { write: files });
  return (format: string) => runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', format]);
}

describe('check --format markdown', () => {
  it('has a heading and a table row per app', () => {
    const run = pr({
      'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml'),
      'registry/hr/team-anniversaries.yaml': fixture('apps/team-anniversaries.yaml'),
    });
    const r = run('markdown');
    expect(r.code, r.describe()).toBe(0);
    const lines = r.stdout.split('\n');
    expect(
      lines.some((l) => /^#{1,6} \S/.test(l)),
      r.describe(),
    ).toBe(true);
    const header = lines.findIndex((l) => /^\|.*\|\s*$/.test(l));
    expect(header, `a table in:\n${r.stdout}`).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1], 'a table separator row').toMatch(/^\|(\s*:?-{3,}:?\s*\|)+\s*$/);
    const rows = lines.slice(header + 2).filter((l) => /^\|.*\|\s*$/.test(l));
    expect(rows.some((l) => l.includes('standup-notes-bot'))).toBe(true);
    expect(rows.some((l) => l.includes('team-anniversaries'))).toBe(true);
    expect(() => JSON.parse(r.stdout)).toThrow();
  });

  it('exits 1 for an invalid change and still renders markdown', () => {
    const r = pr({ [TYPO_PATH]: TYPO })('markdown');
    expect(r.code, r.describe()).toBe(1);
    expect(
      r.stdout.split('\n').some((l) => /^#{1,6} \S/.test(l)),
      r.describe(),
    ).toBe(true);
    expect(r.stdout).toContain('typo-app');
  });
});

describe('check --format text', () => {
  it('lists findings as path:line:column: and ends with a Decision: line', () => {
    const r = pr({ [TYPO_PATH]: TYPO })('text');
    expect(r.code, r.describe()).toBe(1);
    expect(r.stdout, r.describe()).toMatch(new RegExp(`(^|\\s)${TYPO_PATH.replace(/[.]/g, '\\.')}:9:1: `, 'm'));
    const last = nonEmptyLines(r.stdout).at(-1) ?? '';
    expect(last, r.describe()).toMatch(/^Decision:/);
  });

  it('ends with a Decision: line for an auto-approved change too, exit 0', () => {
    const r = pr({ 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') })('text');
    expect(r.code, r.describe()).toBe(0);
    expect(r.stdout).toContain('standup-notes-bot');
    expect(nonEmptyLines(r.stdout).at(-1), r.describe()).toMatch(/^Decision:/);
  });

  it('is the default format', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { 'registry/it/standup-notes-bot.yaml': fixture('apps/standup-notes-bot.yaml') } });
    const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head]);
    expect(r.code, r.describe()).toBe(0);
    expect(nonEmptyLines(r.stdout).at(-1), r.describe()).toMatch(/^Decision:/);
  });
});

describe('validate --format text', () => {
  it('lists findings as path:line:column:', () => {
    const repo = createSeededRepo();
    repo.write(TYPO_PATH, TYPO);
    const r = runCli(['validate', '--root', repo.dir, '--format', 'text']);
    expect(r.code, r.describe()).toBe(1);
    expect(r.stdout, r.describe()).toMatch(new RegExp(`^${TYPO_PATH.replace(/[.]/g, '\\.')}:9:1: `, 'm'));
  });
});
