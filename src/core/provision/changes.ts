/** Builds the app changes of a merge from the changed manifests (what `microapps apply` and the preview both do). */
import type { AppManifest, ChangeKind } from '../model.js';
import { baseName } from '../tree.js';
import { manifestHash } from './canonical-json.js';
import type { AppChange, AppChangeKind } from './types.js';
import { byPath, compareCodeUnits } from '../order.js';

const KINDS: Record<ChangeKind, AppChangeKind> = { added: 'registered', modified: 'changed', removed: 'removed' };

/**
 * `after` is the valid manifest after the change (none for a removal, or when it is invalid);
 * `before` the valid manifest before it (for a change or a removal).
 */
export function appChange(path: string, change: ChangeKind, after: AppManifest | undefined, before?: AppManifest): AppChange {
  const kind = KINDS[change];
  const manifest = kind === 'removed' ? before : after;
  return {
    app: manifest?.name ?? before?.name ?? baseName(path),
    path,
    kind,
    ...(manifest ? { manifest } : {}),
    manifestHash: manifest ? manifestHash(manifest) : null,
    ...(kind === 'changed' && before ? { previous: before } : {}),
  };
}

/** App changes in a stable order: by app name, then path. */
export function sortChanges(changes: readonly AppChange[]): AppChange[] {
  return [...changes].sort((a, b) => compareCodeUnits(a.app, b.app) || byPath(a, b));
}
