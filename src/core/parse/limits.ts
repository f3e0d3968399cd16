import type { Position } from '../findings.js';

/** Registry files are small; anything larger is refused before it is parsed. */
export const MAX_FILE_BYTES = 256 * 1024;

/** Keys that could reach an object's prototype when data is copied around. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function positionOfOffset(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

