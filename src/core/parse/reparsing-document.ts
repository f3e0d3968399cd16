import type { Position } from '../findings.js';
import type { ParsedDocument, Pointer } from './document.js';

/**
 * A document whose value is already known (from the fast YAML path, or a clean file kept without its tree) and
 * whose source positions are found only when a finding needs one, by parsing the text again
 * with the strict parser. A valid registry asks for no positions at all, so most files are
 * parsed exactly once.
 */
export class ReparsingDocument implements ParsedDocument {
  private parsed?: ParsedDocument;

  constructor(
    readonly path: string,
    readonly value: unknown,
    private readonly reparse: () => ParsedDocument,
  ) {}

  valueAt(pointer: Pointer): Position {
    return this.source().valueAt(pointer);
  }

  keyAt(pointer: Pointer): Position {
    return this.source().keyAt(pointer);
  }

  scalarSource(pointer: Pointer): string | undefined {
    return this.source().scalarSource(pointer);
  }

  private source(): ParsedDocument {
    this.parsed ??= this.reparse();
    return this.parsed;
  }
}
