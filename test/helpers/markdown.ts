/**
 * Markdown as GitHub reads it, for tests of what untrusted text can do on a page: code spans
 * (where markup, HTML and mentions are dead), the text outside them (where they are live),
 * table cells, and the words a reader sees.
 */

/**
 * The code spans of one line of Markdown, per CommonMark: a run of n backticks opens a span
 * that the next run of exactly n backticks closes; outside spans, a backslash escapes the
 * next character. Returns the spans' contents and the text outside them.
 */
export function codeSpans(line: string): { spans: string[]; outside: string } {
  const spans: string[] = [];
  let outside = '';
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      outside += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      outside += c;
      i++;
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let j = i + n;
    let close = -1;
    while (j < line.length) {
      const k = line.indexOf(fence, j);
      if (k < 0) break;
      let m = 0;
      while (line[k + m] === '`') m++;
      if (m === n) {
        close = k;
        break;
      }
      j = k + m;
    }
    if (close < 0) {
      // No closing run: the backticks are literal text.
      outside += fence;
      i += n;
      continue;
    }
    spans.push(line.slice(i + n, close));
    i = close + n;
  }
  return { spans, outside };
}

/** The text of every line outside code spans (where Markdown, HTML and mentions are live). */
export function liveText(markdown: string): string {
  return markdown
    .split('\n')
    .map((l) => codeSpans(l).outside)
    .join('\n');
}

/** The cells of a GFM table row: split at pipes not escaped by a backslash. */
export function cells(row: string): string[] {
  const parts = row.split(/(?<!\\)\|/);
  return parts.slice(1, -1).map((c) => c.trim());
}

/**
 * The words a reader sees: backslash escapes undone and code spans unwrapped (a one-space pad
 * inside a span is stripped), so texts of a report can be looked up in rendered Markdown.
 */
export function readerText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      let out = '';
      let i = 0;
      while (i < line.length) {
        const c = line[i]!;
        if (c === '\\' && i + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[i + 1]!)) {
          out += line[i + 1];
          i += 2;
          continue;
        }
        if (c === '`') {
          let n = 0;
          while (line[i + n] === '`') n++;
          const rest = line.slice(i + n);
          const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`).exec(rest);
          if (close) {
            let span = rest.slice(0, close.index);
            if (span.length > 2 && span.startsWith(' ') && span.endsWith(' ')) span = span.slice(1, -1);
            out += span;
            i += n + close.index + n;
            continue;
          }
          out += '`'.repeat(n);
          i += n;
          continue;
        }
        out += c;
        i++;
      }
      return out;
    })
    .join('\n');
}
