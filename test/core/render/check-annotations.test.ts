import { describe, expect, it } from 'vitest';
import type { AppReport, CheckReport } from '../../../src/core/check/report.js';
import { error, warning } from '../../../src/core/findings.js';
import { checkAnnotations } from '../../../src/core/render/check-annotations.js';

const app = (name: string, extra: Partial<AppReport> = {}): AppReport => ({
  app: name,
  path: `registry/it/${name}.yaml`,
  change: 'added',
  decision: 'auto_approve',
  rules: [],
  required_approvals: [],
  findings: [],
  reasons: [],
  remedies: [],
  ...extra,
});

const report = (apps: AppReport[], findings: CheckReport['findings'] = []): CheckReport => ({
  decision: 'invalid',
  apps,
  governance: [],
  required_approvals: [],
  findings,
  base: 'main',
  head: 'pr',
});

describe('checkAnnotations', () => {
  it('errors first, then warnings, then a notice on each app that needs a review, on the exact line', () => {
    const annotations = checkAnnotations(
      report([
        app('a', { findings: [warning('owner.unknown', 'registry/it/a.yaml', { line: 3, column: 8 }, 'Owner not in the directory.')] }),
        app('b', { decision: 'security_team_review', reasons: ['Restricted connector.'], remedies: ['Use a pre-approved connector.'] }),
        app('c', { findings: [error('schema.unknown-field', 'registry/it/c.yaml', { line: 5, column: 1 }, 'Unknown field "x".')] }),
      ]),
    );
    expect(annotations.map((a) => [a.annotation_level, a.path, a.start_line])).toEqual([
      ['failure', 'registry/it/c.yaml', 5],
      ['warning', 'registry/it/a.yaml', 3],
      ['notice', 'registry/it/b.yaml', 1],
    ]);
    expect(annotations[0]).toMatchObject({
      start_column: 1,
      end_column: 1,
      title: 'microapps: schema.unknown-field',
      message: 'Unknown field "x".',
    });
    expect(annotations[2]!.message).toBe('Restricted connector.\nUse a pre-approved connector.');
  });

  it('is capped, worst kept', () => {
    const findings = Array.from({ length: 700 }, (_, i) => error('schema.type', `registry/it/x${i}.yaml`, { line: 1, column: 1 }, 'bad'));
    const annotations = checkAnnotations(report([], findings));
    expect(annotations).toHaveLength(500);
    expect(annotations.every((a) => a.annotation_level === 'failure')).toBe(true);
  });
});
