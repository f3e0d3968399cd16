/**
 * The closed vocabulary of data classes (DESIGN.md section 3): the one list that an app's
 * `data_types` and a connector's `data_classification` are written in. It lives in the base
 * policy (`data_classes:`, each with a description) so that an unknown value is an error: a
 * typo such as `pi` for `pii` would otherwise match no rule and quietly weaken the check.
 *
 *   data_classes:
 *     pii: Personal data about a person (names, addresses, employee records).
 *
 * A policy without `data_classes:` gets DEFAULT_DATA_CLASSES, so registries written before the
 * field existed stay working and stay strict.
 */
import type { DocReader } from './doc-reader.js';
import { connectorIds } from './facts.js';
import type { AppChange, ConnectorCatalog } from './types.js';
import { didYouMean } from '../did-you-mean.js';

export type DataClasses = ReadonlyMap<string, string>;

export const DEFAULT_DATA_CLASSES: DataClasses = new Map([
  ['pii', 'Personal data about an identifiable person: names, contact details, employee or customer records.'],
  ['phi', 'Health information about a person, which health-data law protects.'],
  ['financial', 'Financial records the app can read: expenses, invoices, payroll figures, budgets.'],
  ['financial_write', 'The app can create or change financial records.'],
  ['confidential', 'Company information that is not public: plans, contracts, internal documents.'],
  ['public', 'Information that is already public.'],
]);

const NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** The `data_classes:` section; undefined (with error findings) when it is broken. */
export function readDataClasses(reader: DocReader, value: unknown): DataClasses | undefined {
  if (value === undefined) return DEFAULT_DATA_CLASSES;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    return reader.error(
      'invalid-shape',
      ['data_classes'],
      '"data_classes" must list each kind of data with a description, for example "pii: Personal data about a person."',
    );
  }
  const classes = new Map<string, string>();
  let ok = true;
  for (const [name, description] of Object.entries(value as Record<string, unknown>)) {
    if (!NAME.test(name)) {
      ok = false;
      reader.error(
        'invalid-data-class',
        ['data_classes', name],
        `"${name}" cannot be a data class: use lower-case letters, digits and "_", starting with a letter.`,
        'key',
      );
      continue;
    }
    const text = reader.text(['data_classes', name], description, `The description of the data class "${name}"`);
    if (text === undefined) ok = false;
    else classes.set(name, text);
  }
  return ok ? classes : undefined;
}

/** The plain-words problem with one value, or undefined when the vocabulary has it. */
export function unknownDataClass(value: string, classes: DataClasses, where: string): string | undefined {
  if (classes.has(value)) return undefined;
  return `"${value}" is not a kind of data the approval policy knows, so no rule about data could apply to it.${didYouMean(value, classes.keys())} ${where} must use the kinds listed under "data_classes" in policies/approval.yaml: ${[...classes.keys()].join(', ')}.`;
}

/**
 * Run-time backstop: the app's declared data types and its connectors' classifications (from
 * the judging catalog) that the policy does not know. Validation reports them at the value; this
 * also catches a connector on the base branch with a typo, which no pull request shows.
 */
export function unknownEffectiveDataTypes(change: AppChange, catalog: ConnectorCatalog, classes: DataClasses): string[] {
  if (change.kind === 'removed') return [];
  const problems: string[] = [];
  const declared = Array.isArray(change.manifest.data_types) ? change.manifest.data_types : [];
  for (const value of declared) {
    if (typeof value === 'string' && !classes.has(value)) problems.push(`"${value}" in data_types`);
  }
  for (const id of connectorIds(change.manifest)) {
    const classification = catalog.connectors.get(id)?.data_classification;
    for (const value of Array.isArray(classification) ? classification : []) {
      if (typeof value === 'string' && !classes.has(value)) problems.push(`"${value}" from connector ${id}`);
    }
  }
  return problems;
}
