/**
 * JSON manifests: strict JSON (no comments, no trailing commas), parsed with jsonc-parser's
 * scanner, which keeps offsets and is several times faster than a YAML parser on the same
 * text. The same refusals as for YAML apply: duplicate keys, prototype keys, huge numbers.
 */
import { parseTree, ParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { error, type Finding, type Position } from '../findings.js';
import type { ParsedDocument, ParseResult, Pointer } from './document.js';
import { FORBIDDEN_KEYS, MAX_KEYS, offsetTooDeepJson, positionOfOffset, TOO_DEEP_MESSAGE, TOO_MANY_KEYS_MESSAGE } from './limits.js';
import { jsonSyntaxWords } from './syntax-words.js';

export function parseJson(path: string, text: string): ParseResult {
  const tooDeep = offsetTooDeepJson(text);
  if (tooDeep >= 0) return { findings: [error('parse.too-deep', path, positionOfOffset(text, tooDeep), TOO_DEEP_MESSAGE)] };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !root) {
    const words = first ? jsonSyntaxWords(text, first.offset, (o) => positionOfOffset(text, o)) : undefined;
    if (words) return { findings: [error('parse.syntax', path, words.position, `This is not valid JSON: ${words.message}.`)] };
    return {
      findings: [
        error(
          'parse.syntax',
          path,
          positionOfOffset(text, first?.offset ?? 0),
          `This is not valid JSON: ${(first && JSON_ERRORS[first.error]) ?? 'unexpected text'}. Check for a missing comma, quote or bracket near here.`,
        ),
      ],
    };
  }
  const lines = new LineIndex(text);
  const walk: JsonWalk = { path, lines, findings: [], keys: 0 };
  const value = toPlain(root, walk);
  if (walk.findings.length > 0) return { findings: walk.findings.slice(0, 1) };
  return { document: new JsonDocument(path, value, root, lines), findings: [] };
}

interface JsonWalk {
  path: string;
  lines: LineIndex;
  findings: Finding[];
  /** Field names seen so far in the file (capped at MAX_KEYS). */
  keys: number;
}

function toPlain(node: Node, walk: JsonWalk): unknown {
  const { path, lines, findings } = walk;
  if (findings.length > 0) return null;
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode || !valueNode) continue;
        const key = keyNode.value as string;
        if (++walk.keys > MAX_KEYS) {
          findings.push(error('parse.too-many-keys', path, lines.at(keyNode.offset), TOO_MANY_KEYS_MESSAGE));
          return null;
        }
        if (FORBIDDEN_KEYS.has(key)) {
          findings.push(
            error('parse.forbidden-key', path, lines.at(keyNode.offset), `"${key}" is a reserved word and cannot be used as a field name.`),
          );
          return null;
        }
        if (seen.has(key)) {
          findings.push(
            error(
              'parse.duplicate-key',
              path,
              lines.at(keyNode.offset),
              'This key appears twice in the same block. Keep only one of them.',
            ),
          );
          return null;
        }
        seen.add(key);
        out[key] = toPlain(valueNode, walk);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((child) => toPlain(child, walk));
    case 'number':
      if (!Number.isFinite(node.value)) {
        findings.push(error('parse.number', path, lines.at(node.offset), 'This number is too large to be stored. Use an ordinary number.'));
        return null;
      }
      return node.value;
    default:
      return node.value;
  }
}

class JsonDocument implements ParsedDocument {
  constructor(
    readonly path: string,
    readonly value: unknown,
    private readonly root: Node,
    private readonly lines: LineIndex,
  ) {}

  valueAt(pointer: Pointer): Position {
    return this.lines.at(this.find(pointer).node.offset);
  }

  keyAt(pointer: Pointer): Position {
    const { node, complete } = this.find(pointer);
    const key = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    return this.lines.at(complete && key ? key.offset : node.offset);
  }

  scalarSource(pointer: Pointer): string | undefined {
    const { node, complete } = this.find(pointer);
    if (!complete || node.type === 'object' || node.type === 'array' || node.value === null) return undefined;
    return String(node.value);
  }

  /** The node at the pointer, or its nearest existing ancestor: one map lookup per step. */
  private find(pointer: Pointer): { node: Node; complete: boolean } {
    let node = this.root;
    for (const step of pointer) {
      const next =
        node.type === 'object'
          ? this.propertiesOf(node).get(String(step))
          : node.type === 'array' && typeof step === 'number'
            ? node.children?.[step]
            : undefined;
      if (!next) return { node, complete: false };
      node = next;
    }
    return { node, complete: true };
  }

  /** An object's values by key, built once per object the first time a finding asks. */
  private readonly indexes = new Map<Node, Map<string, Node>>();

  private propertiesOf(object: Node): Map<string, Node> {
    let index = this.indexes.get(object);
    if (!index) {
      index = new Map();
      for (const property of object.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (keyNode && valueNode && !index.has(keyNode.value as string)) index.set(keyNode.value as string, valueNode);
      }
      this.indexes.set(object, index);
    }
    return index;
  }
}

/** Offsets to 1-based line and column, with the line starts computed once per file. */
class LineIndex {
  private starts?: number[];

  constructor(private readonly text: string) {}

  at(offset: number): Position {
    if (!this.starts) {
      this.starts = [0];
      for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

const JSON_ERRORS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'unexpected character',
  [ParseErrorCode.InvalidNumberFormat]: 'badly written number',
  [ParseErrorCode.PropertyNameExpected]: 'a field name in double quotes was expected',
  [ParseErrorCode.ValueExpected]: 'a value was expected',
  [ParseErrorCode.ColonExpected]: 'a colon (:) was expected',
  [ParseErrorCode.CommaExpected]: 'a comma was expected',
  [ParseErrorCode.CloseBraceExpected]: 'a closing brace } was expected',
  [ParseErrorCode.CloseBracketExpected]: 'a closing bracket ] was expected',
  [ParseErrorCode.EndOfFileExpected]: 'text after the end of the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfString]: 'a text value is not closed with a double quote',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'badly written number',
  [ParseErrorCode.InvalidUnicode]: 'invalid unicode escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'invalid character',
};
