// Extracts the GitHub REST operations this project calls, with every component they reference,
// from GitHub's OpenAPI description (the @octokit/openapi devDependency, 13 MB) into a small
// committed fixture: test/fixtures/github/openapi-subset.json. Tests validate their mocked
// requests and responses against it, so the mocks are shaped like GitHub's real answers.
//
//   node scripts/extract-openapi.mjs           # writes the subset
//   node scripts/extract-openapi.mjs --check   # exits 1 when the committed subset is stale
//
// When the GitHub App starts calling a new endpoint, add it to OPERATIONS and run the script.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** "METHOD /path", exactly as the description spells the path. */
export const OPERATIONS = [
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
  'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  'GET /repos/{owner}/{repo}/commits/{ref}',
  'GET /repos/{owner}/{repo}/compare/{basehead}',
  // The GitHub App (src/app/).
  'POST /app/installations/{installation_id}/access_tokens',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/commits',
  'GET /orgs/{org}/teams/{team_slug}/members',
  'POST /repos/{owner}/{repo}/check-runs',
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}',
  'GET /app',
  'GET /repos/{owner}/{repo}/contents/{path}',
  'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
  'GET /repos/{owner}/{repo}/pulls',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/timeline',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  'PUT /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
];

export const SOURCE_PACKAGE = '@octokit/openapi';
export const SOURCE_FILE = 'generated/api.github.com.json';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = join(root, 'test/fixtures/github/openapi-subset.json');

/** The full description and the version of the package it came from. */
export function loadFullDescription() {
  const require = createRequire(join(root, 'package.json'));
  const pkgJson = require.resolve(`${SOURCE_PACKAGE}/package.json`);
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  const spec = JSON.parse(readFileSync(join(dirname(pkgJson), SOURCE_FILE), 'utf8'));
  return { spec, version };
}

/** The subset: the listed operations and the transitive closure of their $refs. */
export function extractSubset(spec, version) {
  const paths = {};
  const wanted = new Map(); // "schemas/foo" -> true
  const queue = [];

  const collect = (node) => {
    if (Array.isArray(node)) {
      for (const item of node) collect(item);
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(value);
          if (!m) throw new Error(`unsupported $ref ${value}`);
          const id = `${m[1]}/${m[2]}`;
          if (!wanted.has(id)) {
            wanted.set(id, true);
            queue.push(id);
          }
        } else {
          collect(value);
        }
      }
    }
  };

  for (const operation of OPERATIONS) {
    const [method, path, ...rest] = operation.split(' ');
    if (!method || !path || rest.length > 0) throw new Error(`bad operation "${operation}"`);
    const item = spec.paths[path];
    const op = item?.[method.toLowerCase()];
    if (!op) throw new Error(`${operation} is not in ${SOURCE_PACKAGE}/${SOURCE_FILE}`);
    paths[path] ??= {};
    // Path-level parameters apply to every operation of the path.
    if (item.parameters) paths[path].parameters = item.parameters;
    paths[path][method.toLowerCase()] = op;
    collect(paths[path]);
  }

  while (queue.length > 0) {
    const id = queue.shift();
    const [kind, name] = id.split('/');
    const component = spec.components?.[kind]?.[name];
    if (component === undefined) throw new Error(`#/components/${id} is referenced but missing`);
    collect(component);
  }

  const components = {};
  for (const id of [...wanted.keys()].sort()) {
    const [kind, name] = id.split('/');
    components[kind] ??= {};
    components[kind][name] = spec.components[kind][name];
  }
  const sortedComponents = Object.fromEntries(
    Object.keys(components)
      .sort()
      .map((k) => [k, components[k]]),
  );
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((k) => [k, paths[k]]),
  );

  return {
    openapi: spec.openapi,
    info: {
      title: spec.info.title,
      version: spec.info.version,
      'x-extracted-from': `${SOURCE_PACKAGE}@${version} ${SOURCE_FILE}`,
      'x-extracted-by': 'scripts/extract-openapi.mjs',
    },
    servers: spec.servers,
    paths: sortedPaths,
    components: sortedComponents,
  };
}

/** The subset as written to disk (stable formatting, trailing newline). */
export function renderSubset(subset) {
  return `${JSON.stringify(subset, null, 2)}\n`;
}

function main() {
  const { spec, version } = loadFullDescription();
  const text = renderSubset(extractSubset(spec, version));
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUTPUT, 'utf8');
    } catch {
      // missing: stale
    }
    if (current !== text) {
      console.error(`${OUTPUT} is out of date: run node scripts/extract-openapi.mjs`);
      process.exit(1);
    }
    console.log(`${OUTPUT} is up to date.`);
    return;
  }
  mkdirSync(dirname(OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, text);
  console.log(`wrote ${OUTPUT} (${OPERATIONS.length} operations, ${(text.length / 1024).toFixed(0)} KiB)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
