/**
 * Limits that keep every command linear and alive on hostile files (issue 9, section 5): a
 * stack bomb of nested lists, a manifest of thousands of keys, thousands of findings. Each is
 * refused with one finding at its position, through the real CLI bundle and the Action.
 */
import { describe, expect, it } from 'vitest';
import { expectActionOutputs } from '../helpers/action-contract.js';
import { allFindings, expectValidateShape, type Finding, type ValidateReport } from '../helpers/contract.js';
import { createSeededRepo, useTempRepos } from '../helpers/git-repo.js';
import { checkInvalidFile } from '../helpers/check-file.js';
import { runPullRequest } from '../helpers/run-action.js';
import { validate } from '../helpers/run-cli.js';

useTempRepos();

const HEAD = 'name: deep-app\nowner: it-platform@example.com\nenvironment: sandbox\n';
/** 10 KB of nested lists: 5,000 levels. */
const deepJson = `{"name": "deep-app", "owner": "it-platform@example.com", "tags": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
const deepYamlFlow = `${HEAD}tags: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
/** Block nesting, one space more per level: caught by the strict parser's walk at level 65. */
const deepYamlBlock = `${HEAD}tags:\n${Array.from({ length: 99 }, (_, i) => `${' '.repeat(i + 1)}-\n`).join('')}`;

function validateFinding(path: string, content: string): Finding[] {
  const repo = createSeededRepo();
  repo.write(path, content);
  const r = validate(repo.dir);
  expect(r.code, r.describe()).toBe(1);
  const report = expectValidateShape(r.json<ValidateReport>());
  return report.findings.filter((f) => f.path === path);
}

const checkFindings = (path: string, content: string): Finding[] => checkInvalidFile(path, content).findings;

describe('nesting depth is capped at 64', () => {
  const cases: Array<[string, string, string, number, number]> = [
    // The object is level 1, so the 64th bracket opens level 65 (columns are 1-based).
    ['JSON', 'registry/it/deep-app.json', deepJson, 1, deepJson.indexOf('[') + 64],
    ['YAML flow lists', 'registry/it/deep-app.yaml', deepYamlFlow, 4, 7 + 64],
    // Line 5 opens level 2 (the root block is level 1): level 65 is line 68, indented 64.
    ['YAML block lists', 'registry/it/deep-app.yaml', deepYamlBlock, 68, 65],
  ];
  for (const [kind, path, content, line, column] of cases) {
    it(`${kind}: validate reports parse.too-deep at the 65th level (no crash)`, () => {
      const findings = validateFinding(path, content);
      expect(findings.map((f) => [f.code, f.line, f.column])).toEqual([['parse.too-deep', line, column]]);
      expect(findings[0]!.message).toMatch(/more than 64 levels deep/);
    });
  }
  it('JSON and YAML: check reports parse.too-deep for a pull request adding the file', () => {
    expect(checkFindings('registry/it/deep-app.json', deepJson).map((f) => f.code)).toEqual(['parse.too-deep']);
    expect(checkFindings('registry/it/deep-app.yaml', deepYamlFlow).map((f) => f.code)).toEqual(['parse.too-deep']);
  });
  it('the Action sets every output and annotates the file', () => {
    const r = runPullRequest({
      write: { 'registry/it/deep-app.json': deepJson, 'registry/it/deep-yaml.yaml': deepYamlFlow.replace('deep-app', 'deep-yaml') },
    });
    expect(r.code, r.describe()).toBe(1);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('invalid');
    expect(
      allFindings(report)
        .filter((f) => f.code === 'parse.too-deep')
        .map((f) => f.path)
        .sort(),
    ).toEqual(['registry/it/deep-app.json', 'registry/it/deep-yaml.yaml']);
  });
  it('64 levels are still accepted by the parser (the schema then judges the value)', () => {
    const findings = validateFinding('registry/it/deep-app.yaml', `${HEAD}tags: ${'['.repeat(63)}${']'.repeat(63)}\n`);
    expect(findings.map((f) => f.code)).not.toContain('parse.too-deep');
  });
});

describe('keys and findings per file are capped', () => {
  const manyKeys = (n: number, json: boolean) =>
    json
      ? `{"name": "many-keys", "owner": "it-platform@example.com", "environment": "sandbox", ${Array.from({ length: n }, (_, i) => `"k${i}": 1`).join(', ')}}`
      : `name: many-keys\nowner: it-platform@example.com\nenvironment: sandbox\n${Array.from({ length: n }, (_, i) => `k${i}: 1\n`).join('')}`;

  it('YAML with 16,000 keys: one parse.too-many-keys finding at the 10,001st key', () => {
    const findings = validateFinding('registry/it/many-keys.yaml', manyKeys(16_000, false));
    expect(findings.map((f) => [f.code, f.line])).toEqual([['parse.too-many-keys', 4 + 10_000 - 3]]);
  });
  it('JSON with 16,000 keys: the same finding, in check too', () => {
    expect(validateFinding('registry/it/many-keys.json', manyKeys(16_000, true)).map((f) => f.code)).toEqual(['parse.too-many-keys']);
    expect(checkFindings('registry/it/many-keys.yaml', manyKeys(16_000, false)).map((f) => f.code)).toEqual(['parse.too-many-keys']);
  });
  it('5,000 unknown fields: 100 findings at their own lines, then one "and N more"', () => {
    const findings = validateFinding('registry/it/many-keys.yaml', manyKeys(5_000, false));
    expect(findings).toHaveLength(101);
    // Positions still resolve for every listed key (through the per-block index).
    expect(findings.slice(0, 100).every((f) => f.code === 'schema.unknown-field' || f.code === 'schema.missing-field')).toBe(true);
    const unknown = findings.filter((f) => f.code === 'schema.unknown-field');
    expect(unknown.length).toBeGreaterThan(90);
    for (const f of unknown) expect(f.message).toContain(`"k${f.line - 4}"`);
    const more = findings[100]!;
    expect(more.code).toBe('file.more-findings');
    expect(more.severity).toBe('error');
    expect(more.message).toMatch(/^\.\.\.and 4,9\d\d more problems in this file/);
  });
  it('duplicate keys are still refused at the second key (own check, no quadratic library check)', () => {
    const text = `${manyKeys(3, false)}k1: 2\n`;
    expect(validateFinding('registry/it/many-keys.yaml', text).map((f) => [f.code, f.line])).toEqual([['parse.duplicate-key', 7]]);
  });
});
