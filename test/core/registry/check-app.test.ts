import { describe, expect, it } from 'vitest';
import type { ConnectorManifest } from '../../../src/core/model.js';
import { checkApp } from '../../../src/core/registry/check-app.js';
import { loadFile } from '../../../src/core/registry/load-file.js';

const connector = (id: string, scopes: string[]): ConnectorManifest => ({
  connector_id: id,
  allowed_scopes: scopes,
  rate_limit: '100/hour',
  owner: 'it@example.com',
  rotation_days: 90,
});
const catalog = { connectors: new Map([['jira_read_only', connector('jira_read_only', ['issues:read', 'projects:read'])]]) };
const directory = { owners: { 'it-team@example.com': { managers: ['boss'] } } };

const app = (path: string, body: string) =>
  loadFile(
    path,
    'app',
    new TextEncoder().encode(`name: demo-app
owner: it-team@example.com
environment: sandbox
auth: {type: oidc, provider: company-sso}
${body}`),
  );

describe('checkApp', () => {
  it('accepts an app whose connectors and scopes are in the catalog', () => {
    const file = app('registry/it/demo-app.yaml', 'connectors:\n  - id: jira_read_only\n    scopes: [issues:read]\n');
    expect(checkApp(file, catalog, directory, new Map())).toEqual([]);
  });

  it('refuses a scope the connector does not offer, at the scope, with a did-you-mean', () => {
    const file = app('registry/it/demo-app.yaml', 'connectors:\n  - id: jira_read_only\n    scopes: [issues:read, issue:write]\n');
    const [f] = checkApp(file, catalog, directory, new Map());
    expect(f).toMatchObject({ code: 'app.scope-not-allowed', line: 7, column: 27 });
    expect(f!.message).toContain('issues:read, projects:read');
  });

  it('refuses a connector listed twice', () => {
    const file = app('registry/it/demo-app.yaml', 'connectors: [jira_read_only, jira_read_only]\n');
    expect(checkApp(file, catalog, directory, new Map())[0]).toMatchObject({ code: 'app.duplicate-connector', line: 5, column: 30 });
  });

  it('refuses a name that differs from the file name', () => {
    const file = app('registry/it/other-name.yaml', 'connectors: []\n');
    expect(checkApp(file, catalog, directory, new Map())[0]).toMatchObject({ code: 'app.name-mismatch', line: 1, column: 7 });
  });

  it('refuses an owner missing from the directory, with a did-you-mean', () => {
    const file = app('registry/it/demo-app.yaml', 'connectors: []\n');
    const f = checkApp(file, catalog, { owners: { 'it-teams@example.com': { managers: ['boss'] } } }, new Map());
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'app.unknown-owner', severity: 'error', line: 2, column: 8 });
    expect(f[0]!.message).toContain('Did you mean "it-teams@example.com"?');
  });

  it('checks no owner when there is no directory', () => {
    expect(checkApp(app('registry/it/demo-app.yaml', 'connectors: []\n'), catalog, undefined, new Map())).toEqual([]);
  });

  describe("the owner's folder", () => {
    const withFolder = (folder: string) => ({ owners: { 'it-team@example.com': { managers: ['boss'], folder } } });

    it("accepts an app directly in its owner's folder", () => {
      expect(checkApp(app('registry/it/demo-app.yaml', 'connectors: []\n'), catalog, withFolder('it'), new Map())).toEqual([]);
      expect(checkApp(app('registry/it/tools/demo-app.yaml', 'connectors: []\n'), catalog, withFolder('it/tools'), new Map())).toEqual([]);
    });

    it('refuses an app in another folder, a subfolder or a folder whose name only starts the same, saying where to move it', () => {
      for (const path of [
        'registry/hr/demo-app.yaml',
        'registry/it/old/demo-app.yaml',
        'registry/itx/demo-app.yaml',
        'registry/demo-app.yaml',
      ]) {
        const f = checkApp(app(path, 'connectors: []\n'), catalog, withFolder('it'), new Map());
        expect(f, path).toHaveLength(1);
        expect(f[0]).toMatchObject({ code: 'app.wrong-folder', severity: 'error', path, line: 2, column: 8 });
        expect(f[0]!.message).toContain('Move it to registry/it/demo-app.yaml');
      }
    });

    it('sets no folder rule for an entry without a folder', () => {
      expect(checkApp(app('registry/anywhere/demo-app.yaml', 'connectors: []\n'), catalog, directory, new Map())).toEqual([]);
    });
  });

  it('still cross-checks a manifest with schema errors, so every problem shows in one run', () => {
    const file = app('registry/it/demo-app.yaml', 'connectors: [jira_read_onl]\nretention_day: 3\n');
    expect(file.valid).toBe(false);
    const [f] = checkApp(file, catalog, directory, new Map());
    expect(f).toMatchObject({ code: 'app.unknown-connector', line: 5, column: 14 });
    expect(f!.message).toContain('Did you mean "jira_read_only"?');
  });
});
