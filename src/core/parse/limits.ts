import type { Position } from '../findings.js';

/** Registry files are small; anything larger is refused before it is parsed. */
export const MAX_FILE_BYTES = 256 * 1024;

/** Keys that could reach an object's prototype when data is copied around. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Lists and blocks inside each other: a manifest needs a handful; deeper input is hostile (a stack bomb). */
export const MAX_DEPTH = 64;

/** Field names in one file: a manifest has dozens; the cap keeps every check linear and short. */
export const MAX_KEYS = 10_000;

/** Findings kept per file: past this, one summary finding says how many more there were. */
export const MAX_FINDINGS_PER_FILE = 100;

export const TOO_MANY_KEYS_MESSAGE = `This file has more than ${MAX_KEYS.toLocaleString('en-US')} field names; a registry file needs far fewer. Remove what is not needed.`;

export const TOO_DEEP_MESSAGE = `Lists and blocks are nested more than ${MAX_DEPTH} levels deep here; registry files never need that many. Flatten the structure.`;

/**
 * Where JSON text first opens a list or object deeper than MAX_DEPTH (outside strings), or
 * -1. One linear scan before the parser runs, since the parser itself recurses per level.
 */
export function offsetTooDeepJson(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

/**
 * The same guard for YAML, which nests two ways: flow brackets (counted outside quotes and
 * comments, as for JSON) and indentation (a block level needs at least one more column, so
 * content starting past 2 * MAX_DEPTH columns of indentation and "- " markers is too deep).
 * The strict parser's walk then applies the exact MAX_DEPTH to whatever gets through.
 */
export function offsetTooDeepYaml(text: string): number {
  let depth = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart) {
      // Leading spaces and block markers ("- ", "? ", ": ") count as indentation.
      const next = text.charCodeAt(i + 1);
      if (c === 32 || ((c === 45 || c === 63 || c === 58) && (next === 32 || next === 10 || Number.isNaN(next)))) {
        if (++indent > 2 * MAX_DEPTH) return i;
        continue;
      }
      lineStart = false;
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10 || text.charCodeAt(i - 1) === 9)) {
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++; // a comment: skip to the line's end
    } else if (c === 34 && opensScalar(text, i)) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 39 && opensScalar(text, i)) {
      for (i++; i < text.length; i++) {
        if (text.charCodeAt(i) !== 39) continue;
        if (text.charCodeAt(i + 1) === 39)
          i++; // '' is an escaped quote
        else break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return -1;
}

/** A quote starts a quoted value only where a value may start (an apostrophe in "it's" does not). */
function opensScalar(text: string, i: number): boolean {
  const before = i === 0 ? 10 : text.charCodeAt(i - 1);
  return before === 10 || before === 32 || before === 9 || before === 91 || before === 123 || before === 44 || before === 58;
}

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
