/**
 * The variables a policy condition may read (DESIGN.md section 3), with their types.
 * One table feeds the surface-language checker, the CEL environment and the error messages,
 * so the three can never disagree about what exists.
 */

/** The few types of the surface language. Lists always hold text. */
export type SurfaceType = 'string' | 'int' | 'bool' | 'list';

export interface VariableSpec {
  /** Dotted name as written in a condition, e.g. `auth.type`. */
  name: string;
  type: SurfaceType;
  /** True when the values are connector ids (literals compared with it are checked against the catalog). */
  connectorIds?: boolean;
}

const v = (name: string, type: SurfaceType, connectorIds = false): VariableSpec =>
  connectorIds ? { name, type, connectorIds } : { name, type };

/**
 * Absent optional manifest fields read as "" (text), [] (lists), 0 (numbers) or false, so a
 * condition never fails at run time because a field was left out.
 */
export const VARIABLES: readonly VariableSpec[] = [
  v('name', 'string'),
  v('owner', 'string'),
  v('environment', 'string'),
  v('description', 'string'),
  v('template', 'string'),
  v('retention_days', 'int'),
  v('tags', 'list'),
  v('auth.type', 'string'),
  v('auth.provider', 'string'),
  v('auth.scopes', 'list'),
  v('logging.level', 'string'),
  v('logging.output', 'string'),
  v('logging.structured', 'bool'),
  // Derived facts.
  v('connectors', 'list', true),
  v('scopes', 'list'),
  v('connector_scopes', 'list'),
  v('data_types', 'list'),
  v('change.kind', 'string'),
  v('change.added_connectors', 'list', true),
  v('change.added_scopes', 'list'),
  v('change.added_data_types', 'list'),
  v('change.previous_environment', 'string'),
];

export const VARIABLES_BY_NAME: ReadonlyMap<string, VariableSpec> = new Map(VARIABLES.map((s) => [s.name, s]));

/** The built-in list: connectors whose catalog status is preapproved. */
export const PREAPPROVED_LIST = 'preapproved_list';

/** Groups of fields (`auth`, `logging`, `change`): not values by themselves. */
export const GROUPS: ReadonlyMap<string, string[]> = (() => {
  const groups = new Map<string, string[]>();
  for (const { name } of VARIABLES) {
    const dot = name.indexOf('.');
    if (dot < 0) continue;
    const root = name.slice(0, dot);
    groups.set(root, [...(groups.get(root) ?? []), name]);
  }
  return groups;
})();

/** `links` holds {title, url} pairs: readable from raw CEL (`when:`) only. */
export const CEL_ONLY_VARIABLES: ReadonlyMap<string, string> = new Map([['links', 'list<map<string, string>>']]);

export const CEL_TYPES: Readonly<Record<SurfaceType, string>> = {
  string: 'string',
  int: 'int',
  bool: 'bool',
  list: 'list<string>',
};

/** How a type is named to a person reading an error. */
export const TYPE_WORDS: Readonly<Record<SurfaceType, string>> = {
  string: 'text',
  int: 'a whole number',
  bool: 'a yes/no value',
  list: 'a list',
};
