/** SHA-256 digests and their text form in the audit files: "sha256:<64 lower-case hex digits>". */
import { hash } from 'node:crypto';

export const HASH_PREFIX = 'sha256:';
export const HASH_PATTERN = /^sha256:[0-9a-f]{64}$/;
/** The `prev` of the first entry. */
export const ZERO_HASH = `${HASH_PREFIX}${'0'.repeat(64)}`;

export function sha256(data: Uint8Array | string): Buffer {
  return hash('sha256', data, 'buffer');
}

export function formatHash(digest: Uint8Array): string {
  return `${HASH_PREFIX}${Buffer.from(digest).toString('hex')}`;
}

/** The digest of a "sha256:<hex>" text; undefined when it is not one. */
export function parseHash(text: string): Buffer | undefined {
  return HASH_PATTERN.test(text) ? Buffer.from(text.slice(HASH_PREFIX.length), 'hex') : undefined;
}
