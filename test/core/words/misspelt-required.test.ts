/** Issue 9, section 7: a misspelt required field is one finding with a did-you-mean, not two. */
import { describe, expect, it } from 'vitest';
import { loadFile } from '../../../src/core/registry/load-file.js';

const load = (path: string, text: string, role: 'app' | 'connector' = 'app') =>
  loadFile(path, role, new TextEncoder().encode(text)).findings.map((f) => ({
    code: f.code,
    line: f.line,
    column: f.column,
    message: f.message,
  }));

const AUTH = 'auth:\n  type: oidc\n  provider: company-sso\n';

describe('a misspelt required field', () => {
  it('"enviroment" is one finding: the unknown field, with "did you mean environment?"', () => {
    expect(
      load(
        'registry/it/my-app.yaml',
        `name: my-app\nowner: it-platform@example.com\nenviroment: sandbox\n${AUTH}connectors: [jira_read_only]\n`,
      ),
    ).toEqual([
      {
        code: 'schema.unknown-field',
        line: 3,
        column: 1,
        message:
          '"enviroment" is not a known field in an app manifest. Did you mean "environment"? Unknown fields are refused so that a typo never weakens a check.',
      },
    ]);
  });

  it('neighbour: a nested one (auth.typ) in JSON', () => {
    const text =
      '{\n  "name": "my-app",\n  "owner": "it-platform@example.com",\n  "environment": "sandbox",\n  "auth": { "typ": "oidc", "provider": "company-sso" },\n  "connectors": ["jira_read_only"]\n}\n';
    expect(load('registry/it/my-app.json', text)).toEqual([
      {
        code: 'schema.unknown-field',
        line: 5,
        column: 13,
        message:
          '"typ" is not a known field in "auth". Did you mean "type"? Unknown fields are refused so that a typo never weakens a check.',
      },
    ]);
  });

  it("neighbour: a connector manifest's misspelt required field (owner -> ownr)", () => {
    const f = load(
      'connectors/jira_read_only.yaml',
      'connector_id: jira_read_only\nallowed_scopes: [issues:read]\nrate_limit: "100/hour"\nownr: it@example.com\nrotation_days: 90\n',
      'connector',
    );
    expect(f.map((x) => x.code)).toEqual(['schema.unknown-field']);
    expect(f[0]!.message).toContain('Did you mean "owner"?');
  });

  it('a missing required field with an unrelated unknown field stays two findings', () => {
    const f = load(
      'registry/it/my-app.yaml',
      `name: my-app\nowner: it-platform@example.com\ncolour: blue\n${AUTH}connectors: [jira_read_only]\n`,
    );
    expect(f.map((x) => x.code).sort()).toEqual(['schema.missing-field', 'schema.unknown-field']);
  });
});
