/**
 * Maps an offset inside a scalar's decoded value (what the condition parser sees) to a line and
 * column in the file. The parsed document only knows where the scalar starts; with the file's
 * text we walk the scalar as written, so quoting (`"a \"b\""`, `'it''s'`), folded lines and block
 * scalars (`|`, `>`) still land on the right character. If the walk loses track, or there is no
 * text, the scalar's own position is returned: never a wrong column, at worst a coarse one.
 */
import type { Position } from '../findings.js';

export type OffsetMapper = (start: Position, decoded: string, offset: number) => Position;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function escapeLength(next: string | undefined): number {
  return next === 'x' ? 4 : next === 'u' ? 6 : next === 'U' ? 10 : 2;
}

export function offsetMapper(text: string | undefined): OffsetMapper {
  if (text === undefined) return (start) => start;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const toIndex = (p: Position): number => (lineStarts[p.line - 1] ?? 0) + p.column - 1;
  const toPosition = (index: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - lineStarts[lo]! + 1 };
  };

  return (start, decoded, offset) => {
    let p = toIndex(start);
    const open = text[p];
    const style = open === '"' ? 'double' : open === "'" ? 'single' : open === '|' || open === '>' ? 'block' : 'plain';
    if (style === 'double' || style === 'single') p++;
    if (style === 'block') {
      p = text.indexOf('\n', p) + 1;
      if (p === 0) return start;
    }
    const lineContinuation = (): boolean => style === 'double' && text[p] === '\\' && (text[p + 1] === '\n' || text[p + 1] === '\r');
    const skipSpace = (): void => {
      while (p < text.length) {
        if (isSpace(text[p])) p++;
        else if (lineContinuation()) p += 2;
        else break;
      }
    };
    for (let i = 0; i < offset && i < decoded.length; i++) {
      const c = decoded[i]!;
      if (isSpace(c)) {
        // Folding may turn a run of raw whitespace into one space: the rest is skipped later.
        if (style === 'double' && text[p] === '\\' && !lineContinuation()) p += escapeLength(text[p + 1]);
        else if (isSpace(text[p])) p++;
        continue;
      }
      skipSpace();
      if (style === 'double' && text[p] === '\\') p += escapeLength(text[p + 1]);
      else if (style === 'single' && c === "'") {
        if (text.slice(p, p + 2) !== "''") return start;
        p += 2;
      } else if (text[p] === c) p++;
      else return start;
    }
    if (offset < decoded.length && !isSpace(decoded[offset])) skipSpace();
    return toPosition(p);
  };
}
