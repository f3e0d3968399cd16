/**
 * Every surface that shows pull-request text (issue 10, point 2): a value from a manifest
 * (an app name, a path, a reason, a finding's message, a login, a provisioning summary) holding
 * bidirectional overrides, control characters, HTML, Markdown links and images, mentions,
 * backticks, table pipes or line breaks cannot change what the reader sees elsewhere on the page.
 *
 * Table-driven: each surface renders the same report with a benign value and with each hostile
 * value in every free-text field, and the two renderings must have the same shape (the same
 * lines, each starting the same way, the same table cells, the same live markup). The last test
 * fails when a renderer is added to src/core/render without a row here.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { annotate } from '../../../src/action/annotate.js';
import { failedCheck } from '../../../src/app/delivery/failure.js';
import type { AuditEntry } from '../../../src/core/audit/model.js';
import type { AppReport, CheckReport } from '../../../src/core/check/report.js';
import type { Finding } from '../../../src/core/findings.js';
import type { CompiledPolicy, Explanation } from '../../../src/core/policy/types.js';
import type { ApprovalStatus } from '../../../src/core/approvals/types.js';
import { renderApprovalStatus } from '../../../src/core/render/approvals/render-status.js';
import { renderPullRequestComment } from '../../../src/core/render/approvals/render-comment.js';
import { checkAnnotations } from '../../../src/core/render/check-annotations.js';
import { renderApplyText } from '../../../src/core/render/render-apply.js';
import { renderExplanationText } from '../../../src/core/render/render-explanation.js';
import { renderCheckMarkdown } from '../../../src/core/render/render-markdown.js';
import { renderCheckText, renderFindingsText } from '../../../src/core/render/render-text.js';
import { cells, liveText, readerText } from '../../helpers/markdown.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const BENIGN = 'benign-value';

/** Hostile values, each as one manifest value would carry it; `seen` is what a Markdown reader must still read. */
const HOSTILE: Record<string, { value: string; seen?: string }> = {
  'bidi overrides and isolates': { value: 'abc\u202edef\u2066ghi\u2069\u200f\u200e\u061cjkl', seen: 'abcdefghijkl' },
  'C0 and C1 controls': { value: 'a\u0000b\u001b[31mc\u009b31md\u0007e\u007ff\u0085g', seen: 'ab[31mc31mdefg' },
  HTML: {
    value: '<img src=x onerror=alert(1)></details><details open><summary>x</summary><!-- -->&lt;&#64;',
    seen: '<img src=x onerror=alert(1)></details>',
  },
  'Markdown links and images': {
    value: '[x](http://evil.example) ![x](http://evil.example/i.png) <http://evil.example> https://evil.example www.evil.example',
    seen: '[x](http://evil.example) ![x](http://evil.example/i.png)',
  },
  mentions: { value: '@admin @org/team team@example.com #12 org/repo#3 @ é@x', seen: '@org/team' },
  'backticks and fences': { value: '`code` ``` fence ```` x` ``', seen: '`code` ``` fence' },
  'table pipes': { value: 'a | b || c \\| d', seen: 'b' },
  'line breaks': { value: 'line\n# heading\r\n- item\r> quote\u2028---\u2029=== \n\n| x | y |', seen: '# heading' },
  'emphasis and escapes': { value: '**bold** _em_ ~~del~~ {x} \\ \\\\ # h :smile:', seen: '**bold** _em_' },
  'line-start markers': { value: '- item', seen: '- item' },
  'an ordered list': { value: '1. item', seen: '1. item' },
};

const finding = (path: string, message: string): Finding => ({
  severity: 'error',
  code: 'schema.unknown-field',
  path,
  line: 3,
  column: 5,
  message,
});

/** A check report with `v` in every free-text field a pull request can fill. */
function report(v: string): CheckReport {
  const path = `registry/it/${v}.yaml`;
  const approvals = [{ action: 'security_team_review' as const, reviewers: ['@acme/security'], reason: v, title: `Security for ${v}` }];
  const app: AppReport = {
    app: v,
    path,
    change: 'added',
    decision: 'security_team_review',
    rules: ['003'],
    required_approvals: approvals,
    findings: [{ ...finding(path, v), severity: 'warning' }],
    reasons: [v],
    remedies: [v],
    causes: [{ action: 'security_team_review', rule: '003', reason: v, line: 4, column: 3 }],
  };
  return {
    decision: 'security_team_review',
    apps: [app],
    governance: [{ path: `policies/${v}.yaml`, change: 'modified' }],
    required_approvals: approvals,
    findings: [finding('connectors/x.yaml', v)],
    base: 'main (abc1234)',
    head: 'feature (def5678)',
    provisioning: { steps: [{ provisioner: 'gateway', app: v, action: 'create', summary: v }], notes: [v] },
  };
}

/** Where the approvals stand, with `v` as logins, teams and reasons (they come from GitHub and the manifest). */
function status(v: string): ApprovalStatus {
  return {
    satisfied: false,
    approvals: [
      {
        action: 'security_team_review',
        reason: v,
        title: `Security for ${v}`,
        reviewers: ['@acme/security'],
        eligible: ['sam', v],
        satisfiedBy: [v],
        satisfied: false,
        unsatisfiable: false,
        pending: `an approval from a member of @acme/security or ${v}`,
        ignored: [],
        unresolvedTeams: [v],
      },
    ],
    ignored: [{ login: v, reviewId: 1, why: v }],
  };
}

function explanation(v: string): { policy: CompiledPolicy; explanation: Explanation } {
  const match = { id: '003', name: 'r', action: 'security_team_review' as const, reason: v, remedy: v };
  return {
    policy: {
      path: 'policies/approval.yaml',
      default_action: 'manager_approval',
      default_action_written: true,
    } as unknown as CompiledPolicy,
    explanation: {
      guards: [{ ...match, id: 'guard:x' }],
      rules: [
        {
          id: '003',
          name: 'r',
          action: 'security_team_review',
          matched: true,
          conditions: [{ value: true, text: 'data_types include "pii"', inputs: { data_types: [v] }, position: { line: 1, column: 1 } }],
        },
      ],
      verdict: {
        decision: 'security_team_review',
        rules: ['003'],
        matches: [match],
        defaulted: false,
        required_approvals: report(v).required_approvals,
      },
    } as unknown as Explanation,
  };
}

/** The Action's workflow commands, as written to stdout. */
function actionAnnotations(v: string): string {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const r = report(v);
    annotate([...r.findings, ...r.apps.flatMap((a) => a.findings)], r.apps, '');
  } finally {
    vi.restoreAllMocks();
  }
  return written.join('');
}

type Kind = 'markdown' | 'plain' | 'workflow commands';

interface Surface {
  name: string;
  kind: Kind;
  /** The exported renderers of src/core/render this row exercises. */
  covers: string[];
  render: (v: string) => string;
}

const SURFACES: Surface[] = [
  {
    name: "policy check in Markdown (check --format markdown, the Action's job summary, the App's check-run text)",
    kind: 'markdown',
    covers: ['renderCheckMarkdown'],
    render: (v) => renderCheckMarkdown(report(v)),
  },
  {
    name: "the App's check-run summary",
    kind: 'markdown',
    covers: ['renderApprovalStatus'],
    render: (v) => renderApprovalStatus(status(v), report(v)),
  },
  {
    name: "the App's pull-request comment",
    kind: 'markdown',
    covers: ['renderPullRequestComment'],
    render: (v) => renderPullRequestComment(status(v), report(v), { checkName: 'micro-app approval', headSha: 'a'.repeat(40) }),
  },
  {
    name: "the App's failed check (an error message)",
    kind: 'markdown',
    covers: [],
    render: (v) => failedCheck('a'.repeat(40), new Error(v), 'delivery-1').summary,
  },
  // Check-run annotations are plain text: one JSON line per annotation shows every field.
  {
    name: "the App's check-run annotations",
    kind: 'plain',
    covers: ['checkAnnotations'],
    render: (v) =>
      checkAnnotations(report(v))
        .map((a) => `${a.annotation_level} ${a.title}\n${a.message}`)
        .join('\n'),
  },
  { name: "the Action's annotations (workflow commands)", kind: 'workflow commands', covers: [], render: actionAnnotations },
  { name: 'terminal: check', kind: 'plain', covers: ['renderCheckText'], render: (v) => renderCheckText(report(v)) },
  {
    name: 'terminal: validate',
    kind: 'plain',
    covers: ['renderFindingsText'],
    render: (v) => renderFindingsText(report(v).findings, 'Summary.'),
  },
  {
    name: 'terminal: explain',
    kind: 'plain',
    covers: ['renderExplanationText'],
    render: (v) => {
      const e = explanation(v);
      return renderExplanationText(v, `registry/it/${v}.yaml`, e.policy, e.explanation, [finding(`registry/it/${v}.yaml`, v)]);
    },
  },
  {
    name: "terminal: apply (and the Action's merge record)",
    kind: 'plain',
    covers: ['renderApplyText'],
    render: (v) =>
      renderApplyText(
        {
          report: report(v),
          steps: [{ provisioner: 'gateway', app: v, action: 'create', idempotencyKey: 'k1', summary: v, payload: {} }],
          results: [{ provisioner: 'gateway', app: v, action: 'create', status: 'failed', detail: v, idempotencyKey: 'k1' }],
          entries: [{ seq: 1 } as AuditEntry],
          commit: 'abcdef1234567',
          signed: true,
        },
        v,
        false,
      ),
  },
];

/** Characters that must never reach a surface raw (a line break only as the renderer's own). */
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

/** Markdown's live punctuation outside code spans, counted where it is not backslash-escaped. */
function liveMarkup(markdown: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const live = liveText(markdown);
  for (let i = 0; i < live.length; i++) {
    if (live[i] === '\\') {
      i++;
      continue;
    }
    if ('*_~[]<>|#&@`'.includes(live[i]!)) counts[live[i]!] = (counts[live[i]!] ?? 0) + 1;
  }
  // GitHub links a bare URL by itself.
  counts['://'] = (live.match(/(?<!\\):\/\//g) ?? []).length;
  counts['www.'] = (live.match(/\bwww\./gi) ?? []).length;
  return counts;
}

/** Line i of the hostile rendering starts as line i of the benign one (same heading, list item, quote, table row). */
function expectSameShape(benign: string, hostile: string, kind: Kind): void {
  const b = benign.split('\n');
  const h = hostile.split('\n');
  expect(h.length, `the same number of lines\n${hostile}`).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    const at = b[i]!.indexOf(BENIGN);
    if (at < 0) {
      expect(h[i], `a line without the value is unchanged (line ${i + 1})`).toBe(b[i]);
      continue;
    }
    // A code span's fence may be longer when the value holds backticks: compare fences as one.
    const fences = (text: string) => text.replace(/`+ ?/g, '`');
    const before = fences(b[i]!.slice(0, at));
    expect(fences(h[i]!).slice(0, before.length), `line ${i + 1} starts the same way\n${h[i]}`).toBe(before);
    if (kind === 'markdown' && b[i]!.startsWith('|'))
      expect(cells(h[i]!), `the same table cells: ${h[i]}`).toHaveLength(cells(b[i]!).length);
  }
}

afterEach(() => vi.restoreAllMocks());

describe('untrusted text on every surface', () => {
  expect(SURFACES.length).toBeGreaterThan(0);
  for (const surface of SURFACES) {
    describe(surface.name, () => {
      const benign = surface.render(BENIGN);

      it('the benign value is there (the fields really reach this surface)', () => {
        expect(benign).toContain(BENIGN);
      });

      for (const [what, { value, seen }] of Object.entries(HOSTILE)) {
        it(`${what}: nothing changes around the value`, () => {
          const hostile = surface.render(value);
          expect(hostile, 'no invisible or direction-changing character reaches the reader').not.toMatch(INVISIBLE);
          expectSameShape(benign, hostile, surface.kind);
          if (surface.kind === 'markdown') {
            expect(liveMarkup(hostile), 'no markup, HTML, link, image, mention or code span of the value is live').toEqual(
              liveMarkup(benign),
            );
            expect(liveText(hostile), 'no @ outside a code span').not.toMatch(/@/);
            if (seen) expect(readerText(hostile), 'the reader still reads the value').toContain(seen);
          }
          if (surface.kind === 'workflow commands') {
            const commands = hostile.trimEnd().split('\n');
            expect(commands.length).toBeGreaterThan(0);
            for (const c of commands) {
              expect(c, 'one command per line').toMatch(/^::(error|warning|notice) [^:]*::/);
              const props = /^::\w+ ([^:]*)::/
                .exec(c)![1]!
                .split(',')
                .map((p) => p.split('=')[0]);
              expect(
                props.every((p) => ['file', 'line', 'col', 'title'].includes(p!)),
                `no property added by the value: ${c}`,
              ).toBe(true);
            }
          }
        });
      }
    });
  }

  it('every renderer in src/core/render has a row here', async () => {
    const root = join(REPO_ROOT, 'src/core/render');
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(root, f));
    expect(files.length).toBeGreaterThan(0);
    const renderers: string[] = [];
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (typeof value === 'function' && /^render[A-Z]|Annotations$/.test(name)) renderers.push(`${relative(root, file)}: ${name}`);
      }
    }
    expect(renderers.length).toBeGreaterThan(5);
    const covered = new Set(SURFACES.flatMap((s) => s.covers));
    expect(
      renderers.filter((r) => !covered.has(r.split(': ')[1]!)),
      'renderers without a row in SURFACES',
    ).toEqual([]);
  });
});

describe('mentions stay copyable', () => {
  it('a team or login reads as a code span, not "@" + an invisible space', () => {
    const md = [renderCheckMarkdown(report(BENIGN)), renderApprovalStatus(status('@org/team'), report(BENIGN))].join('\n');
    expect(md).toContain('`@acme/security`');
    expect(md).toContain('`@org/team`');
    expect(md).not.toContain('\u200b');
  });
});
