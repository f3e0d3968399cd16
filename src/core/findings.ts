/**
 * A finding is one problem found in one file, pointing at the exact line and column
 * (1-based) of the key or value at fault. Findings are data, never exceptions: every
 * step of the pipeline returns the findings it made next to its value.
 */
import { byPath, compareCodeUnits } from './order.js';

/**
 * `error` makes the file invalid; `warning` is a problem that does not; `notice` is advice (the
 * least-privilege form of a connector entry, say), shown after everything else.
 */
export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  severity: Severity;
  /** Stable, machine-readable identifier, e.g. `schema.unknown-field`. Never reworded. */
  code: string;
  /** Path of the file relative to the registry root, with forward slashes. */
  path: string;
  line: number;
  column: number;
  /** A sentence a non-developer understands, saying what is wrong and what to do. */
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

export const START: Position = { line: 1, column: 1 };

export function finding(severity: Severity, code: string, path: string, position: Position, message: string): Finding {
  return { severity, code, path, line: position.line, column: position.column, message };
}

export const error = (code: string, path: string, position: Position, message: string): Finding =>
  finding('error', code, path, position, message);

export const warning = (code: string, path: string, position: Position, message: string): Finding =>
  finding('warning', code, path, position, message);

export const notice = (code: string, path: string, position: Position, message: string): Finding =>
  finding('notice', code, path, position, message);

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** Stable order for output: by path, then position, then code. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => byPath(a, b) || a.line - b.line || a.column - b.column || compareCodeUnits(a.code, b.code));
}

/**
 * At most `max` findings for one file, then one that says how many more there were: a hostile
 * file of thousands of bad fields gets a short, readable answer at a linear cost.
 */
export function capFindings(path: string, findings: Finding[], max: number): Finding[] {
  if (findings.length <= max) return findings;
  const rest = findings.slice(max);
  const first = rest[0]!;
  const severity: Severity = rest.some((f) => f.severity === 'error')
    ? 'error'
    : rest.some((f) => f.severity === 'warning')
      ? 'warning'
      : 'notice';
  return [
    ...findings.slice(0, max),
    finding(
      severity,
      'file.more-findings',
      path,
      { line: first.line, column: first.column },
      `...and ${rest.length.toLocaleString('en-US')} more problems in this file, not listed one by one. Fix the ones above and check again.`,
    ),
  ];
}
