/**
 * Issue 9, section 7, through the real CLI: the words of check, explain and validate say what
 * happened, on real git registries seeded with the shipped connectors, policy and directory.
 */
import { describe, expect, it } from 'vitest';
import { appAt, type CheckReport } from '../helpers/contract.js';
import { createSeededRepo, openPullRequest, useTempRepos } from '../helpers/git-repo.js';
import { check, runCli, validate } from '../helpers/run-cli.js';

useTempRepos();

const APP = (name: string, lines: string[]) =>
  [
    `name: ${name}`,
    'owner: marketing-team@example.com',
    'environment: sandbox',
    'auth:',
    '  type: oidc',
    '  provider: company-sso',
    '  scopes: [openid]',
    ...lines,
    '',
  ].join('\n');
const DROPPER = 'registry/marketing/dropper-app.yaml';

describe("check and explain: a guard is named, with the connector catalog's own words", () => {
  it('check (text): a blocked connector is not called the default, and its description says what to use instead', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { [DROPPER]: APP('dropper-app', ['connectors:', '  - personal_dropbox']) } });
    const r = runCli(['check', '--root', repo.dir, '--base', 'main', '--head', head]);
    expect(r.code, r.describe()).toBe(1);
    expect(r.stdout).not.toContain("the policy's default applies (deny)");
    expect(r.stdout).toContain(
      '  why: No rule of the policy matched, so the policy\'s default applies (manager approval), but the built-in guard "blocked connector" is stricter and decides: deny.\n',
    );
    expect(r.stdout).toContain(
      'The connector catalog says about "personal_dropbox": Blocked. Personal Dropbox accounts sit outside company single sign-on',
    );
    expect(r.stdout).toContain('Use s3_exports or sharepoint_files_read instead.');
  });

  it('neighbour: explain of the same file, and check --format json', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { [DROPPER]: APP('dropper-app', ['connectors:', '  - personal_dropbox']) } });
    const e = runCli(['explain', '--root', repo.dir, DROPPER]);
    expect(e.code, e.describe()).toBe(1);
    expect(e.stdout).toContain('\nDecision: denied.\n');
    expect(e.stdout).toContain('"blocked connector" is stricter and decides: deny.');
    expect(e.stdout).toContain('Use s3_exports or sharepoint_files_read instead.');
    const app = appAt(check(repo.dir, 'main', head).json<CheckReport>(), DROPPER);
    expect((app.reasons as string[])[1]).toBe(
      'No rule of the policy matched, so the policy\'s default applies (manager approval), but the built-in guard "blocked connector" is stricter and decides: deny.',
    );
  });
});

describe("all problems in one run: a deny is said next to the file's errors", () => {
  const broken = APP('dropper-app', ['connectors:', '  - personal_dropbox', 'retention_days: thirty']);

  it('check: invalid, with the schema error and the denial by the blocked-connector guard', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { [DROPPER]: broken } });
    const r = check(repo.dir, 'main', head);
    expect(r.code, r.describe()).toBe(1);
    const app = appAt(r.json<CheckReport>(), DROPPER);
    expect(app.decision).toBe('invalid');
    expect(app.findings.map((f) => [f.code, f.line])).toContainEqual(['schema.type', 10]);
    expect(app.rules).toEqual(['guard:blocked-connector']);
    expect((app.reasons as string[])[0]).toBe('The manifest has errors: fix the problems listed for this file.');
    expect((app.reasons as string[])[1]).toMatch(
      /^Even with the errors fixed, it would be denied: Connector "personal_dropbox" is blocked in the connector catalog/,
    );
    expect(app.remedies).toEqual(['Remove "personal_dropbox" from "connectors".']);
  });

  it('neighbour: explain of the broken file lists the error and the denial', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { [DROPPER]: broken } });
    const r = runCli(['explain', '--root', repo.dir, DROPPER]);
    expect(r.code, r.describe()).toBe(1);
    expect(r.stdout).toContain(`${DROPPER}:10:17: error: "retention_days" must be a whole number, not the text "thirty". [schema.type]\n`);
    expect(r.stdout).toContain(
      '\nEven with them fixed, it would be denied: Connector "personal_dropbox" is blocked in the connector catalog',
    );
  });
});

describe('a connector listed by its bare id gets a hint with the object form', () => {
  const path = 'registry/it/bare-app.yaml';
  const bare = APP('bare-app', ['connectors:', '  - jira_read_only']).replace('marketing-team', 'it-platform');
  const HINT =
    '"jira_read_only" is listed by its id alone, so the app gets all of its scopes (issues:read, projects:read). List only the scopes the app needs, in the form { id: jira_read_only, scopes: [issues:read, projects:read] } with the ones it does not need removed.';

  it('check: a notice (advice, not a warning) on the connector entry of the changed app', () => {
    const repo = createSeededRepo();
    const head = openPullRequest(repo, { write: { [path]: bare } });
    const r = check(repo.dir, 'main', head);
    const app = appAt(r.json<CheckReport>(), path);
    expect(app.findings.filter((f) => f.code === 'app.connector-all-scopes')).toEqual([
      { severity: 'notice', code: 'app.connector-all-scopes', path, line: 9, column: 5, message: HINT },
    ]);
  });

  it('neighbour: explain says it too; validate of the whole registry does not', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, { write: { [path]: bare } });
    const e = runCli(['explain', '--root', repo.dir, path]);
    expect(e.stdout, e.describe()).toContain(`${path}:9:5: notice: ${HINT} [app.connector-all-scopes]`);
    const v = validate(repo.dir);
    expect(v.stdout, v.describe()).not.toContain('app.connector-all-scopes');
  });
});

describe('validate: syntax slips and misspelt required fields in plain words', () => {
  it('YAML: "add a space after \':\' on line 6"; JSON: "remove the comma after the last item on line 5"', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: {
        'registry/it/glued-app.yaml':
          'name: glued-app\nowner: it-platform@example.com\nenvironment: sandbox\nauth:\n  type: oidc\n  provider:company-sso\n',
        'registry/it/comma-app.json':
          '{\n  "name": "comma-app",\n  "owner": "it-platform@example.com",\n  "environment": "sandbox",\n  "connectors": ["jira_read_only"],\n}\n',
      },
    });
    const r = runCli(['validate', '--root', repo.dir]);
    expect(r.code, r.describe()).toBe(1);
    expect(r.stdout).toContain(
      "registry/it/glued-app.yaml:6:11: error: This is not valid YAML: add a space after ':' on line 6. [parse.syntax]\n",
    );
    expect(r.stdout).toContain(
      'registry/it/comma-app.json:5:35: error: This is not valid JSON: remove the comma after the last item on line 5. [parse.syntax]\n',
    );
  });

  it('a misspelt "enviroment" is one finding for that file', () => {
    const repo = createSeededRepo();
    openPullRequest(repo, {
      write: {
        'registry/it/typo-app.yaml': APP('typo-app', ['connectors: [jira_read_only]'])
          .replace('marketing-team', 'it-platform')
          .replace('environment:', 'enviroment:'),
      },
    });
    const findings = validate(repo.dir)
      .json<{ findings: Array<{ path: string; code: string; message: string }> }>()
      .findings.filter((f) => f.path === 'registry/it/typo-app.yaml');
    expect(findings.map((f) => f.code)).toEqual(['schema.unknown-field']);
    expect(findings[0]!.message).toContain('Did you mean "environment"?');
  });
});
