import { describe, expect, it } from 'vitest';
import { DEFAULT_APP_CONFIG, DEFAULT_LABELS, planLabels, readAppConfig } from '../../../src/core/app-config/index.js';

const read = (text: string) => readAppConfig(new TextEncoder().encode(text));

describe('readAppConfig (.github/microapps.yml)', () => {
  it('no file: the defaults', () => {
    expect(readAppConfig(undefined)).toEqual({ value: DEFAULT_APP_CONFIG, findings: [] });
  });

  it('reads every field; missing labels keep their default, false switches one off', () => {
    const { value, findings } = read(
      [
        'check_name: registry approval',
        'request_reviews: false',
        'comment: false',
        'approve_auto_approved: true',
        'labels:',
        '  deny: "blocked by policy"',
        '  invalid: false',
      ].join('\n'),
    );
    expect(findings).toEqual([]);
    expect(value).toEqual({
      checkName: 'registry approval',
      requestReviews: false,
      comment: false,
      approveAutoApproved: true,
      labels: { ...DEFAULT_LABELS, deny: 'blocked by policy', invalid: null },
    });
  });

  it('labels: false switches every label off', () => {
    expect(Object.values(read('labels: false').value!.labels)).toEqual([null, null, null, null, null]);
  });

  it('an unknown field is an error at its line and column, with a suggestion, and no value', () => {
    const result = read('check_name: x\naprove_auto_approved: true\n');
    expect(result.value).toBeUndefined();
    expect(result.findings).toMatchObject([
      { severity: 'error', code: 'schema.unknown-field', path: '.github/microapps.yml', line: 2, column: 1 },
    ]);
    expect(result.findings[0]!.message).toContain('approve_auto_approved');
  });

  it('a wrong type is an error at the value', () => {
    const result = read('comment: "yes"\n');
    expect(result.findings).toMatchObject([{ code: 'schema.type', line: 1, column: 10 }]);
  });

  it('labels: true, or a label that is not text, is refused with one plain message each', () => {
    const result = read('labels: true\n');
    expect(result.value).toBeUndefined();
    expect(result.findings).toMatchObject([
      { line: 1, column: 9, message: '"labels" must be a list of settings, or false to switch it off.' },
    ]);
    expect(read('labels:\n  deny: 5\n').findings).toMatchObject([
      { line: 2, column: 9, message: '"labels.deny" must be text, or false to switch it off.' },
    ]);
  });

  it('hostile YAML is refused like any registry file', () => {
    expect(read('a: &x 1\nb: *x\n').findings[0]).toMatchObject({ code: expect.stringMatching(/^parse\./) });
    expect(read('comment: true\ncomment: false\n').findings[0]).toMatchObject({ line: 2 });
    expect(read('__proto__: {}\n').value).toBeUndefined();
  });

  it('a check name must be one line', () => {
    expect(read('check_name: "a\\nb"\n').value).toBeUndefined();
  });
});

describe('planLabels', () => {
  const labels = DEFAULT_LABELS;

  it("adds the decision's label and removes the other labels the App manages, never anyone else's", () => {
    expect(planLabels('security_team_review', labels, ['bug', 'microapp: auto-approved'])).toEqual({
      add: ['microapp: needs security review'],
      remove: ['microapp: auto-approved'],
    });
  });

  it('does nothing when the label is already there (any letter case)', () => {
    expect(planLabels('deny', labels, ['Microapp: Denied', 'bug'])).toEqual({ add: [], remove: [] });
  });

  it("no governed change: the App's labels come off", () => {
    expect(planLabels('no_changes', labels, ['microapp: denied'])).toEqual({ add: [], remove: ['microapp: denied'] });
  });

  it('a decision without a label: nothing added, the others removed', () => {
    expect(planLabels('invalid', { ...labels, invalid: null }, ['microapp: denied'])).toEqual({ add: [], remove: ['microapp: denied'] });
  });
});
