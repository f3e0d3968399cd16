/**
 * A 500-app pull request through the committed bundle: the job summary must stay under the
 * 1,000,000-byte budget of run.ts (GitHub refuses step summaries over 1 MiB), say what it left
 * out, and leave nothing out of the JSON report; annotations stay within GitHub's 10 per kind.
 */
import { describe, expect, it } from 'vitest';
import { SUMMARY_LIMIT_BYTES, expectActionOutputs, failureMessages, fileAnnotations } from '../helpers/action-contract.js';
import { allFindings } from '../helpers/contract.js';
import { useTempRepos } from '../helpers/git-repo.js';
import { fixture } from '../helpers/paths.js';
import { runPullRequest } from '../helpers/run-action.js';
import { ALL_SCOPES_CODE } from '../../src/core/check/connector-hints.js';

useTempRepos();

const APPS = 500;
const name = (i: number) => `bulk-app-${String(i).padStart(4, '0')}`;

/** An invalid app with two misspelt connectors and ten unknown fields with ~200-character names. */
function heavyInvalidApp(i: number): string {
  const lines = [
    `name: ${name(i)}`,
    'owner: it-platform@example.com',
    'environment: sandbox',
    'auth:',
    '  type: oidc',
    '  provider: company-sso',
    '  scopes: [openid]',
    'connectors: [jira_read_onyl, slack_post_messagez]',
  ];
  for (let f = 0; f < 10; f++) lines.push(`unknown_field_${f}_${'x'.repeat(180)}: ${f}`);
  return `${lines.join('\n')}\n`;
}

describe('action: a 500-app pull request', () => {
  it('invalid apps with many long findings: the summary is cut under 1,000,000 bytes with a note counting what was left out', () => {
    const write: Record<string, string> = {};
    for (let i = 1; i <= APPS; i++) write[`registry/bulk/${name(i)}.yaml`] = heavyInvalidApp(i);
    const r = runPullRequest({ write }, { timeoutMs: 180_000 });
    expect(r.code, r.describe()).toBe(1);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('invalid');
    expect(report.apps, 'the JSON report leaves nothing out').toHaveLength(APPS);
    const findings = allFindings(report);
    expect(findings.length).toBeGreaterThanOrEqual(APPS * 12);

    const bytes = Buffer.byteLength(r.summary, 'utf8');
    expect(bytes, 'the summary stays under the budget').toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(bytes, 'and uses most of it: whole sections are dropped only when they no longer fit').toBeGreaterThan(
      SUMMARY_LIMIT_BYTES - 20_000,
    );
    // The scenario must really exceed the budget: all findings at ~300 bytes each would not fit.
    const fullSize = findings.reduce((n, f) => n + Buffer.byteLength(f.message), 0);
    expect(fullSize, 'the findings alone exceed the budget').toBeGreaterThan(SUMMARY_LIMIT_BYTES);

    const note = /This summary is too long to show in full: (?:(\d+) app rows? and )?(\d+) more items? left out\./.exec(r.summary);
    expect(note, `a truncation note\n${r.summary.slice(-2000)}`).not.toBeNull();
    expect(r.summary).toContain('The full report is in the step output "report"');
    const shownFindings = r.summary.split('\n').filter((l) => /^- (❌|⚠️) `/.test(l)).length;
    const leftOut = Number(note![2]);
    expect(shownFindings + leftOut, 'the note counts exactly the findings not shown').toBe(findings.length);
    expect(note![1], 'every app row fits').toBeUndefined();
    const rows = r.summary.split('\n').filter((l) => /^\| `bulk-app-\d{4}` \|/.test(l));
    expect(rows).toHaveLength(APPS);
    // Nothing is cut mid-line: the summary ends with the note.
    expect(r.summary.trimEnd().split('\n').at(-1)).toMatch(/^> This summary is too long/);

    expect(fileAnnotations(r, 'error').length).toBeLessThanOrEqual(10);
    expect(failureMessages(r)).toHaveLength(1);
  });

  it('500 auto-approved apps: a complete summary (every row, no note) well under the budget, exit 0', () => {
    const write: Record<string, string> = {};
    const template = fixture('apps/standup-notes-bot.yaml');
    for (let i = 1; i <= APPS; i++) write[`registry/it/${name(i)}.yaml`] = template.replace('name: standup-notes-bot', `name: ${name(i)}`);
    const r = runPullRequest({ write }, { timeoutMs: 180_000 });
    expect(r.code, r.describe()).toBe(0);
    const report = expectActionOutputs(r);
    expect(r.outputs.decision).toBe('auto_approve');
    expect(report.apps).toHaveLength(APPS);
    expect(Buffer.byteLength(r.summary)).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(r.summary).not.toContain('too long to show in full');
    const rows = r.summary.split('\n').filter((l) => /^\| `bulk-app-\d{4}` \|/.test(l));
    expect(rows).toHaveLength(APPS);
    // No review notice; only advice (a connector listed by its bare id), within GitHub's 10.
    const notices = r.annotations('notice');
    expect(notices.length).toBeLessThanOrEqual(10);
    expect(notices.filter((n) => n.properties.title !== `microapps: ${ALL_SCOPES_CODE}`)).toEqual([]);
  });
});
