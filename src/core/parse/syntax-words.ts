/**
 * Syntax errors in plain words. The parsers' own messages ("Nested mappings are not allowed in
 * compact mappings") speak YAML jargon and often point at the wrong line; the usual slips of a
 * hand-edited manifest are recognised from the source text itself, and named with what to do
 * and the line to do it on. The line's content is never repeated (it could hold a secret).
 */
import type { Position } from '../findings.js';

export interface SyntaxWords {
  position: Position;
  message: string;
}

/** `key:value`: a field name glued to its value (a URL's "https://" is not a field). */
const NO_SPACE = /^(\s*(?:-\s+)?[A-Za-z_][\w.-]*):(?=[^\s/:#])/;
/** `key: text: more`: a plain value that itself contains ": ". */
const COLON_IN_VALUE = /^\s*(?:-\s+)?[A-Za-z_][\w.-]*:\s+([^'"\s[{|>&*!#][^#]*?):\s/;

/**
 * The YAML slip near `at` (the parser's position), or undefined when none is recognised: the
 * parser's message is used then.
 */
export function yamlSyntaxWords(text: string, at: Position): SyntaxWords | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const line = (n: number): string => lines[n - 1] ?? '';
  // The parser reports a glued "key:value" on its own line or at the next key.
  for (const n of [at.line, at.line - 1]) {
    const m = NO_SPACE.exec(line(n));
    if (m && !isComment(line(n))) {
      return { position: { line: n, column: m[1]!.length + 1 }, message: `add a space after ':' on line ${n}` };
    }
  }
  const colon = COLON_IN_VALUE.exec(line(at.line));
  if (colon && !isComment(line(at.line))) {
    return {
      position: { line: at.line, column: line(at.line).indexOf(colon[1]!) + 1 },
      message: `put text containing ': ' in quotes on line ${at.line}`,
    };
  }
  // A line indented more than a line that has a value of its own.
  for (let n = Math.max(2, at.line); n <= Math.min(lines.length, at.line + 1); n++) {
    const above = previousContentLine(lines, n);
    if (above === undefined || isBlank(line(n)) || isComment(line(n))) continue;
    const aboveText = line(above);
    const opensBlock = /:\s*(#.*)?$/.test(aboveText) || /^\s*-\s*$/.test(aboveText) || /[|>][-+]?\s*$/.test(aboveText);
    if (indent(line(n)) > indent(aboveText) && !opensBlock && !/^\s*-\s/.test(aboveText)) {
      return { position: { line: n, column: indent(line(n)) + 1 }, message: `line ${n} is indented more than the line above` };
    }
  }
  return undefined;
}

/**
 * The JSON slip at `offset` (where the parser stopped): a comma after the last item of a list or
 * of a set of fields, or undefined.
 */
export function jsonSyntaxWords(text: string, offset: number, positionOf: (offset: number) => Position): SyntaxWords | undefined {
  if (text[offset] !== ']' && text[offset] !== '}') return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  if (text[i] !== ',') return undefined;
  const position = positionOf(i);
  return { position, message: `remove the comma after the last item on line ${position.line}` };
}

function previousContentLine(lines: readonly string[], n: number): number | undefined {
  for (let k = n - 1; k >= 1; k--) {
    const l = lines[k - 1] ?? '';
    if (!isBlank(l) && !isComment(l)) return k;
  }
  return undefined;
}

const indent = (l: string): number => l.length - l.trimStart().length;
const isBlank = (l: string): boolean => l.trim() === '';
const isComment = (l: string): boolean => l.trimStart().startsWith('#');
