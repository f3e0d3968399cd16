/**
 * Cross-file checks of one valid app manifest against the tree it lives in: its name is its
 * file name and unique, every connector it names exists, the scopes it asks are within the
 * connector's allowed scopes, and its owner is in the directory.
 */
import { error, warning, type Finding } from '../findings.js';
import type { AppManifest, OwnerDirectory } from '../model.js';
import type { ConnectorCatalog } from '../policy/types.js';
import { didYouMean } from '../schemas/validate.js';
import { baseName } from '../tree.js';
import type { LoadedFile } from './load-file.js';

export function checkApp(
  file: LoadedFile,
  catalog: ConnectorCatalog,
  directory: OwnerDirectory | undefined,
  duplicates: ReadonlyMap<string, string[]>,
): Finding[] {
  const doc = file.document;
  // A manifest with schema errors is still cross-checked where its shape allows, so that
  // the developer sees every problem in one run rather than one after another.
  if (!doc || !isObject(doc.value)) return [];
  const app = doc.value as Partial<AppManifest>;
  const findings: Finding[] = [];
  const expected = baseName(file.path);
  if (typeof app.name === 'string' && app.name !== expected) {
    findings.push(error('app.name-mismatch', file.path, doc.valueAt(['name']),
      `The app's name "${app.name}" must match its file name "${expected}". Rename the file to ${app.name}${file.path.slice(file.path.lastIndexOf('.'))} or change the name.`));
  }
  const twins = duplicates.get(file.path);
  if (twins) {
    findings.push(error('app.duplicate-name', file.path, doc.valueAt(['name']),
      `Another app already uses the name "${expected}" (${twins.join(', ')}). App names must be unique: pick another name.`));
  }
  const known = [...catalog.connectors.keys()];
  const seen = new Set<string>();
  const uses = Array.isArray(app.connectors) ? app.connectors : [];
  uses.forEach((use, index) => {
    const id = typeof use === 'string' ? use : isObject(use) && typeof use.id === 'string' ? use.id : undefined;
    if (id === undefined) return;
    const at = typeof use === 'string' ? ['connectors', index] : ['connectors', index, 'id'];
    if (seen.has(id)) {
      findings.push(error('app.duplicate-connector', file.path, doc.valueAt(at), `The connector "${id}" is listed twice. List it once.`));
      return;
    }
    seen.add(id);
    const connector = catalog.connectors.get(id);
    if (!connector) {
      findings.push(error('app.unknown-connector', file.path, doc.valueAt(at),
        `There is no connector "${id}" in the catalog (connectors/).${didYouMean(id, known)} Use a listed connector, or ask the platform team to add one.`));
      return;
    }
    if (typeof use !== 'string' && Array.isArray(use.scopes)) {
      use.scopes.forEach((scope, s) => {
        if (typeof scope === 'string' && !connector.allowed_scopes.includes(scope)) {
          findings.push(error('app.scope-not-allowed', file.path, doc.valueAt(['connectors', index, 'scopes', s]),
            `The connector "${id}" does not offer the scope "${scope}".${didYouMean(scope, connector.allowed_scopes)} Its scopes are: ${connector.allowed_scopes.join(', ')}.`));
        }
      });
    }
  });
  if (directory && typeof app.owner === 'string' && !Object.hasOwn(directory.owners, app.owner)) {
    findings.push(warning('app.unknown-owner', file.path, doc.valueAt(['owner']),
      `The owner "${app.owner}" is not in the owner directory (policies/owners.yaml), so nobody can be asked for a manager's approval.${didYouMean(app.owner, Object.keys(directory.owners))} Ask the platform team to add your team.`));
  }
  return findings;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
