/**
 * Times in the audit files: ISO 8601 in UTC, always with "Z". Entries and checkpoints take
 * milliseconds (what Date#toISOString writes); key windows are to the second, because the
 * allowed_signers file that git reads cannot say more.
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/;
const SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Milliseconds since the epoch of an ISO 8601 UTC time, or undefined when it is not one (or no real date). */
export function parseInstant(text: string): number | undefined {
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Checked by hand: Date.parse would roll 2025-02-30 over into March.
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, m[7] ? Number(m[7].padEnd(3, '0')) : 0);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isInstant(text: unknown): text is string {
  return typeof text === 'string' && parseInstant(text) !== undefined;
}

/** A UTC time to the second: 2025-01-31T00:00:00Z. */
export function isSecondInstant(text: unknown): text is string {
  return typeof text === 'string' && SECOND.test(text) && parseInstant(text) !== undefined;
}

/** 2025-01-31T08:30:00Z -> 20250131083000Z (allowed_signers' timestamp format, in UTC). */
export function compactUtc(secondInstant: string): string {
  return `${secondInstant.slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

/**
 * A time given on the command line as an ISO date (2025-01-31, midnight UTC) or a UTC time
 * (2025-01-31T08:30Z, 2025-01-31T08:30:00Z), normalised to the second; undefined otherwise.
 */
export function normaliseWindowTime(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?Z)?$/.exec(text);
  if (!m) return undefined;
  const normal = `${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}Z`;
  return isSecondInstant(normal) ? normal : undefined;
}

/** Now, truncated to the second (the start of a key's window). */
export function secondOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
