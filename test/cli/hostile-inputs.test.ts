/**
 * Hostile registry files (DESIGN.md section 8, invariants 3, 4 and 11): each is refused with
 * its own finding code and line, through the real CLI, and nothing of it leaks or explodes.
 */
import { describe, expect, it } from 'vitest';
import { expectValidateShape, type Finding, type ValidateReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { checkInvalidFile } from '../helpers/check-file.js';
import { runCli, validate, type CliResult } from '../helpers/run-cli.js';

useTempRepos();

const TAIL = [
  'auth:',
  '  type: oidc',
  '  provider: company-sso',
  '  scopes: [openid, profile, email]',
  'connectors: [jira_read_only]',
  '',
].join('\n');

/** `validate --format json` on a seeded registry with one extra file (not committed: validate reads the folder). */
function validateWith(path: string, content: string | Uint8Array): { r: CliResult; findings: Finding[] } {
  const repo = createSeededRepo();
  repo.write(path, content);
  const r = validate(repo.dir);
  expect(r.code, r.describe()).toBe(1);
  const report = expectValidateShape(r.json<ValidateReport>());
  expect(report.valid).toBe(false);
  return { r, findings: report.findings.filter((f) => f.path === path) };
}

/** `check --format json` on a pull request adding one file. */
const checkWith = checkInvalidFile;

function expectFinding(findings: Finding[], code: string, line: number, r: CliResult): Finding {
  const f = findings.find((x) => x.code === code);
  expect(f, `${code} among ${JSON.stringify(findings, null, 2)}\n${r.describe()}`).toBeDefined();
  expect(f!.severity).toBe('error');
  expect(f!.line, JSON.stringify(f)).toBe(line);
  return f!;
}

describe('hostile YAML and JSON', () => {
  it('duplicate keys: parse.duplicate-key at the second key', () => {
    const path = 'registry/it/dup-keys.yaml';
    const { r, findings } = validateWith(
      path,
      ['name: dup-keys', 'owner: it-platform@example.com', 'environment: sandbox', 'environment: production', TAIL].join('\n'),
    );
    const f = expectFinding(findings, 'parse.duplicate-key', 4, r);
    expect(f.column).toBe(1);
  });

  it('duplicate keys in JSON: parse.duplicate-key too', () => {
    const path = 'registry/it/dup-json.json';
    const { r, findings } = validateWith(
      path,
      [
        '{',
        '  "name": "dup-json",',
        '  "owner": "it-platform@example.com",',
        '  "environment": "sandbox",',
        '  "environment": "production",',
        '  "auth": { "type": "oidc", "provider": "company-sso" },',
        '  "connectors": []',
        '}',
        '',
      ].join('\n'),
    );
    expectFinding(findings, 'parse.duplicate-key', 5, r);
  });

  it('a __proto__ key: parse.forbidden-key at the key', () => {
    const path = 'registry/it/proto-app.yaml';
    const { r, findings } = validateWith(
      path,
      ['name: proto-app', 'owner: it-platform@example.com', '__proto__:', '  admin: true', 'environment: sandbox', TAIL].join('\n'),
    );
    const f = expectFinding(findings, 'parse.forbidden-key', 3, r);
    expect(f.column).toBe(1);
  });

  it.each(['constructor', 'prototype'])('a nested "%s" key in JSON: parse.forbidden-key', (key) => {
    const path = `registry/it/${key}-app.json`;
    const { r, findings } = validateWith(
      path,
      [
        '{',
        `  "name": "${key}-app",`,
        '  "owner": "it-platform@example.com",',
        '  "environment": "sandbox",',
        `  "auth": { "type": "oidc", "provider": "company-sso", "${key}": { "polluted": true } },`,
        '  "connectors": []',
        '}',
        '',
      ].join('\n'),
    );
    expectFinding(findings, 'parse.forbidden-key', 5, r);
  });

  const aliasBomb = (name: string) => {
    const lines = [`name: ${name}`, `a: &a [${Array(10).fill('"lol"').join(', ')}]`];
    const letters = 'abcdefghijklmn';
    for (let i = 1; i < letters.length; i++) {
      lines.push(
        `${letters[i]}: &${letters[i]} [${Array(10)
          .fill(`*${letters[i - 1]}`)
          .join(', ')}]`,
      );
    }
    // 10^14 strings if expanded.
    return `${lines.join('\n')}\n${TAIL}`;
  };

  it('a YAML alias bomb through validate: parse.alias, fast, and one finding', () => {
    const path = 'registry/it/alias-bomb.yaml';
    const { r, findings } = validateWith(path, aliasBomb('alias-bomb'));
    const f = expectFinding(findings, 'parse.alias', 3, r);
    expect(f.column).toBe(8);
    expect(findings.length, 'an alias bomb must not become a findings bomb').toBeLessThanOrEqual(3);
    expect(r.durationMs, r.describe()).toBeLessThan(5000);
  });

  it('a YAML alias bomb through check: parse.alias, fast', () => {
    const path = 'registry/it/alias-bomb.yaml';
    const { r, findings } = checkWith(path, aliasBomb('alias-bomb'));
    expectFinding(findings, 'parse.alias', 3, r);
    expect(findings.length).toBeLessThanOrEqual(3);
    expect(r.durationMs, r.describe()).toBeLessThan(5000);
  });

  it('an explicit !!binary tag: parse.tag', () => {
    const path = 'registry/it/binary-tag.yaml';
    const { r, findings } = validateWith(
      path,
      ['name: binary-tag', 'owner: it-platform@example.com', 'environment: sandbox', 'description: !!binary aGVsbG8gd29ybGQ=', TAIL].join(
        '\n',
      ),
    );
    expectFinding(findings, 'parse.tag', 4, r);
  });

  it('a custom tag (!Ref): parse.tag', () => {
    const path = 'registry/it/custom-tag.yaml';
    const { r, findings } = validateWith(
      path,
      ['name: custom-tag', 'owner: it-platform@example.com', 'environment: sandbox', 'description: !Ref SomethingElse', TAIL].join('\n'),
    );
    expectFinding(findings, 'parse.tag', 4, r);
  });

  it('several YAML documents in one file: parse.multiple-documents at the second', () => {
    const path = 'registry/it/multi-doc.yaml';
    const { r, findings } = validateWith(
      path,
      [
        'name: multi-doc',
        'owner: it-platform@example.com',
        '---',
        'name: another-app',
        'owner: it-platform@example.com',
        'environment: sandbox',
        TAIL,
      ].join('\n'),
    );
    expectFinding(findings, 'parse.multiple-documents', 3, r);
  });

  it('an empty file: parse.empty', () => {
    const path = 'registry/it/empty-app.yaml';
    const { r, findings } = validateWith(path, '');
    expectFinding(findings, 'parse.empty', 1, r);
  });

  it('an empty file through check: parse.empty', () => {
    const path = 'registry/it/empty-app.yaml';
    const { r, findings } = checkWith(path, '');
    expectFinding(findings, 'parse.empty', 1, r);
  });

  it('bytes that are not UTF-8: parse.encoding at the line of the bad byte', () => {
    const path = 'registry/it/latin1-app.yaml';
    const content = Buffer.concat([
      Buffer.from('name: latin1-app\nowner: it-platform@example.com\nenvironment: sandbox\ndescription: caf'),
      Buffer.from([0xe9]), // "é" in Latin-1: not valid UTF-8 on its own
      Buffer.from(` au lait\n${TAIL}`),
    ]);
    const { r, findings } = validateWith(path, content);
    expectFinding(findings, 'parse.encoding', 4, r);
  });

  it('a file over 256 KiB: parse.too-large (validate)', () => {
    const path = 'registry/it/huge-app.yaml';
    const padding = `# ${'x'.repeat(98)}\n`.repeat(Math.ceil((257 * 1024) / 101));
    const content = `name: huge-app\nowner: it-platform@example.com\nenvironment: sandbox\n${TAIL}${padding}`;
    expect(Buffer.byteLength(content)).toBeGreaterThan(256 * 1024);
    const { r, findings } = validateWith(path, content);
    expectFinding(findings, 'parse.too-large', 1, r);
  });

  it('a file over 256 KiB: parse.too-large (check, read from git objects)', () => {
    const path = 'registry/it/huge-app.yaml';
    const padding = `# ${'x'.repeat(98)}\n`.repeat(Math.ceil((300 * 1024) / 101));
    const { r, findings } = checkWith(path, `name: huge-app\nowner: it-platform@example.com\nenvironment: sandbox\n${TAIL}${padding}`);
    expectFinding(findings, 'parse.too-large', 1, r);
  });

  it('invalid JSON syntax: parse.syntax at the line of the mistake', () => {
    const path = 'registry/it/broken-json.json';
    const { r, findings } = validateWith(
      path,
      [
        '{',
        '  "name": "broken-json",',
        '  "owner": "it-platform@example.com"',
        '  "environment": "sandbox",',
        '  "auth": { "type": "oidc", "provider": "company-sso" },',
        '  "connectors": []',
        '}',
        '',
      ].join('\n'),
    );
    expectFinding(findings, 'parse.syntax', 4, r);
  });

  it('JSON with a comment is not JSON: parse.syntax', () => {
    const path = 'registry/it/commented-json.json';
    const { r, findings } = validateWith(
      path,
      [
        '{',
        '  "name": "commented-json",',
        '  // the owner',
        '  "owner": "it-platform@example.com",',
        '  "environment": "sandbox",',
        '  "auth": { "type": "oidc", "provider": "company-sso" },',
        '  "connectors": []',
        '}',
        '',
      ].join('\n'),
    );
    expectFinding(findings, 'parse.syntax', 3, r);
  });
});

describe('secrets pasted into a manifest', () => {
  const SECRET = 'AKIAIOSFODNN7EXAMPLE';
  const path = 'registry/it/leaky-app.yaml';
  const leaky = [
    'name: leaky-app',
    'owner: it-platform@example.com',
    'environment: sandbox',
    `description: Uploads the weekly report to S3 with the access key ${SECRET} until IT gives us a connector.`,
    TAIL,
  ].join('\n');

  const expectNoLeak = (r: CliResult) => {
    expect(r.stdout.includes(SECRET), `the secret appears on stdout:\n${r.describe()}`).toBe(false);
    expect(r.stderr.includes(SECRET), `the secret appears on stderr:\n${r.describe()}`).toBe(false);
  };

  it('validate: secret.detected on the line of the secret, and the secret is not repeated', () => {
    const { r, findings } = validateWith(path, leaky);
    expectFinding(findings, 'secret.detected', 4, r);
    expectNoLeak(r);
  });

  it('validate --format text does not repeat the secret either', () => {
    const repo = createSeededRepo();
    repo.write(path, leaky);
    const r = runCli(['validate', '--root', repo.dir, '--format', 'text']);
    expect(r.code, r.describe()).toBe(1);
    expect(r.stdout).toContain('secret.detected');
    expectNoLeak(r);
  });

  it('check (json, text, markdown): secret.detected, invalid, and the secret is never printed', () => {
    const { r, findings } = checkWith(path, leaky);
    expectFinding(findings, 'secret.detected', 4, r);
    expectNoLeak(r);

    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { [path]: leaky } });
    for (const format of ['text', 'markdown']) {
      const out = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head, '--format', format]);
      expect(out.code, out.describe()).toBe(1);
      expectNoLeak(out);
    }
  });
});
