import { git } from './run-git.js';

/**
 * Reads many blobs with one `git cat-file --batch` process: one request line per object id,
 * answered by "<oid> <type> <size>\n<bytes>\n".
 */
export async function readBlobs(cwd: string, oids: readonly string[]): Promise<Map<string, Uint8Array>> {
  const unique = [...new Set(oids)];
  const blobs = new Map<string, Uint8Array>();
  if (unique.length === 0) return blobs;
  const out = await git(cwd, ['cat-file', '--batch'], `${unique.join('\n')}\n`);
  let offset = 0;
  while (offset < out.length) {
    const headerEnd = out.indexOf(10, offset);
    if (headerEnd < 0) break;
    const header = out.subarray(offset, headerEnd).toString('utf8');
    const [oid, type, size] = header.split(' ');
    if (type === 'missing' || !oid || size === undefined) {
      throw new Error(`git cat-file: object ${oid ?? header} is missing`);
    }
    const start = headerEnd + 1;
    const end = start + Number(size);
    blobs.set(oid, out.subarray(start, end));
    offset = end + 1;
  }
  return blobs;
}
