/**
 * File names under the governed folders must be plain text: valid UTF-8 without control
 * characters. A name that is not would be decoded lossily (two different names becoming one,
 * hiding a change), print as something else in a terminal, or break line-based tools.
 *
 * Adapters turn each raw name into a string with pathFromBytes (git, the file system) or
 * pathFromText (GitHub's JSON), which escape every character that is not plain text. The
 * escaping is reversible, so two different raw names never share an escaped path, and it
 * always contains a backslash, which no accepted name has: pathNameProblem refuses it in the
 * core, the same way for every front door.
 */

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Characters escaped in a path: backslash, C0 and C1 controls, DEL, U+FFFD (a sign of lossy decoding), lone surrogates. */
const NOT_PLAIN = /[\\\p{Cc}\uFFFD]|\p{Cs}/u;
const NOT_PLAIN_ALL = /[\\\p{Cc}\uFFFD]|\p{Cs}/gu;
/** The same without the backslash: what is still raw in an already escaped path. */
const RAW_ALL = /[\p{Cc}\uFFFD]|\p{Cs}/gu;

/** A raw path from git or the file system, escaped where it is not plain UTF-8 text. */
export function pathFromBytes(bytes: Uint8Array): string {
  if (isPlainAscii(bytes)) return String.fromCharCode(...bytes); // the usual case, without a decoder
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) return pathFromText(text);
  // Not UTF-8: each byte outside a valid sequence becomes \xNN, the rest is decoded as usual.
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
      i++;
    } else {
      out += pathFromText(utf8.decode(bytes.subarray(i, i + length)));
      i += length;
    }
  }
  return out;
}

/** A path that arrived as text (e.g. GitHub's JSON), escaped where it is not plain. */
export function pathFromText(text: string): string {
  if (!NOT_PLAIN.test(text)) return text;
  return text.replace(NOT_PLAIN_ALL, escapeChar);
}

function escapeChar(c: string): string {
  if (c === '\\') return '\\\\';
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Why a governed path is refused, or undefined when its name is plain text. */
export function pathNameProblem(path: string): string | undefined {
  if (!NOT_PLAIN.test(path)) return undefined;
  // Adapters hand in escaped paths; anything still raw is escaped for the message too.
  const shown = path.replace(RAW_ALL, escapeChar);
  return (
    `The file name "${shown}" (shown with escapes such as \\xff) is not plain text: it is not valid UTF-8, or it holds ` +
    'a control character, a backslash or a character that stands for one that could not be read. ' +
    'Rename it using ordinary letters, digits, "-", "_" and ".".'
  );
}

function isPlainAscii(bytes: Uint8Array): boolean {
  if (bytes.length > 4096) return false;
  for (const b of bytes) if (b < 0x20 || b > 0x7e || b === 0x5c) return false;
  return true;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n <= 1 || i + n > bytes.length) return n === 1 ? 1 : 0;
  try {
    utf8.decode(bytes.subarray(i, i + n));
    return n;
  } catch {
    return 0;
  }
}
