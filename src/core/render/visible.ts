/**
 * Text from manifests, paths and keys is data. Before it is shown as plain text, every
 * control character (a terminal escape sequence starts with ESC, U+001B; a line break would
 * start a line of its own, which the Actions runner reads as a command) and every invisible
 * character that reorders or breaks lines is written out visibly: "\u001b", "\n".
 */

/** C0 controls, DEL, C1 controls, bidirectional marks and overrides, line and paragraph separators. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One value (a path, a name, a message) as it may be shown: no control characters at all. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, escapeOne);
}

/** A copy of plain data (a report, a finding) with every string made visible(). */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T;
  if (Array.isArray(value)) return value.map(visibleDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = visibleDeep(v);
    return out as T;
  }
  return value;
}

/** A whole text output for a terminal: line breaks and tabs stay, every other control character is shown. */
export function terminalSafe(text: string): string {
  return text.replace(INVISIBLE, (c) => (c === '\n' || c === '\t' ? c : escapeOne(c)));
}

/**
 * JSON for a terminal: JSON.stringify already escapes U+0000-U+001F; DEL, the C1 controls
 * (U+009B is a terminal's one-byte CSI) and the invisible marks get \u escapes too, which
 * any JSON reader decodes back to the same string.
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, escapeOne);
}
