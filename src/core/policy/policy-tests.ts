/**
 * Declarative policy tests (policies/tests/*.yaml): a manifest and the decision it must get, so
 * a policy change is reviewed together with its consequences. Format:
 *
 *   name: production apps using HR data need the manager     # required
 *   description: why this case matters                        # optional
 *   manifest: { name: ..., owner: ..., environment: production, auth: {...}, connectors: [...] }
 *   base_manifest: { ... }      # optional: the app before, which makes the test a modification
 *   change: removed             # optional: added | modified | removed; by default "modified" when
 *                               # base_manifest is given, else "added". For "removed", `manifest`
 *                               # is the manifest being removed.
 *   expect:
 *     decision: manager_approval                 # required: auto_approve | manager_approval | security_team_review | deny
 *     rules: ["002"]                             # optional: the exact set of matching rule ids (guards as guard:<name>)
 *     approvals: [manager_approval]              # optional: the exact set of approval kinds required
 *
 * The test is judged with the catalog and directory it is given (those of the same tree).
 */
import { error, hasErrors, type Finding } from '../findings.js';
import { ACTIONS_BY_STRICTNESS, type Action, type AppManifest, type ChangeKind, type OwnerDirectory } from '../model.js';
import type { ParsedDocument, Pointer } from '../parse/document.js';
import { unknownDataClass } from './data-classes.js';
import { DocReader } from './doc-reader.js';
import { evaluateChange } from './evaluate.js';
import type { AppChange, CompiledPolicy, ConnectorCatalog } from './types.js';

export interface PolicyTestExpectation {
  decision: Action;
  rules?: string[];
  approvals?: string[];
}

export interface PolicyTestResult {
  name: string;
  passed: boolean;
  expected?: PolicyTestExpectation;
  /** What the policy gave; absent when the test file itself is broken. */
  actual?: { decision: Action; rules: string[]; approvals: string[] };
  /** One plain sentence per mismatch. */
  failures: string[];
  /** Problems of the test file, and one error per mismatch at the expectation it contradicts. */
  findings: Finding[];
}

export interface PolicyTestOptions {
  /** Validates a manifest inside the test file (the app manifest schema); returns its findings. */
  validateManifest?: (doc: ParsedDocument, pointer: Pointer) => Finding[];
}

const TEST_FIELDS = ['$schema', 'name', 'description', 'manifest', 'base_manifest', 'change', 'expect'];
const EXPECT_FIELDS = ['decision', 'rules', 'approvals'];
const CHANGE_KINDS: readonly ChangeKind[] = ['added', 'modified', 'removed'];
const APPROVAL_KINDS = ['manager_approval', 'security_team_review'] as const;

export function runPolicyTest(
  doc: ParsedDocument,
  policy: CompiledPolicy,
  catalog: ConnectorCatalog,
  directory: OwnerDirectory | undefined,
  options: PolicyTestOptions = {},
): PolicyTestResult {
  const reader = new DocReader(doc, 'policy-test');
  const fallbackName = doc.path.replace(/^.*\//, '');
  const broken = (name = fallbackName, expected?: PolicyTestExpectation): PolicyTestResult => ({
    name,
    passed: false,
    ...(expected ? { expected } : {}),
    failures: ['The test file has errors.'],
    findings: reader.findings,
  });

  const fields = reader.object([], doc.value, 'A policy test', TEST_FIELDS, ['name', 'manifest', 'expect']);
  if (!fields) return broken();
  const name = reader.text(['name'], fields.name, 'The test name') ?? fallbackName;
  const expected = readExpectation(reader, fields.expect);
  const change = readChange(reader, fields, options);
  if (change) checkTestDataTypes(reader, fields, policy);
  if (!expected || !change || hasErrors(reader.findings)) return broken(name, expected);

  const verdict = evaluateChange(policy, change, catalog, directory);
  const actual = {
    decision: verdict.decision,
    rules: verdict.rules,
    approvals: verdict.required_approvals.map((a) => a.action as string),
  };
  const failures: string[] = [];
  const fail = (pointer: Pointer, message: string): void => {
    failures.push(message);
    reader.findings.push(error('policy-test.failed', doc.path, doc.valueAt(pointer), message));
  };
  const matched = actual.rules.length > 0 ? `matching rules: ${actual.rules.join(', ')}` : 'no rule matched';
  if (actual.decision !== expected.decision) {
    fail(['expect', 'decision'], `Expected the decision ${expected.decision}, but the policy gives ${actual.decision} (${matched}).`);
  }
  if (expected.rules && !sameSet(expected.rules, actual.rules)) {
    fail(['expect', 'rules'], `Expected the matching rules [${expected.rules.join(', ')}], but they are [${actual.rules.join(', ')}].`);
  }
  if (expected.approvals && !sameSet(expected.approvals, actual.approvals)) {
    fail(
      ['expect', 'approvals'],
      `Expected the approvals [${expected.approvals.join(', ')}], but the policy requires [${actual.approvals.join(', ')}].`,
    );
  }
  return { name, passed: failures.length === 0, expected, actual, failures, findings: [...reader.findings, ...verdict.findings] };
}

function readExpectation(reader: DocReader, value: unknown): PolicyTestExpectation | undefined {
  const fields = reader.object(['expect'], value, '"expect"', EXPECT_FIELDS, ['decision']);
  if (!fields) return undefined;
  const decision = reader.oneOf(['expect', 'decision'], fields.decision, 'The expected decision', ACTIONS_BY_STRICTNESS);
  const rules = 'rules' in fields ? reader.textList(['expect', 'rules'], fields.rules, 'the expected rules') : undefined;
  let approvals: string[] | undefined;
  if ('approvals' in fields) {
    approvals = reader.textList(['expect', 'approvals'], fields.approvals, 'the expected approvals');
    approvals?.forEach((a, i) => {
      reader.oneOf(['expect', 'approvals', i], a, 'An expected approval', APPROVAL_KINDS);
    });
  }
  if (!decision) return undefined;
  return { decision, ...(rules ? { rules } : {}), ...(approvals ? { approvals } : {}) };
}

function readChange(reader: DocReader, fields: Record<string, unknown>, options: PolicyTestOptions): AppChange | undefined {
  const hasBase = 'base_manifest' in fields;
  const kind: ChangeKind | undefined =
    'change' in fields ? reader.oneOf(['change'], fields.change, '"change"', CHANGE_KINDS) : hasBase ? 'modified' : 'added';
  if (!kind) return undefined;
  if ((kind === 'modified') !== hasBase) {
    return reader.error(
      'invalid-shape',
      ['change'],
      kind === 'modified'
        ? 'A "modified" test needs "base_manifest": the app as it was before.'
        : `A test with "base_manifest" is a modification; remove "change: ${kind}" or the base manifest.`,
    );
  }
  const manifest = readManifest(reader, ['manifest'], fields.manifest, options);
  const previous = hasBase ? readManifest(reader, ['base_manifest'], fields.base_manifest, options) : undefined;
  if (!manifest || (hasBase && !previous)) return undefined;
  return { kind, manifest, ...(previous ? { previous } : {}) };
}

function readManifest(reader: DocReader, pointer: Pointer, value: unknown, options: PolicyTestOptions): AppManifest | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reader.error(
      'invalid-shape',
      pointer,
      'A manifest in a policy test must be a set of "field: value" lines, as in an app manifest.',
    );
  }
  const problems = options.validateManifest?.(reader.doc, pointer) ?? [];
  reader.findings.push(...problems);
  return hasErrors(problems) ? undefined : (value as AppManifest);
}

/** A misspelt data type in a test would test a case no real app can be: the policy's vocabulary applies. */
function checkTestDataTypes(reader: DocReader, fields: Record<string, unknown>, policy: CompiledPolicy): void {
  for (const field of ['manifest', 'base_manifest'] as const) {
    const values = (fields[field] as { data_types?: unknown } | undefined)?.data_types;
    if (!Array.isArray(values)) continue;
    values.forEach((value, i) => {
      const problem = typeof value === 'string' ? unknownDataClass(value, policy.data_classes, 'An app\'s "data_types"') : undefined;
      if (problem) reader.error('unknown-data-class', [field, 'data_types', i], problem);
    });
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((v) => y.has(v));
}
