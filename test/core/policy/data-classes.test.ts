/**
 * The closed vocabulary of data (issue 9, section 4): `data_classes:` in the policy, the default
 * without it, and every place a kind of data is written: an app's data_types, a connector's
 * data_classification, a policy condition, a policy test; plus the run-time backstop.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_CLASSES } from '../../../src/core/policy/data-classes.js';
import { evaluateChange } from '../../../src/core/policy/evaluate.js';
import { runPolicyTest } from '../../../src/core/policy/policy-tests.js';
import { assembleSnapshot } from '../../../src/core/registry/assemble.js';
import { checkDataClasses } from '../../../src/core/registry/check-vocabulary.js';
import { loadFile } from '../../../src/core/registry/load-file.js';
import { roleOf } from '../../../src/core/tree.js';
import { app, CATALOG, DIRECTORY, load, loadOk, onlyError, parse, SEED_POLICY } from './helpers.js';

const CLASSES = 'data_classes:\n  pii: Personal data.\n  financial_write: Changes money.\n  public: Already public.\n';

const file = (path: string, text: string) => loadFile(path, roleOf(path), new TextEncoder().encode(text));

describe('data_classes in the policy', () => {
  it("a policy without data_classes gets the default list (the sample policy's six kinds)", () => {
    const policy = loadOk(SEED_POLICY);
    expect([...policy.data_classes.keys()]).toEqual(['pii', 'phi', 'financial', 'financial_write', 'confidential', 'public']);
    expect(policy.data_classes).toBe(DEFAULT_DATA_CLASSES);
  });

  it('a policy with data_classes uses exactly its list, with the descriptions', () => {
    const policy = loadOk(`${CLASSES}${SEED_POLICY}`);
    expect([...policy.data_classes.entries()]).toEqual([
      ['pii', 'Personal data.'],
      ['financial_write', 'Changes money.'],
      ['public', 'Already public.'],
    ]);
  });

  it('refuses a kind without a description, a bad name and an empty section, at the right place', () => {
    expect(onlyError(`data_classes:\n  pii:\n${SEED_POLICY}`)).toMatchObject({ code: 'policy.invalid-shape', line: 2 });
    expect(onlyError(`data_classes:\n  Pii: Personal.\n${SEED_POLICY}`)).toMatchObject({
      code: 'policy.invalid-data-class',
      line: 2,
      column: 3,
    });
    expect(onlyError(`data_classes: [pii, phi]\n${SEED_POLICY}`).code).toBe('policy.invalid-shape');
    expect(onlyError(`data_classes: {}\n${SEED_POLICY}`).code).toBe('policy.invalid-shape');
  });

  it('a condition testing an unknown kind of data is an error at the word, with a did-you-mean (never a rule that cannot match)', () => {
    const bad = SEED_POLICY.replace('data_types include "pii" or "financial_write"', 'data_types include "pii" or "financal_write"');
    const e = onlyError(bad);
    expect(e).toMatchObject({ code: 'policy.unknown-data-class', line: 20 });
    expect(e.column).toBe(bad.split('\n')[19]!.indexOf('"financal_write"') + 1);
    expect(e.message).toContain('Did you mean "financial_write"?');
    // The neighbouring forms: change.added_data_types, ==, in with an inline list.
    for (const condition of ['change.added_data_types include "pi"', 'data_types == ["pii", "phy"]', '"phy" in data_types']) {
      const { policy, findings } = load(`policy:\n  - id: r\n    name: r\n    conditions:\n      - '${condition}'\n    action: deny\n`);
      expect(policy, condition).toBeUndefined();
      expect(
        findings.map((f) => f.code),
        condition,
      ).toContain('policy.unknown-data-class');
    }
  });

  it('a list of the policy compared with data types must hold kinds of data only', () => {
    const text = `lists:\n  sensitive: [pii, ph]\npolicy:\n  - id: r\n    name: r\n    conditions:\n      - data_types subset_of sensitive\n    action: deny\n`;
    const e = onlyError(text);
    expect(e).toMatchObject({ code: 'policy.unknown-data-class', line: 7, column: 30 });
    expect(e.message).toContain('"ph" (in the list "sensitive")');
    expect(e.message).toContain('Did you mean "phi"?');
  });

  it('the vocabulary written in the policy is the one conditions are checked against', () => {
    expect(load(`${CLASSES}${SEED_POLICY.replace('"pii" or "financial_write"', '"pii" or "phi"')}`).findings.map((f) => f.code)).toContain(
      'policy.unknown-data-class',
    );
  });
});

describe('data_types and data_classification against the vocabulary', () => {
  const APP =
    'name: demo-app\nowner: finance-team@example.com\nenvironment: sandbox\nauth: {type: oidc, provider: company-sso}\nconnectors: []\ndata_types: [pii, pi]\n';
  const CONNECTOR =
    'connector_id: demo\nallowed_scopes: [read]\nrate_limit: 10/hour\nowner: it@example.com\nrotation_days: 30\ndata_classification: [financial, finacial]\n';

  it('an unknown data type is an error at the value with a did-you-mean', () => {
    const [f, ...rest] = checkDataClasses(file('registry/finance/demo-app.yaml', APP), DEFAULT_DATA_CLASSES);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', code: 'app.unknown-data-class', line: 6, column: 19 });
    expect(f!.message).toContain('Did you mean "pii"?');
  });

  it('an unknown data classification of a connector is an error at the value with a did-you-mean', () => {
    const [f, ...rest] = checkDataClasses(file('connectors/demo.yaml', CONNECTOR), DEFAULT_DATA_CLASSES);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', code: 'connector.unknown-data-class', line: 6, column: 34 });
    expect(f!.message).toContain('Did you mean "financial"?');
  });

  it('operations stay a closed list too (read, write, delete)', () => {
    const f = file('connectors/demo.yaml', `${CONNECTOR.replace(', finacial', '')}operations: [raed]\n`);
    expect(f.valid).toBe(false);
    expect(f.findings[0]).toMatchObject({ severity: 'error', line: 7 });
  });

  it("assembling a tree checks against the judging vocabulary when given, and against its own policy's too", () => {
    const own = `data_classes:\n  pii: Personal.\n  financial_write: Changes money.\n  biometric: Face scans.\n${SEED_POLICY}`;
    const tree = (types: string) => {
      const files = [file('policies/approval.yaml', own), file('registry/finance/demo-app.yaml', APP.replace('[pii, pi]', `[${types}]`))];
      return { listing: { entries: files.map((f) => ({ path: f.path, kind: 'file' as const, oid: f.path })) }, files };
    };
    const codes = (types: string, judging?: typeof DEFAULT_DATA_CLASSES) => {
      const { listing, files } = tree(types);
      return assembleSnapshot(listing, files, judging ? { dataClasses: judging } : {})
        .findings.filter((f) => f.code === 'app.unknown-data-class')
        .map((f) => f.message.slice(0, 14));
    };
    // Alone, the tree's own policy decides.
    expect(codes('pii, biometric')).toEqual([]);
    expect(codes('financial')).toEqual(['"financial" is']);
    // Judged by another (the base) policy: a kind only the tree's own policy knows is refused ...
    expect(codes('biometric', DEFAULT_DATA_CLASSES)).toEqual(['"biometric" is']);
    // ... and so is one the tree's own policy dropped, reported once.
    expect(codes('financial', DEFAULT_DATA_CLASSES)).toEqual(['"financial" is']);
    expect(codes('pii', DEFAULT_DATA_CLASSES)).toEqual([]);
  });
});

describe('the run-time backstop and policy tests', () => {
  const policy = loadOk(SEED_POLICY);

  it('an app whose declared or inherited kind of data is unknown gets an error, wherever the word came from', () => {
    const declared = evaluateChange(policy, { kind: 'added', manifest: app({ data_types: ['pi'] }) }, CATALOG, DIRECTORY);
    expect(declared.findings.map((f) => [f.severity, f.code])).toEqual([['error', 'policy.unknown-data-class']]);
    expect(declared.findings[0]!.message).toContain('"pi" in data_types');
    const catalog = { connectors: new Map(CATALOG.connectors) };
    catalog.connectors.set('calendar_read', { ...catalog.connectors.get('calendar_read')!, data_classification: ['pi'] });
    const inherited = evaluateChange(policy, { kind: 'added', manifest: app() }, catalog, DIRECTORY);
    expect(inherited.findings[0]!.message).toContain('"pi" from connector calendar_read');
    // Removing such an app is not blocked by its typo.
    expect(evaluateChange(policy, { kind: 'removed', manifest: app({ data_types: ['pi'] }) }, CATALOG, DIRECTORY).findings).toEqual([]);
  });

  it('a policy test whose manifest names an unknown kind of data fails at that value', () => {
    const text = `name: t\nmanifest:\n  name: demo-app\n  owner: finance-team@example.com\n  environment: sandbox\n  auth: {type: oidc, provider: company-sso}\n  connectors: []\n  data_types: [pi]\nexpect:\n  decision: auto_approve\n`;
    const result = runPolicyTest(parse(text, 'policies/tests/t.yaml'), policy, CATALOG, DIRECTORY);
    expect(result.passed).toBe(false);
    expect(result.findings.find((f) => f.code === 'policy-test.unknown-data-class')).toMatchObject({ line: 8, column: 16 });
  });
});
