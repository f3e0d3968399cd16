/**
 * Checks mocked GitHub traffic against GitHub's own REST description (the subset in
 * test/fixtures/github/openapi-subset.json, made by scripts/extract-openapi.mjs): a request
 * must name a described operation with valid path and query parameters (no unknown ones) and
 * a valid body; a response must use a described status and match its schema. So a fixture
 * cannot drift from what GitHub really sends, and a typo in a route fails a test.
 *
 * The description is OpenAPI 3.0 (JSON Schema draft-04/07 plus `nullable`): Ajv's default
 * draft-07 with strict: false reads it. Formats (uri, date-time) are not checked: ajv-formats
 * is not a dependency.
 */
import { readFileSync } from 'node:fs';
import AjvModule, { type ValidateFunction } from 'ajv';

// ajv is CommonJS: under Node's ESM the class is the default export's `default`.
const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;
type Ajv = InstanceType<typeof Ajv>;
import { REPO_ROOT } from '../../helpers/paths.js';

export const SUBSET_PATH = `${REPO_ROOT}/test/fixtures/github/openapi-subset.json`;

type Json = Record<string, any>;

export interface ApiRequest {
  method: string;
  /** The path as sent, percent-encoded, optionally with "?query". */
  path: string;
  /** Query parameters (merged with any in `path`). */
  query?: Record<string, string>;
  /** The body as sent (a JSON string, an object, or empty). */
  body?: unknown;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
}

export interface MatchedOperation {
  method: string;
  template: string;
  operation: Json;
  pathParams: Record<string, string>;
}

const SCHEMA_ID = 'https://microapps.test/github-openapi-subset.json';

let loaded: { spec: Json; ajv: Ajv; templates: Array<{ template: string; regex: RegExp; names: string[]; literal: number }> } | undefined;

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const spec = JSON.parse(readFileSync(SUBSET_PATH, 'utf8')) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  // The whole document is one schema resource, so "#/components/schemas/x" resolves inside it.
  ajv.addSchema({ ...(nullableWithoutType(structuredClone(spec)) as Json), $id: SCHEMA_ID });
  const templates = Object.keys(spec.paths).map((template) => {
    const names: string[] = [];
    const multi = new Set<string>();
    const item = spec.paths[template];
    for (const op of [item, ...Object.values(item)]) {
      for (const p of (op as Json)?.parameters ?? []) if (deref(spec, p)['x-multi-segment']) multi.add(deref(spec, p).name);
    }
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return multi.has(name) ? '(.+)' : '([^/]+)';
    });
    return { template, regex: new RegExp(`^${source}$`), names, literal: template.replace(/\{\w+\}/g, '').length };
  });
  // Most specific first: more literal characters wins.
  templates.sort((a, b) => b.literal - a.literal);
  loaded = { spec, ajv, templates };
  return loaded;
}

/**
 * Ajv reads OpenAPI's `nullable: true` only next to a `type`; GitHub also writes it next to
 * a `oneOf` (a commit's author). Such a schema becomes "that, or null".
 */
function nullableWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableWithoutType);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = nullableWithoutType(v);
  // A nullable enum admits null too (GitHub sends `conclusion: null` for a check run in progress).
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.nullable === true && !('type' in out) && !('$ref' in out && Object.keys(out).length === 1)) {
    const { nullable: _n, ...rest } = out;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

/** The parsed subset (for tests that inspect it). */
export function openApiSubset(): Json {
  return load().spec;
}

function deref(spec: Json, node: Json): Json {
  let current = node;
  for (let i = 0; i < 20 && current && typeof current.$ref === 'string'; i++) {
    const pointer = (current.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    current = pointer.reduce<Json>((n, key) => n?.[key], spec);
    if (current === undefined) throw new Error(`unresolved $ref ${node.$ref}`);
  }
  return current;
}

/** A path's parameters and its operation's (the operation's win). */
function allParameters(spec: Json, item: Json, operation: Json): Json[] {
  const byKey = new Map<string, Json>();
  for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
    const param = deref(spec, p);
    byKey.set(`${param.in}:${param.name}`, param);
  }
  return [...byKey.values()];
}

/** A JSON pointer into the document, as a URI fragment Ajv resolves. */
function pointer(...segments: string[]): string {
  return `${SCHEMA_ID}#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
}

const compiled = new Map<string, ValidateFunction>();

function validatorAt(ref: string): ValidateFunction {
  const known = compiled.get(ref);
  if (known) return known;
  const v = load().ajv.compile({ $ref: ref });
  compiled.set(ref, v);
  return v;
}

function schemaErrors(ref: string, value: unknown, label: string): string[] {
  const v = validatorAt(ref);
  if (v(value)) return [];
  return (v.errors ?? [])
    .slice(0, 10)
    .map((e) => `${label}${e.instancePath || ''} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** The described operation a method and path name, or undefined. */
export function matchOperation(method: string, path: string): MatchedOperation | undefined {
  const { spec, templates } = load();
  const pathname = path.split('?')[0]!;
  const lower = method.toLowerCase();
  for (const t of templates) {
    const m = t.regex.exec(pathname);
    if (!m || !spec.paths[t.template][lower]) continue;
    const pathParams: Record<string, string> = {};
    t.names.forEach((name, i) => {
      pathParams[name] = decodeURIComponent(m[i + 1]!);
    });
    return { method: lower, template: t.template, operation: spec.paths[t.template][lower], pathParams };
  }
  return undefined;
}

function coerce(schema: Json, raw: string): unknown {
  const type = schema.type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (type === 'boolean' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/** Problems with a request, or [] when GitHub's description allows it. */
export function requestProblems(request: ApiRequest): string[] {
  const { spec } = load();
  const where = `${request.method.toUpperCase()} ${request.path}`;
  const match = matchOperation(request.method, request.path);
  if (!match) return [`${where}: no such operation in the OpenAPI subset (add it to scripts/extract-openapi.mjs?)`];
  const item = spec.paths[match.template];
  const params = allParameters(spec, item, match.operation);
  const problems: string[] = [];

  const query: Record<string, string> = {};
  const queryString = request.path.includes('?') ? request.path.slice(request.path.indexOf('?') + 1) : '';
  for (const [k, v] of new URLSearchParams(queryString)) query[k] = v;
  Object.assign(query, request.query ?? {});

  for (const p of params) {
    const paramPointer = paramPointerOf(spec, match, p);
    if (p.in === 'path') {
      const value = match.pathParams[p.name];
      if (value === undefined) problems.push(`${where}: path parameter ${p.name} is missing`);
      else if (p.schema) problems.push(...schemaErrors(paramPointer, coerce(p.schema, value), `${where}: path parameter ${p.name}`));
    } else if (p.in === 'query') {
      const value = query[p.name];
      if (value === undefined) {
        if (p.required) problems.push(`${where}: required query parameter ${p.name} is missing`);
      } else if (p.schema) {
        problems.push(...schemaErrors(paramPointer, coerce(p.schema, value), `${where}: query parameter ${p.name}`));
      }
    }
  }
  const known = new Set(params.filter((p) => p.in === 'query').map((p) => p.name));
  for (const k of Object.keys(query)) if (!known.has(k)) problems.push(`${where}: unknown query parameter "${k}"`);

  const body = typeof request.body === 'string' ? (request.body === '' ? undefined : JSON.parse(request.body)) : request.body;
  const requestBody = match.operation.requestBody ? deref(spec, match.operation.requestBody) : undefined;
  if (!requestBody) {
    if (body !== undefined && !(typeof body === 'object' && body !== null && Object.keys(body).length === 0)) {
      problems.push(`${where}: this operation takes no body`);
    }
  } else if (body === undefined) {
    if (requestBody.required) problems.push(`${where}: a body is required`);
  } else {
    problems.push(
      ...schemaErrors(
        pointer('paths', match.template, match.method, 'requestBody', 'content', 'application/json', 'schema'),
        body,
        `${where}: body`,
      ),
    );
  }
  return problems;
}

/** Where a parameter's schema sits in the document (a component or inline in the operation). */
function paramPointerOf(spec: Json, match: MatchedOperation, param: Json): string {
  const item = spec.paths[match.template];
  const lists: Array<[Json[] | undefined, string[]]> = [
    [match.operation.parameters, ['paths', match.template, match.method, 'parameters']],
    [item.parameters, ['paths', match.template, 'parameters']],
  ];
  for (const [list, base] of lists) {
    for (const [i, p] of (list ?? []).entries()) {
      if (typeof p.$ref === 'string') {
        const target = deref(spec, p);
        if (target === param) return pointer(...(p.$ref as string).replace(/^#\//, '').split('/'), 'schema');
      } else if (p === param) {
        return pointer(...base, String(i), 'schema');
      }
    }
  }
  throw new Error(`parameter ${param.name} not found in ${match.template}`);
}

/** Problems with a response to `request`, or [] when GitHub's description allows it. */
export function responseProblems(request: ApiRequest, response: ApiResponse): string[] {
  const { spec } = load();
  const where = `${request.method.toUpperCase()} ${request.path} -> ${response.status}`;
  const match = matchOperation(request.method, request.path);
  if (!match) return [`${where}: no such operation in the OpenAPI subset`];
  const responses = match.operation.responses as Json;
  const key = [String(response.status), `${String(response.status)[0]}XX`, 'default'].find((k) => k in responses);
  if (!key)
    return [
      `${where}: GitHub does not describe status ${response.status} for ${match.template} (it describes ${Object.keys(responses).join(', ')})`,
    ];
  const described = deref(spec, responses[key]);
  const media = described.content?.['application/json'];
  if (!media) {
    return response.body === undefined || response.body === '' ? [] : [`${where}: GitHub sends no JSON body with this status`];
  }
  const raw = responses[key] as Json;
  const base =
    typeof raw.$ref === 'string'
      ? [...(raw.$ref as string).replace(/^#\//, '').split('/')]
      : ['paths', match.template, match.method, 'responses', key];
  const body = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
  return schemaErrors(pointer(...base, 'content', 'application/json', 'schema'), body, `${where}: body`);
}

/** Throws with every problem listed, for use at mock registration. */
export function assertValidExchange(request: ApiRequest, response?: ApiResponse): void {
  const problems = [...requestProblems(request), ...(response ? responseProblems(request, response) : [])];
  if (problems.length > 0)
    throw new Error(`mocked GitHub exchange does not match GitHub's OpenAPI description:\n  ${problems.join('\n  ')}`);
}
