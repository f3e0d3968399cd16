import { FolderTree } from '../adapters/fs/folder-tree.js';
import { error, START, type Finding } from '../core/findings.js';
import { assembleSnapshot, type RegistrySnapshot } from '../core/registry/assemble.js';
import { POLICY_PATH } from '../core/tree.js';
import { loadablePaths, readAndLoad } from './read-registry.js';

export interface FolderRegistry {
  snapshot: RegistrySnapshot;
  /** How many files were parsed. */
  fileCount: number;
  /** The snapshot's findings, plus a missing policy. */
  findings: Finding[];
}

/** Loads every governed file of a folder as it is on disk (validate, explain, test). */
export async function readFolder(root: string): Promise<FolderRegistry> {
  const source = new FolderTree(root);
  const listing = await source.listing();
  const paths = loadablePaths(listing);
  const snapshot = assembleSnapshot(listing, await readAndLoad(source, paths));
  const findings = [...snapshot.findings];
  if (!snapshot.files.has(POLICY_PATH)) {
    findings.push(
      error(
        'registry.no-policy',
        POLICY_PATH,
        START,
        `There is no approval policy at ${POLICY_PATH}, so no app can be judged. Is --root the registry's folder?`,
      ),
    );
  }
  return { snapshot, fileCount: paths.length, findings };
}
