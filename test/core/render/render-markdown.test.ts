/**
 * renderCheckMarkdown: the verdict a citizen developer reads in the job summary (and in
 * `check --format markdown`). Headings per decision, the approvals section only for a change
 * that can be approved, strictest apps first, untrusted manifest text that cannot inject
 * markup, and a byte budget that is never exceeded, with a count of what was left out.
 */
import { describe, expect, it } from 'vitest';
import type { AppReport, CheckReport } from '../../../src/core/check/report.js';
import type { Finding } from '../../../src/core/findings.js';
import type { Decision, RequiredApproval } from '../../../src/core/model.js';
import { renderCheckMarkdown } from '../../../src/core/render/render-markdown.js';
import { DECISION_WORDS } from '../../../src/core/render/words.js';
import { cells, codeSpans, liveText } from '../../helpers/markdown.js';

const DECISIONS: Decision[] = ['no_changes', 'auto_approve', 'manager_approval', 'security_team_review', 'deny', 'invalid'];

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function finding(path: string, message: string, over: Partial<Finding> = {}): Finding {
  return { severity: 'error', code: 'schema.unknown-field', path, line: 3, column: 5, message, ...over };
}

function app(name: string, decision: Decision, over: Partial<AppReport> = {}): AppReport {
  const approvals: RequiredApproval[] =
    decision === 'manager_approval'
      ? [{ action: 'manager_approval', reviewers: ['@boss'], reason: `Rule 002: ${name} reads HR data.` }]
      : decision === 'security_team_review'
        ? [{ action: 'security_team_review', reviewers: ['@acme/security'], reason: `Rule 003: ${name} handles pii.` }]
        : [];
  return {
    app: name,
    path: `registry/it/${name}.yaml`,
    change: 'added',
    decision,
    rules: decision === 'auto_approve' ? ['001'] : decision === 'no_changes' ? [] : ['003'],
    required_approvals: approvals,
    findings: decision === 'invalid' ? [finding(`registry/it/${name}.yaml`, `Something is wrong in ${name}.`)] : [],
    reasons: [`Why ${name} is ${decision}.`],
    remedies: decision === 'auto_approve' ? [] : [`What ${name} could change.`],
    ...over,
  };
}

function report(decision: Decision, apps: AppReport[] = [], over: Partial<CheckReport> = {}): CheckReport {
  const seen = new Set<string>();
  const union: RequiredApproval[] = [];
  for (const a of apps)
    for (const r of a.required_approvals) {
      const key = JSON.stringify(r);
      if (!seen.has(key)) {
        seen.add(key);
        union.push(r);
      }
    }
  return {
    decision,
    apps,
    governance: [],
    required_approvals: union,
    findings: [],
    base: 'main (abc1234)',
    head: 'feature (def5678)',
    ...over,
  };
}

describe('renderCheckMarkdown: headings and headline', () => {
  it('gives each decision its own level-2 heading naming the decision in words', () => {
    const headings = DECISIONS.map((d) => {
      const md = renderCheckMarkdown(report(d, d === 'no_changes' ? [] : [app('some-app', d)]));
      const first = md.split('\n')[0]!;
      expect(first, md).toMatch(/^## .*Micro-app policy: /);
      expect(first).toContain(DECISION_WORDS[d]);
      return first;
    });
    expect(new Set(headings).size, 'every decision reads differently').toBe(DECISIONS.length);
  });

  it("says how many apps changed, and the options' headline replaces that sentence", () => {
    const r = report('auto_approve', [app('one-app', 'auto_approve'), app('two-app', 'auto_approve')]);
    expect(renderCheckMarkdown(r).split('\n')[2]).toMatch(/^2 apps changed\. /);
    const md = renderCheckMarkdown(r, { headline: 'Validated the whole registry (7 files): every file is valid.' });
    expect(md.split('\n')[2]).toBe('Validated the whole registry (7 files): every file is valid.');
    expect(md).not.toContain('2 apps changed');
  });
});

describe('renderCheckMarkdown: the approvals section', () => {
  for (const d of ['manager_approval', 'security_team_review'] as const) {
    it(`${d}: lists every approval with its reviewers and reason`, () => {
      const r = report(d, [app('needs-review', d)]);
      const md = renderCheckMarkdown(r);
      expect(md).toContain('### Approvals needed before merging');
      const section = md.split('### Approvals needed before merging')[1]!.split('\n\n')[1]!;
      const approval = r.required_approvals[0]!;
      expect(section).toContain(`\`${approval.reviewers[0]!}\``);
      expect(section.replace(/\\/g, '')).toContain(approval.reason);
    });
  }

  for (const d of ['deny', 'invalid'] as const) {
    it(`${d}: no approvals section and no "Needs the" lines, even when the report carries approvals`, () => {
      const reviewed = app('reviewed-app', 'security_team_review');
      const blocked = app('blocked-app', d, { required_approvals: reviewed.required_approvals });
      const r = report(d, [blocked, reviewed], { required_approvals: reviewed.required_approvals });
      const md = renderCheckMarkdown(r);
      expect(md).not.toContain('Approvals needed');
      const blockedSection = md.split('`blocked-app`').at(-1)!.split('####')[0]!;
      expect(blockedSection, 'an app that cannot merge needs no approver').not.toContain('Needs the');
    });
  }

  it('no section when nothing needs approving', () => {
    expect(renderCheckMarkdown(report('auto_approve', [app('fine-app', 'auto_approve')]))).not.toContain('Approvals needed');
    expect(renderCheckMarkdown(report('no_changes'))).not.toContain('Approvals needed');
  });

  it('says plainly when nobody is configured to approve', () => {
    const a = app('orphan-app', 'manager_approval', {
      required_approvals: [{ action: 'manager_approval', reviewers: [], reason: 'No manager is listed.' }],
    });
    const md = renderCheckMarkdown(report('manager_approval', [a]));
    expect(md).toContain('nobody is configured');
  });
});

describe('renderCheckMarkdown: order', () => {
  it('lists the strictest apps first, in the table and in the sections', () => {
    const order: Decision[] = ['auto_approve', 'deny', 'manager_approval', 'invalid', 'security_team_review'];
    const apps = order.map((d) => app(`app-${d.replace(/_/g, '-')}`, d));
    const md = renderCheckMarkdown(report('invalid', apps));
    const expected = ['invalid', 'deny', 'security_team_review', 'manager_approval', 'auto_approve'].map(
      (d) => `app-${d.replace(/_/g, '-')}`,
    );
    const rows = md
      .split('\n')
      .filter((l) => /^\| `app-/.test(l))
      .map((l) => /`([^`]+)`/.exec(l)![1]);
    expect(rows).toEqual(expected);
    const sections = md
      .split('\n')
      .filter((l) => l.startsWith('#### '))
      .map((l) => /`([^`]+)`/.exec(l)![1]);
    expect(sections).toEqual(expected);
  });
});

describe('renderCheckMarkdown: untrusted manifest text cannot inject markup', () => {
  const HOSTILE =
    'x`y|z <img src=x onerror=alert(1)> <script>alert(1)</script> @admin @acme/security **bold** [link](https://evil.example) # h';

  function hostileReport(): CheckReport {
    const path = 'registry/it/a`b|c<i>@d.yaml';
    const a = app('evil-app', 'security_team_review', {
      app: `evil\`|<b>@root`,
      path,
      rules: ['003'],
      reasons: [HOSTILE],
      remedies: [HOSTILE],
      findings: [finding(path, HOSTILE, { severity: 'warning' })],
      required_approvals: [{ action: 'security_team_review', reviewers: ['@acme/security'], reason: HOSTILE }],
    });
    return report('security_team_review', [a], {
      required_approvals: a.required_approvals,
      governance: [{ path: 'policies/`x`|<b>@y.yaml', change: 'modified' }],
      findings: [finding('connectors/z.yaml', HOSTILE)],
    });
  }

  const md = renderCheckMarkdown(hostileReport());

  it('no HTML: every < outside code spans is escaped', () => {
    expect(liveText(md)).not.toMatch(/(^|[^\\])</m);
  });

  it('no @mention outside code spans pings anyone', () => {
    expect(liveText(md)).not.toMatch(/@/);
  });

  it('no emphasis or link syntax survives outside code spans', () => {
    const live = liveText(md);
    expect(live).not.toMatch(/(^|[^\\])\[link(\\)?\]\(/m);
    // The only bold is the renderer's own (**owner's manager**, **To avoid this:**...).
    expect(live).not.toContain('**bold**');
  });

  it('pipes do not add table cells: every app row has exactly 4 cells', () => {
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| App') && !l.startsWith('| ---'));
    expect(rows.length).toBe(1);
    for (const row of rows) expect(cells(row), row).toHaveLength(4);
  });

  it('untrusted text stays on its own line: a line break in it starts no Markdown line', () => {
    const r = hostileReport();
    r.apps[0]!.reasons = ['first line\n# Injected heading', 'second\r\n> injected quote', 'third\n- injected item'];
    r.findings[0]!.message = 'message\n---\ninjected setext';
    const out = renderCheckMarkdown(r);
    for (const line of out.split(/\r\n|\n/)) {
      expect(line).not.toMatch(/^(# Injected|> injected|- injected|---|injected setext)/);
    }
  });

  it('a lone carriage return (a line break in Markdown too) is neutralised like a newline', () => {
    const r = hostileReport();
    r.apps[0]!.reasons = ['third\r- injected item'];
    const out = renderCheckMarkdown(r);
    expect(out).not.toMatch(/\r/);
    for (const line of out.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^- injected/);
  });

  it('a backtick in a path does not close its code span early: the whole path is inside one code span', () => {
    // The app's file path is written in code spans (`registry/...`); a backslash does not escape
    // a backtick inside a code span, so the path must be fenced so that its backtick is content.
    const lines = md.split('\n').filter((l) => l.includes('registry/it/a'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const { spans } = codeSpans(line);
      const holder = spans.find((s) => s.includes('registry/it/a'));
      expect(holder, `a code span holds the path in: ${line}`).toBeDefined();
      expect(holder!, `the path is not cut at its backtick in: ${line}`).toContain('@d.yaml');
    }
  });
});

describe('renderCheckMarkdown: the byte budget', () => {
  function bigReport(apps: number, findingsPerApp: number, messageBytes = 300): CheckReport {
    const list: AppReport[] = [];
    for (let i = 0; i < apps; i++) {
      const name = `app-${String(i).padStart(5, '0')}`;
      const path = `registry/bulk/${name}.yaml`;
      const findings = Array.from({ length: findingsPerApp }, (_, k) =>
        finding(path, `Problem ${k} of ${name}: ${'y'.repeat(messageBytes)}`, { line: k + 1 }),
      );
      list.push(app(name, findingsPerApp > 0 ? 'invalid' : 'security_team_review', { path, findings }));
    }
    return report(findingsPerApp > 0 ? 'invalid' : 'security_team_review', list);
  }

  function note(md: string): { rows: number; items: number } | undefined {
    const m = /This summary is too long to show in full: (?:(\d+) app rows?)?(?: and )?(?:(\d+) more items?)? left out\./.exec(md);
    return m ? { rows: Number(m[1] ?? 0), items: Number(m[2] ?? 0) } : undefined;
  }

  it('without a budget, or when everything fits, everything is shown and there is no note', () => {
    const r = bigReport(20, 2, 50);
    const full = renderCheckMarkdown(r);
    expect(note(full)).toBeUndefined();
    expect(renderCheckMarkdown(r, { maxBytes: bytes(full) + 10_000 })).toBe(full);
  });

  it('a small budget drops whole sections, counts exactly what it left out, and names the full report', () => {
    const r = bigReport(100, 3);
    const full = renderCheckMarkdown(r);
    const maxBytes = 20_000;
    expect(bytes(full)).toBeGreaterThan(maxBytes);
    const md = renderCheckMarkdown(r, { maxBytes, fullReportHint: 'The full report is in the step output "report".' });
    expect(bytes(md)).toBeLessThanOrEqual(maxBytes);
    const n = note(md);
    expect(n, md.slice(-500)).toBeDefined();
    expect(md).toContain('The full report is in the step output "report".');

    // Never cut mid-line: every line but the note's is a line of the full rendering.
    const fullLines = new Set(full.split('\n'));
    for (const line of md.split('\n')) if (!line.startsWith('>')) expect(fullLines.has(line), line).toBe(true);

    const shownRows = md.split('\n').filter((l) => /^\| `app-\d{5}` \|/.test(l)).length;
    const shownFindings = md.split('\n').filter((l) => /^- (❌|⚠️) `/.test(l)).length;
    const total = r.apps.reduce((k, a) => k + a.findings.length, 0);
    expect(shownRows + n!.rows, 'rows shown + rows left out = apps').toBe(r.apps.length);
    expect(shownFindings + n!.items, 'findings shown + items left out = findings').toBe(total);
  });

  for (const maxBytes of [8_000, 20_000, 50_000]) {
    it(`5,000 apps within maxBytes ${maxBytes.toLocaleString('en')}: never over, and the note says what is missing`, () => {
      const r = bigReport(5_000, 2, 120);
      const md = renderCheckMarkdown(r, { maxBytes, fullReportHint: 'See the report.' });
      expect(bytes(md)).toBeLessThanOrEqual(maxBytes);
      const n = note(md);
      expect(n).toBeDefined();
      expect(n!.rows).toBeGreaterThan(0);
      expect(n!.items).toBeGreaterThan(0);
      expect(md.split('\n')[0]).toMatch(/^## /);
    });
  }

  it('5,000 apps of as many owners (as many distinct approvals) still stay within maxBytes 50,000', () => {
    const apps: AppReport[] = [];
    for (let i = 0; i < 5_000; i++) {
      const name = `app-${String(i).padStart(5, '0')}`;
      apps.push(
        app(name, 'manager_approval', {
          required_approvals: [
            {
              action: 'manager_approval',
              reviewers: [`@manager-${i}`],
              reason: `Rule 002: the owner team-${i}@example.com's manager approves ${name}.`,
            },
          ],
        }),
      );
    }
    const r = report('manager_approval', apps);
    expect(r.required_approvals).toHaveLength(5_000);
    const md = renderCheckMarkdown(r, { maxBytes: 50_000 });
    expect(bytes(md)).toBeLessThanOrEqual(50_000);
    expect(note(md), 'what was left out is counted').toBeDefined();
  });

  it('one enormous finding message is dropped whole, not cut, and the rest still fits', () => {
    const r = report('invalid', [app('huge-app', 'invalid', { findings: [finding('registry/it/huge-app.yaml', 'z'.repeat(200_000))] })], {
      findings: [finding('connectors/x.yaml', 'q'.repeat(200_000))],
    });
    const md = renderCheckMarkdown(r, { maxBytes: 50_000 });
    expect(bytes(md)).toBeLessThanOrEqual(50_000);
    expect(md).not.toContain('zzzz');
    expect(md).not.toContain('qqqq');
    expect(md).toContain('`huge-app`');
    expect(note(md)).toEqual({ rows: 0, items: 2 });
  });

  it('counts multi-byte characters as bytes, not characters', () => {
    const r = bigReport(200, 2, 0);
    for (const a of r.apps) for (const f of a.findings) f.message = `${f.message} ${'é🙂'.repeat(100)}`;
    const md = renderCheckMarkdown(r, { maxBytes: 30_000 });
    expect(bytes(md)).toBeLessThanOrEqual(30_000);
    expect(md.length, 'the budget is in bytes').toBeLessThan(30_000);
  });
});
