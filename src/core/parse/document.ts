import type { Finding, Position } from '../findings.js';

/** A path into a parsed document: object keys and array indexes. */
export type Pointer = ReadonlyArray<string | number>;

/**
 * A manifest parsed from YAML or JSON, with the source positions of its keys and values.
 * `value` holds plain JSON data only (objects with null prototypes are never produced:
 * dangerous keys are refused at parse time).
 */
export interface ParsedDocument {
  path: string;
  value: unknown;
  /** Position of the value at `pointer`, or of its nearest existing ancestor. */
  valueAt(pointer: Pointer): Position;
  /** Position of the key naming the value at `pointer` (the value's own position for array items). */
  keyAt(pointer: Pointer): Position;
  /** A scalar's source text exactly as written (YAML reads `001` as 1; rule ids keep "001"). */
  scalarSource(pointer: Pointer): string | undefined;
}

export interface ParseResult {
  document?: ParsedDocument;
  findings: Finding[];
}
