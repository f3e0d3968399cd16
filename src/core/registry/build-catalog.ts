/**
 * The connector catalog of one tree: every valid connector manifest by id. A connector's id
 * must equal its file name, which makes ids unique by construction of the folder.
 */
import { error, type Finding } from '../findings.js';
import type { ConnectorManifest } from '../model.js';
import type { ConnectorCatalog } from '../policy/types.js';
import { baseName } from '../tree.js';
import type { LoadedFile } from './load-file.js';

export function buildCatalog(
  files: readonly LoadedFile[],
  duplicates: ReadonlyMap<string, string[]>,
): {
  catalog: ConnectorCatalog;
  findings: Finding[];
} {
  const connectors = new Map<string, ConnectorManifest>();
  const findings: Finding[] = [];
  for (const file of files) {
    if (!file.valid || !file.document) continue;
    const manifest = file.document.value as ConnectorManifest;
    const expected = baseName(file.path);
    if (manifest.connector_id !== expected) {
      findings.push(
        error(
          'connector.id-mismatch',
          file.path,
          file.document.valueAt(['connector_id']),
          `The connector_id "${manifest.connector_id}" must match the file name "${expected}". Rename the file or change the id.`,
        ),
      );
      continue;
    }
    const twins = duplicates.get(file.path);
    if (twins) {
      findings.push(
        error(
          'connector.duplicate-id',
          file.path,
          file.document.valueAt(['connector_id']),
          `The connector "${manifest.connector_id}" is also defined in ${twins.join(', ')}. Keep one file per connector.`,
        ),
      );
      continue;
    }
    connectors.set(manifest.connector_id, manifest);
  }
  return { catalog: { connectors }, findings };
}
