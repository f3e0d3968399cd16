/** Issue 9, section 7: a denied or review-needing app is annotated at the line that caused it. */
import { describe, expect, it } from 'vitest';
import { judgeChange } from '../../../src/core/check/judge-change.js';
import { loadFile } from '../../../src/core/registry/load-file.js';
import { ALL_SCOPES_CODE, MAX_HINTED_APPS } from '../../../src/core/check/connector-hints.js';
import { ANNOTATIONS_PER_REQUEST, checkAnnotations } from '../../../src/core/render/check-annotations.js';
import { roleOf, type TreeListing } from '../../../src/core/tree.js';
import { diffTrees } from '../../../src/core/check/diff-trees.js';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths.js';

const enc = new TextEncoder();

/** The shipped connectors and policy as the base tree; `apps` added in the head. */
function judge(apps: Record<string, string>, baseApps: Record<string, string> = {}, policy = (text: string) => text) {
  const baseFiles: Record<string, string> = { ...baseApps };
  for (const f of readdirSync(join(REPO_ROOT, 'connectors')))
    if (f.endsWith('.yaml')) baseFiles[`connectors/${f}`] = readFileSync(join(REPO_ROOT, 'connectors', f), 'utf8');
  for (const f of ['approval.yaml', 'owners.yaml']) baseFiles[`policies/${f}`] = readFileSync(join(REPO_ROOT, 'policies', f), 'utf8');
  baseFiles['policies/approval.yaml'] = policy(baseFiles['policies/approval.yaml']!);
  const headFiles = { ...baseFiles, ...apps };
  const listing = (files: Record<string, string>): TreeListing => ({
    entries: Object.keys(files)
      .sort()
      .map((path) => ({ path, kind: 'file' as const, oid: `${path}:${files[path]!.length}` })),
  });
  const load = (files: Record<string, string>) => Object.entries(files).map(([p, t]) => loadFile(p, roleOf(p), enc.encode(t)));
  const diff = diffTrees(listing(baseFiles), listing(headFiles));
  return judgeChange({
    diff,
    base: { listing: listing(baseFiles), files: load(baseFiles), label: 'main' },
    previous: load(baseApps),
    head: { listing: listing(headFiles), files: load(headFiles), label: 'pr' },
    fullHeadValidation: false,
  });
}

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

describe('annotations at the cause (App check runs)', () => {
  it('a blocked connector: a failure on the connector entry (line 10), not a notice on line 1', () => {
    const path = 'registry/marketing/dropper-app.yaml';
    const report = judge({ [path]: APP('dropper-app', ['connectors:', '  - id: web_analytics_read', '  - personal_dropbox']) });
    expect(report.apps[0]!.decision).toBe('deny');
    const a = checkAnnotations(report).filter((x) => x.path === path);
    expect(a.map((x) => [x.annotation_level, x.start_line, x.start_column, x.title])).toEqual([['failure', 10, 5, 'dropper-app: denied']]);
    expect(a[0]!.message).toContain('Connector "personal_dropbox" is blocked');
  });

  it("a deny by the policy's default (no line of its own): still a failure, on line 1, with the reasons", () => {
    const path = 'registry/marketing/plain-app.yaml';
    const denyByDefault = (text: string) => {
      expect(text).toContain('default_action: manager_approval');
      return text.replace('default_action: manager_approval', 'default_action: deny');
    };
    // A production app matches no rule of the shipped policy, so the default decides.
    const report = judge(
      { [path]: APP('plain-app', ['connectors: []']).replace('environment: sandbox', 'environment: production') },
      {},
      denyByDefault,
    );
    expect(report.apps[0]!.decision).toBe('deny');
    const a = checkAnnotations(report).filter((x) => x.path === path);
    expect(a.map((x) => [x.annotation_level, x.start_line, x.title])).toEqual([['failure', 1, 'plain-app: denied']]);
    expect(a[0]!.message).toContain('default');
  });

  it('neighbour: a review from data types brought by a connector: a notice on that connector entry', () => {
    const path = 'registry/marketing/expenses-app.yaml';
    const report = judge({ [path]: APP('expenses-app', ['connectors:', '  - id: expense_api_write', '    scopes: [expenses:read]']) });
    expect(report.apps[0]!.decision).toBe('security_team_review');
    const a = checkAnnotations(report).filter((x) => x.path === path && x.annotation_level === 'notice');
    expect(a.map((x) => [x.start_line, x.start_column])).toEqual([[9, 5]]);
    expect(a[0]!.message).toContain('Data types: financial_write, from connector expense_api_write.');
  });
});

describe('annotations at the cause: the owner-transfer guard', () => {
  it('a handed-over app: the notice is on the owner line, not on line 1', () => {
    const path = 'registry/finance/budget-app.yaml';
    const manifest = (owner: string) =>
      APP('budget-app', ['connectors:', '  - id: expense_api_read', '    scopes: [reports:read]']).replace(
        'owner: marketing-team@example.com',
        `owner: ${owner}`,
      );
    const report = judge({ [path]: manifest('finance-systems@example.com') }, { [path]: manifest('finance-team@example.com') });
    expect(report.apps[0]).toMatchObject({ change: 'modified', decision: 'manager_approval' });
    const a = checkAnnotations(report).filter((x) => x.path === path);
    expect(a.map((x) => [x.annotation_level, x.start_line, x.start_column])).toEqual([['notice', 2, 8]]);
    expect(a[0]!.message).toContain("The app's owner changes from finance-team@example.com to finance-systems@example.com.");
  });
});

describe('advice: a connector listed by its bare id, in a pull request of many apps', () => {
  const BULK = MAX_HINTED_APPS + 50;
  const bulkPath = (i: number) => `registry/marketing/bulk-${String(i).padStart(3, '0')}.yaml`;
  function judgeBulk() {
    const apps: Record<string, string> = {};
    for (let i = 0; i < BULK; i++) apps[bulkPath(i)] = APP(`bulk-${String(i).padStart(3, '0')}`, ['connectors:', '  - jira_read_only']);
    // The one app that needs a review, last in path order.
    apps['registry/marketing/zz-expenses-app.yaml'] = APP('zz-expenses-app', [
      'connectors:',
      '  - id: expense_api_write',
      '    scopes: [expenses:read]',
    ]);
    return judge(apps);
  }

  it('the first apps get the notice on the connector entry, then one notice for the rest (bounded cost)', () => {
    const report = judgeBulk();
    const advice = (i: number) => report.apps.find((a) => a.path === bulkPath(i))!.findings.filter((f) => f.code === ALL_SCOPES_CODE);
    for (let i = 0; i < MAX_HINTED_APPS; i++) {
      expect(advice(i).map((f) => [f.severity, f.line, f.column])).toEqual([['notice', 9, 5]]);
    }
    expect(advice(MAX_HINTED_APPS).map((f) => [f.severity, f.line, f.message])).toEqual([
      [
        'notice',
        1,
        `This app and 49 more after it list a connector by its id alone, so they get all of its scopes. In each, list only the scopes the app needs, in the form { id: ..., scopes: [...] }, as the notices above show.`,
      ],
    ]);
    for (let i = MAX_HINTED_APPS + 1; i < BULK; i++) expect(advice(i)).toEqual([]);
  });

  it('the App: advice is last, fills only the first request of 50, and never pushes out the review notice', () => {
    const annotations = checkAnnotations(judgeBulk());
    expect(annotations).toHaveLength(ANNOTATIONS_PER_REQUEST);
    expect(
      annotations.filter((a) => a.annotation_level === 'warning'),
      'advice is not a warning',
    ).toEqual([]);
    expect(annotations[0]).toMatchObject({
      path: 'registry/marketing/zz-expenses-app.yaml',
      annotation_level: 'notice',
      start_line: 9,
      title: 'zz-expenses-app: needs a security team review',
    });
    expect(annotations.slice(1).every((a) => a.title === `microapps: ${ALL_SCOPES_CODE}` && a.annotation_level === 'notice')).toBe(true);
  });
});
