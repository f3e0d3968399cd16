/**
 * Closed vocabulary of data (DESIGN.md section 3): every value of an app's `data_types` and of a
 * connector's `data_classification` must be a data class of the judging policy (the base
 * branch's). An unknown value is an error at the value itself, with a did-you-mean: `pi` for
 * `pii` would otherwise match no rule and be approved as if the app handled no personal data.
 */
import { error, type Finding } from '../findings.js';
import { unknownDataClass, type DataClasses } from '../policy/data-classes.js';
import type { LoadedFile } from './load-file.js';

const FIELD_OF = { app: 'data_types', connector: 'data_classification' } as const;

export function checkDataClasses(file: LoadedFile, classes: DataClasses): Finding[] {
  const field = file.role === 'app' || file.role === 'connector' ? FIELD_OF[file.role] : undefined;
  const doc = file.document;
  if (!field || !doc || typeof doc.value !== 'object' || doc.value === null) return [];
  const values = (doc.value as Record<string, unknown>)[field];
  if (!Array.isArray(values)) return [];
  const where = file.role === 'app' ? 'An app\'s "data_types"' : 'A connector\'s "data_classification"';
  const findings: Finding[] = [];
  values.forEach((value, i) => {
    const problem = typeof value === 'string' ? unknownDataClass(value, classes, where) : undefined;
    if (problem) findings.push(error(`${file.role}.unknown-data-class`, file.path, doc.valueAt([field, i]), problem));
  });
  return findings;
}
