import type { Position } from '../findings.js';
import type { ParsedDocument, Pointer } from './document.js';
import { parseDocument } from './parse-document.js';

/**
 * A document whose value was computed elsewhere (in a worker thread) and whose source
 * positions are found only when a finding needs one, by parsing the bytes again. A valid
 * registry asks for no positions at all, so most files are parsed exactly once.
 */
export class ReparsingDocument implements ParsedDocument {
  private parsed?: ParsedDocument;

  constructor(
    readonly path: string,
    readonly value: unknown,
    private readonly bytes: Uint8Array,
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
    if (!this.parsed) {
      const result = parseDocument(this.path, this.bytes);
      if (!result.document) throw new Error(`${this.path} parsed once but not twice`);
      this.parsed = result.document;
    }
    return this.parsed;
  }
}
