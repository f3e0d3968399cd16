/**
 * Logins, team names, reasons and every other string in an approval status are untrusted for
 * Markdown: they must not add markup, HTML or links, and must not ping anyone (a check-run
 * summary or PR comment that says "@alice" would notify alice on every update).
 */

// C0/C1 controls and the bidirectional overrides that can make text read differently than it is.
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Plain text for a Markdown line: markup escaped, mentions defused, one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(/\r\n|\r|\n|\t/g, ' ')
    .replace(/[\\`*_{}[\]()<>|#~&!]/g, (c) => `\\${c}`)
    // A zero-width space after "@" keeps "@alice" readable without a notification.
    .replace(/@/g, '@\u200b');
}

/** At most `max` characters (code points), with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  if (!Number.isFinite(max) || text.length <= max) return text;
  const points = [...text];
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(max - 1, 0)).join('')}…`;
}
