// Worker thread: loads its share of files and posts plain results back (see load-files.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { loadFile } from '../../core/registry/load-file.js';
import { roleOf } from '../../core/tree.js';
import type { PlainLoadedFile } from '../load-files.js';

const files = workerData as Array<{ path: string; bytes: Uint8Array }>;
const results: PlainLoadedFile[] = files.map(({ path, bytes }) => {
  const loaded = loadFile(path, roleOf(path), bytes);
  return {
    path,
    role: loaded.role,
    valid: loaded.valid,
    findings: loaded.findings,
    value: loaded.document?.value,
    parsed: loaded.document !== undefined,
    source: loaded.source,
  };
});
parentPort!.postMessage(results);
