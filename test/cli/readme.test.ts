/**
 * Issue 9, section 7: the README a new user reads first. The manifest it says to copy is one
 * that is auto-approved, its examples are well-formed code blocks, and its command table lists
 * every command the CLI has (as `microapps --help` lists them), --version and COMMAND --help.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_SCOPES_CODE } from '../../src/core/check/connector-hints.js';
import { REPO_ROOT } from '../helpers/paths.js';
import { runCli } from '../helpers/run-cli.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

/** The text of one `## ` section of the README. */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}`);
  expect(start, `the README has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe('README', () => {
  it('the first manifest a citizen developer is told to copy is auto-approved, and needs no advice', () => {
    const first = /\]\((registry\/[^)]+\.(?:ya?ml|json))\)/.exec(section('For citizen developers'))?.[1];
    expect(first, 'a registry manifest to copy is linked').toBeDefined();
    const r = runCli(['explain', '--root', REPO_ROOT, first!, '--format', 'json']);
    expect(r.code, r.describe()).toBe(0);
    const explained = r.json<{ verdict: { decision: string }; findings: Array<{ code: string }> }>();
    expect(explained.verdict.decision).toBe('auto_approve');
    expect(explained.findings, 'a copy of it gets no notice either').toEqual([]);
    expect(explained.findings.map((f) => f.code)).not.toContain(ALL_SCOPES_CODE);
  });

  it('every code block is closed and names its language: no stray fence after an example', () => {
    const fences = README.split('\n').flatMap((line, i) => (/^\s*```/.test(line) ? [{ line: i + 1, text: line.trim() }] : []));
    expect(fences.length % 2, 'fences come in pairs').toBe(0);
    for (let k = 0; k < fences.length; k += 2) {
      expect(fences[k]!.text, `the block opened on line ${fences[k]!.line} names its language`).toMatch(/^```[a-z]+$/);
      expect(fences[k + 1]!.text, `the block opened on line ${fences[k]!.line} is closed by a bare fence`).toBe('```');
    }
  });

  it('the command table lists every command of microapps --help, --version and COMMAND --help', () => {
    const help = runCli(['--help']);
    expect(help.code, help.describe()).toBe(0);
    const usages = help.stdout.split('\n').flatMap((l) => /^ {2}microapps ([a-z]+(?: [a-z]+)?)\b/.exec(l)?.[1] ?? []);
    // Each command module of the CLI appears in its help.
    const modules = readdirSync(join(REPO_ROOT, 'src', 'cli', 'commands'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.replace(/\.ts$/, ''));
    for (const m of modules)
      expect(
        usages.some((u) => u.split(' ')[0] === m),
        `--help lists ${m}`,
      ).toBe(true);

    const rows = section('The `microapps` command')
      .split('\n')
      .flatMap((l) => /^\| `microapps ([^`]+)`/.exec(l)?.[1] ?? []);
    // "check", "audit verify", "audit keygen", ...: each has its row.
    expect(usages.length).toBeGreaterThanOrEqual(modules.length);
    for (const command of usages) {
      expect(
        rows.some((r) => r === command || r.startsWith(`${command} `)),
        `the table lists "microapps ${command}"`,
      ).toBe(true);
    }
    expect(rows).toContain('--version');
    expect(rows).toContain('COMMAND --help');
  });
});
