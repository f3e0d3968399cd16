/**
 * Untrusted text (manifest values, file names, keys, logins, GitHub's answers) on every surface
 * we write to: check-run summaries and texts, annotations, job summaries, pull-request comments
 * and the terminal. One module, so that every renderer treats the same character the same way.
 *
 * - Invisible characters: C0 and C1 controls (a terminal escape sequence starts with ESC,
 *   U+001B, or the one-byte CSI, U+009B), DEL, the bidirectional marks, embeddings, overrides and
 *   isolates that make text read differently than it is (U+061C, U+200E/F, U+202A-U+202E,
 *   U+2066-U+2069), and line breaks. Plain text writes them out visibly ("\u202e", "\n"); Markdown
 *   drops them and turns line breaks into spaces, so that a value stays on its own line.
 * - Markdown: markup, HTML, links and images are escaped; mentions become code spans, which
 *   GitHub never links and which copy as they read (`@acme/security`).
 * - `clip`: one length bound that never cuts a surrogate pair or an escape in half.
 *
 * Pure: no I/O.
 */

/** Every invisible character, line breaks and tabs included. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same without the line breaks, tab and line/paragraph separators, which Markdown turns into spaces. */
const INVISIBLE_INLINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\n\t\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Plain text: annotations (workflow commands and the Checks API), terminal output.

/** One value (a path, a name, a message) as plain text on one line: every invisible character written out. */
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

/** A whole text output for a terminal: line breaks and tabs stay, every other invisible character is written out. */
export function terminalSafe(text: string): string {
  return text.replace(INVISIBLE, (c) => (c === '\n' || c === '\t' ? c : escapeOne(c)));
}

/**
 * JSON for a terminal: JSON.stringify already escapes U+0000-U+001F; DEL, the C1 controls and
 * the invisible marks get \u escapes too, which any JSON reader decodes back to the same string.
 */
export function jsonTerminalSafe(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, escapeOne);
}

// ---------------------------------------------------------------------------------------------
// Markdown: check runs, job summaries, pull-request comments.

/** Invisible characters dropped, line breaks and tabs as spaces: the text cannot leave its line. */
function oneLine(text: string): string {
  return text.replace(INVISIBLE_INLINE, '').replace(LINE_BREAK, ' ');
}

/**
 * What GitHub would turn into a notification: a mention ("@alice", "@acme/security") or an
 * address ("team@example.com", which GitHub also autolinks). A match starts only where a word
 * starts (the lookbehind), which keeps the search linear on a long word; an "@" outside any
 * match is still put in a code span by escapeWords.
 */
const MENTION = /(?<![\w.+-])[\w.+-]*@[\w-]*(?:[./][\w-]+)*/g;
/**
 * Markdown's punctuation that can start markup, HTML, an entity, a link or an image. Parentheses
 * and "!" need no escape: without a live "[" they start no link or image.
 */
const MARKUP = /[\\`*_{}[\]<>|#~&]/g;

/** Plain words outside code spans: markup escaped, bare URLs and line-start markers defused. */
function escapeWords(text: string): string {
  return (
    text
      .replace(MARKUP, (c) => `\\${c}`)
      // GitHub links "http://..." and "www..." by itself; an escaped ":" or "." is not a link.
      .replace(/:(?=\/\/)/g, '\\:')
      .replace(/(?<=\bwww)\./gi, '\\.')
      .replace(/@/g, '`@`')
  );
}

/**
 * Untrusted text inside a line of Markdown (a sentence, a list item, a table cell, a heading):
 * it shows as the same words and cannot add markup, HTML, links, images, headings, table cells,
 * lines or notifications. Mentions are code spans: `@team` reads and copies as is.
 */
export function markdownText(text: string): string {
  const flat = oneLine(text);
  let out = '';
  let last = 0;
  for (const m of flat.matchAll(MENTION)) {
    out += escapeWords(flat.slice(last, m.index)) + markdownCode(m[0]);
    last = m.index + m[0].length;
  }
  out += escapeWords(flat.slice(last));
  // At the start of a line, "-", "+", "=", "1." and "1)" would start a list, a heading's underline or a break.
  return out.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * Untrusted text as a code span. Nothing is escaped inside a span (a backslash would show), so
 * the fence is made longer than any run of backticks in the text; line breaks and table pipes,
 * which end a span or a table cell, are replaced, and invisible characters dropped.
 */
export function markdownCode(text: string): string {
  const flat = oneLine(text).replace(/\|/g, '\u2223');
  if (flat.trim() === '') return '` `';
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

// ---------------------------------------------------------------------------------------------
// Length.

/** A unit clip never cuts: a "\u1234" escape, a backslash escape ("\<", "\n"), a surrogate pair, or one code unit. */
const ATOM = /\\u[0-9a-fA-F]{4}|\\[\s\S]|[\ud800-\udbff][\udc00-\udfff]|[\s\S]/g;

/**
 * At most `max` UTF-16 code units (what JavaScript and GitHub's limits count), with "…" when
 * cut. Never ends inside a surrogate pair or an escape written by this module, so a clipped
 * text is still valid text of its kind. Clip Markdown before putting it into a code span.
 */
export function clip(text: string, max: number): string {
  if (!Number.isFinite(max) || text.length <= max) return text;
  const room = Math.max(0, Math.floor(max) - 1);
  let end = 0;
  for (const atom of text.matchAll(ATOM)) {
    if (end + atom[0].length > room) break;
    end += atom[0].length;
  }
  return max >= 1 ? `${text.slice(0, end)}…` : '';
}

/**
 * markdownText() of `text` in at most `max` code units. The raw text is clipped, not the Markdown:
 * a cut inside a code span would leave its fence open and the mention in it live.
 */
export function markdownTextWithin(text: string, max: number): string {
  let room = Math.floor(max);
  let out = markdownText(clip(text, room));
  while (out.length > max && room > 0) {
    room = Math.max(0, Math.min(room - 1, room - (out.length - max)));
    out = markdownText(clip(text, room));
  }
  return out.length <= max ? out : '';
}
