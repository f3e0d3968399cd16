import { describe, expect, it } from 'vitest';
import { loadFile } from '../../../src/core/registry/load-file.js';

const load = (path: string, text: string, role: 'app' | 'connector' | 'policy' | 'directory' = 'app') =>
  loadFile(path, role, new TextEncoder().encode(text));

const APP = `name: demo-app
owner: it-team@example.com
environment: sandbox
auth:
  type: oidc
  provider: company-sso
connectors: [jira_read_only]
`;

describe('schema validation of manifests', () => {
  it('accepts a valid app manifest', () => {
    expect(load('registry/it/demo-app.yaml', APP).findings).toEqual([]);
  });

  it('refuses a misspelt field at its key, with a did-you-mean', () => {
    const f = load('registry/it/demo-app.yaml', `${APP}data_type: [pii]\n`).findings;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'schema.unknown-field', line: 8, column: 1, severity: 'error' });
    expect(f[0]!.message).toContain('Did you mean "data_types"?');
  });

  it('refuses unknown nested fields such as an api key under auth', () => {
    const f = load(
      'registry/it/demo-app.yaml',
      APP.replace('  provider: company-sso\n', '  provider: company-sso\n  api_key: x\n'),
    ).findings;
    expect(f[0]).toMatchObject({ code: 'schema.unknown-field', line: 7, column: 3 });
  });

  it('names a missing required field', () => {
    const f = load('registry/it/demo-app.yaml', APP.replace('environment: sandbox\n', '')).findings;
    expect(f[0]).toMatchObject({ code: 'schema.missing-field' });
    expect(f[0]!.message).toContain('"environment"');
  });

  it('explains an enum with the allowed values and a did-you-mean', () => {
    const f = load('registry/it/demo-app.yaml', APP.replace('environment: sandbox', 'environment: prodution')).findings;
    expect(f[0]).toMatchObject({ code: 'schema.not-allowed', line: 3, column: 14 });
    expect(f[0]!.message).toContain('sandbox, production');
    expect(f[0]!.message).toContain('Did you mean "production"?');
  });

  it('explains a wrong type in plain words', () => {
    const f = load('registry/it/demo-app.yaml', `${APP}retention_days: "ninety"\n`).findings;
    expect(f[0]).toMatchObject({ code: 'schema.type', line: 8, column: 17 });
    expect(f[0]!.message).toContain('a whole number');
  });

  it('reports one precise error for a connector object, not every alternative', () => {
    const f = load(
      'registry/it/demo-app.yaml',
      APP.replace('connectors: [jira_read_only]', 'connectors:\n  - id: jira_read_only\n    scope: [x]'),
    ).findings;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'schema.unknown-field', line: 9, column: 5 });
    expect(f[0]!.message).toContain('Did you mean "scopes"?');
  });

  it('explains a badly formed name', () => {
    const f = load('registry/it/demo-app.yaml', APP.replace('name: demo-app', 'name: Demo_App')).findings;
    expect(f[0]).toMatchObject({ code: 'schema.format', line: 1, column: 7 });
    expect(f[0]!.message).toContain('lower-case words joined by hyphens');
  });

  it('finds a secret pasted into a free-text field without repeating it', () => {
    const f = load('registry/it/demo-app.yaml', `${APP}description: "key AKIAIOSFODNN7EXAMPLE for the bucket"\n`).findings;
    expect(f[0]).toMatchObject({ code: 'secret.detected', line: 8, column: 14 });
    expect(f[0]!.message).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  it('validates connectors and refuses unknown statuses', () => {
    const f = load(
      'connectors/x.yaml',
      'connector_id: x\nallowed_scopes: [a]\nrate_limit: 10/hour\nowner: a@example.com\nrotation_days: 90\nstatus: maybe\n',
      'connector',
    ).findings;
    expect(f[0]).toMatchObject({ code: 'schema.not-allowed', line: 6 });
  });
});

describe('schema validation of named keys', () => {
  it('points at a badly named list, once', () => {
    const f = loadFile(
      'policies/approval.yaml',
      'policy',
      new TextEncoder().encode(
        'lists:\n  good_list: [a]\n  Bad-List: [b]\npolicy:\n  - id: 1\n    name: r\n    conditions: [environment == "sandbox"]\n    action: auto_approve\n',
      ),
    ).findings;
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'schema.format', line: 3, column: 3 });
    expect(f[0]!.message).toContain('"Bad-List"');
  });
});
