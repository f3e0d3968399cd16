/**
 * Cross-file checks of one valid app manifest against the tree it lives in: its name is its
 * file name and unique, every connector it names exists, the scopes it asks are within the
 * connector's allowed scopes, its owner is in the directory and the app is in its owner's folder.
 */
import { error, type Finding } from '../findings.js';
import type { AppManifest, OwnerDirectory } from '../model.js';
import type { ConnectorCatalog } from '../policy/types.js';
import { didYouMean } from '../did-you-mean.js';
import { baseName, DIRECTORY_PATH } from '../tree.js';
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
    findings.push(
      error(
        'app.name-mismatch',
        file.path,
        doc.valueAt(['name']),
        `The app's name "${app.name}" must match its file name "${expected}". Rename the file to ${app.name}${file.path.slice(file.path.lastIndexOf('.'))} or change the name.`,
      ),
    );
  }
  const twins = duplicates.get(file.path);
  if (twins) {
    findings.push(
      error(
        'app.duplicate-name',
        file.path,
        doc.valueAt(['name']),
        `Another app already uses the name "${expected}" (${twins.join(', ')}). App names must be unique: pick another name.`,
      ),
    );
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
      findings.push(
        error(
          'app.unknown-connector',
          file.path,
          doc.valueAt(at),
          `There is no connector "${id}" in the catalog (connectors/).${didYouMean(id, known)} Use a listed connector, or ask the platform team to add one.`,
        ),
      );
      return;
    }
    if (typeof use !== 'string' && Array.isArray(use.scopes)) {
      use.scopes.forEach((scope, s) => {
        if (typeof scope === 'string' && !connector.allowed_scopes.includes(scope)) {
          findings.push(
            error(
              'app.scope-not-allowed',
              file.path,
              doc.valueAt(['connectors', index, 'scopes', s]),
              `The connector "${id}" does not offer the scope "${scope}".${didYouMean(scope, connector.allowed_scopes)} Its scopes are: ${connector.allowed_scopes.join(', ')}.`,
            ),
          );
        }
      });
    }
  });
  if (directory && typeof app.owner === 'string') findings.push(...checkOwner(file, app.owner, directory));
  return findings;
}

/**
 * The owner must be in the directory (else nobody could approve for the app), and the app must
 * live in the folder its owner's entry names, when it names one: browsing registry/ by folder and
 * CODEOWNERS by folder then mean what they say.
 */
export function checkOwnerOf(file: LoadedFile, directory: OwnerDirectory): Finding[] {
  const owner = (file.document?.value as { owner?: unknown } | undefined)?.owner;
  return typeof owner === 'string' && isObject(file.document?.value) ? checkOwner(file, owner, directory) : [];
}

function checkOwner(file: LoadedFile, owner: string, directory: OwnerDirectory): Finding[] {
  // The position is looked up only for a finding: it costs a full parse of the file.
  const at = () => file.document!.valueAt(['owner']);
  if (!Object.hasOwn(directory.owners, owner)) {
    return [
      error(
        'app.unknown-owner',
        file.path,
        at(),
        `The owner "${owner}" is not in the owner directory (${DIRECTORY_PATH}), so nobody could approve for this app.${didYouMean(owner, Object.keys(directory.owners))} Use your team's mailbox as listed there, or ask the platform team to add your team.`,
      ),
    ];
  }
  const folder = ownerFolder(directory, owner);
  if (folder === undefined) return [];
  const home = `${REGISTRY_ROOT}${folder}/`;
  const inHome = file.path.startsWith(home) && !file.path.slice(home.length).includes('/');
  if (inHome) return [];
  const target = `${home}${file.path.slice(file.path.lastIndexOf('/') + 1)}`;
  return [
    error(
      'app.wrong-folder',
      file.path,
      at(),
      `Apps of ${owner} live in the folder ${home} (${DIRECTORY_PATH}), but this one is in ${file.path.slice(0, file.path.lastIndexOf('/') + 1)}. Move it to ${target}, or change the owner.`,
    ),
  ];
}

/** The folder under registry/ an owner's entry names, without slashes around it; undefined: no folder rule. */
export function ownerFolder(directory: OwnerDirectory, owner: string): string | undefined {
  const folder = Object.hasOwn(directory.owners, owner) ? directory.owners[owner]?.folder : undefined;
  return typeof folder === 'string' && folder !== '' ? folder.replace(/^\/+|\/+$/g, '') : undefined;
}

const REGISTRY_ROOT = 'registry/';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
