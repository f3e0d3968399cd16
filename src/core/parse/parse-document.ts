/**
 * Parses one registry file (YAML 1.2 core schema or JSON) into plain data plus the source
 * positions of every key and value. Hostile input is refused here, with a finding that names
 * the line and column, before any other code looks at the data:
 *   - files over MAX_FILE_BYTES, empty files, bytes that are not UTF-8;
 *   - several YAML documents in one file;
 *   - aliases (so an alias bomb costs one linear parse and is rejected in milliseconds),
 *     explicit tags, non-string or duplicate keys;
 *   - keys that could reach an object's prototype (`__proto__`, `constructor`, `prototype`);
 *   - numbers JSON cannot represent (.inf, .nan).
 */
import {
  LineCounter,
  parseAllDocuments,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type ParsedNode,
} from 'yaml';
import {
  FORBIDDEN_KEYS,
  MAX_DEPTH,
  MAX_FILE_BYTES,
  MAX_KEYS,
  offsetTooDeepYaml,
  positionOfOffset,
  TOO_DEEP_MESSAGE,
  TOO_MANY_KEYS_MESSAGE,
} from './limits.js';
import { parseJson } from './parse-json.js';
import { parseYamlFast } from './parse-yaml-fast.js';
import { ReparsingDocument } from './reparsing-document.js';
import { yamlSyntaxWords } from './syntax-words.js';
import { error, START, type Finding, type Position } from '../findings.js';
import type { ParsedDocument, ParseResult, Pointer } from './document.js';

export { MAX_FILE_BYTES, FORBIDDEN_KEYS, positionOfOffset } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseDocument(path: string, bytes: Uint8Array): ParseResult {
  if (bytes.byteLength > MAX_FILE_BYTES) {
    return fail(
      path,
      START,
      'parse.too-large',
      `This file is ${Math.ceil(bytes.byteLength / 1024)} KiB; registry files may be at most ${MAX_FILE_BYTES / 1024} KiB. Split it or remove what is not needed.`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return fail(
      path,
      positionOfBadUtf8(bytes),
      'parse.encoding',
      'This file is not valid UTF-8 text. Save it as UTF-8 (most editors offer this under "Save with encoding").',
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '' || stripComments(text).trim() === '') {
    return fail(path, START, 'parse.empty', 'This file is empty. Remove it, or fill in the manifest.');
  }
  if (path.endsWith('.json')) return parseJson(path, text);
  // Both YAML parsers recurse once per level: a stack bomb is refused before either runs.
  const tooDeep = offsetTooDeepYaml(text);
  if (tooDeep >= 0) return fail(path, positionOfOffset(text, tooDeep), 'parse.too-deep', TOO_DEEP_MESSAGE);
  const fast = parseYamlFast(text);
  if (fast === undefined) return parseYaml(path, text);
  return { document: new ReparsingDocument(path, fast, () => strictDocument(path, text)), findings: [] };
}

/** The strict parser's document for text the fast path already accepted. */
function strictDocument(path: string, text: string): ParsedDocument {
  const result = parseYaml(path, text);
  if (!result.document) throw new Error(`${path}: the strict YAML parser refused text the fast path accepted`);
  return result.document;
}

/** The strict parser: the authority on what is accepted, and on every position. */
export function parseYaml(path: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: '1.2',
    schema: 'core',
    // The library's duplicate check compares every key with every other (quadratic on a
    // hostile file of 16,000 keys): toPlain checks with a set per block instead.
    uniqueKeys: false,
    strict: true,
    prettyErrors: false,
    lineCounter,
  });
  const at = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (!Array.isArray(docs)) {
    // An empty stream: only comments or directives.
    return fail(path, START, 'parse.empty', 'This file has no content.');
  }
  if (docs.length > 1) {
    const second = docs[1]!;
    return fail(
      path,
      at(second.range[0]),
      'parse.multiple-documents',
      'This file holds several YAML documents (separated by "---"). Put one manifest in each file.',
    );
  }
  const doc = docs[0]!;
  // Warnings (e.g. an unresolved tag) are errors here: registry files leave nothing to guess.
  const yamlError = doc.errors[0] ?? doc.warnings[0];
  if (yamlError) {
    const code =
      yamlError.code === 'DUPLICATE_KEY' ? 'parse.duplicate-key' : yamlError.code === 'TAG_RESOLVE_FAILED' ? 'parse.tag' : 'parse.syntax';
    if (code === 'parse.syntax') {
      const words = yamlSyntaxWords(text, at(yamlError.pos[0]));
      if (words) return fail(path, words.position, code, `This is not valid YAML: ${words.message}.`);
    }
    const message =
      yamlError.code === 'DUPLICATE_KEY'
        ? 'This key appears twice in the same block. Keep only one of them.'
        : `This is not valid YAML: ${firstLine(yamlError.message)}.`;
    return fail(path, at(yamlError.pos[0]), code, message);
  }
  if (doc.contents === null) {
    return fail(path, START, 'parse.empty', 'This file has no content.');
  }
  const findings: Finding[] = [];
  const value = toPlain(doc.contents, { path, at, findings, keys: 0 }, 1);
  if (findings.length > 0) return { findings };
  return { document: new YamlDocument(path, value, doc, at), findings: [] };
}

interface Walk {
  path: string;
  at: (offset: number) => Position;
  findings: Finding[];
  /** Field names seen so far in the file (capped at MAX_KEYS). */
  keys: number;
  /** Set by a finding after which the rest of the file is not worth walking (nor may be, for cost). */
  stopped?: boolean;
}

function stop(walk: Walk, finding: Finding): null {
  walk.findings.push(finding);
  walk.stopped = true;
  return null;
}

/** Converts the syntax tree to plain JSON data, refusing what a manifest never needs. */
function toPlain(node: ParsedNode | Node | null, walk: Walk, depth: number): unknown {
  if (node === null) return null;
  const position = (): Position => walk.at(node.range?.[0] ?? 0);
  if (walk.stopped) return null;
  if ((isSeq(node) || isMap(node)) && depth > MAX_DEPTH) {
    return stop(walk, error('parse.too-deep', walk.path, position(), TOO_DEEP_MESSAGE));
  }
  if (isAlias(node)) {
    // One finding is enough: an alias bomb must not turn into a findings bomb.
    if (walk.findings.some((f) => f.code === 'parse.alias')) return null;
    walk.findings.push(
      error('parse.alias', walk.path, position(), 'YAML aliases (*name) are not allowed in registry files. Write the value out in full.'),
    );
    return null;
  }
  if (node.tag !== undefined) {
    walk.findings.push(
      error(
        'parse.tag',
        walk.path,
        position(),
        `YAML tags such as "${node.tag.replace('tag:yaml.org,2002:', '!!')}" are not allowed in registry files. Remove the tag.`,
      ),
    );
    return null;
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' && !Number.isFinite(v)) {
      walk.findings.push(
        error('parse.number', walk.path, position(), 'This number cannot be stored (infinity or not-a-number). Use an ordinary number.'),
      );
      return null;
    }
    if (typeof v === 'bigint') return Number(v);
    return v;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item as ParsedNode, walk, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (++walk.keys > MAX_KEYS) {
        return stop(
          walk,
          error('parse.too-many-keys', walk.path, walk.at((pair.key as Node | null)?.range?.[0] ?? 0), TOO_MANY_KEYS_MESSAGE),
        );
      }
      const key = keyOf(pair, walk);
      if (key === undefined) continue;
      if (seen.has(key)) {
        return stop(
          walk,
          error(
            'parse.duplicate-key',
            walk.path,
            walk.at((pair.key as Node).range?.[0] ?? 0),
            'This key appears twice in the same block. Keep only one of them.',
          ),
        );
      }
      seen.add(key);
      out[key] = toPlain(pair.value as ParsedNode | null, walk, depth + 1);
    }
    return out;
  }
  walk.findings.push(error('parse.unsupported', walk.path, position(), 'This kind of YAML value is not supported here.'));
  return null;
}

function keyOf(pair: Pair, walk: Walk): string | undefined {
  const keyNode = pair.key as ParsedNode | null;
  const position = walk.at(keyNode?.range?.[0] ?? 0);
  if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
    walk.findings.push(
      error(
        'parse.key-type',
        walk.path,
        position,
        'Field names must be plain text. Put the name in quotes if it looks like a number or true/false.',
      ),
    );
    return undefined;
  }
  const key = keyNode.value;
  if (FORBIDDEN_KEYS.has(key)) {
    walk.findings.push(
      error('parse.forbidden-key', walk.path, position, `"${key}" is a reserved word and cannot be used as a field name.`),
    );
    return undefined;
  }
  return key;
}

/** Lazily answers position queries by walking the syntax tree: parsing stays linear and cheap. */
class YamlDocument implements ParsedDocument {
  constructor(
    readonly path: string,
    readonly value: unknown,
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => Position,
  ) {}

  valueAt(pointer: Pointer): Position {
    const { node } = this.find(pointer);
    return this.at(node?.range?.[0] ?? 0);
  }

  keyAt(pointer: Pointer): Position {
    const { node, pair, complete } = this.find(pointer);
    if (complete && pair?.key) return this.at((pair.key as Node).range?.[0] ?? 0);
    return this.at(node?.range?.[0] ?? 0);
  }

  scalarSource(pointer: Pointer): string | undefined {
    const { node, complete } = this.find(pointer);
    if (!complete || !isScalar(node)) return undefined;
    return node.source ?? (node.value === null ? undefined : String(node.value));
  }

  /** A block's pairs by key, built once per block the first time a finding asks (O(1) lookups). */
  private readonly indexes = new Map<object, Map<string | number, Pair>>();

  private pairsOf(map: { items: Pair[] }): Map<string | number, Pair> {
    let index = this.indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items)
        if (isScalar(p.key) && typeof p.key.value === 'string' && !index.has(p.key.value)) index.set(p.key.value, p);
      this.indexes.set(map, index);
    }
    return index;
  }

  /** Follows the pointer as far as it exists; `complete` says whether it got to the end. */
  private find(pointer: Pointer): { node: Node | null; pair?: Pair; complete: boolean } {
    let node = this.doc.contents as Node | null;
    let pair: Pair | undefined;
    for (const step of pointer) {
      if (isMap(node)) {
        const next = this.pairsOf(node).get(step);
        if (!next) return { node, pair, complete: false };
        pair = next;
        node = (next.value as Node | null) ?? (next.key as Node);
      } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
        pair = undefined;
        node = node.items[step] as Node;
      } else {
        return { node, pair, complete: false };
      }
    }
    return { node, pair, complete: true };
  }
}

function positionOfBadUtf8(bytes: Uint8Array): Position {
  // Find the longest valid prefix, then count lines in it.
  let lo = 0;
  let hi = bytes.byteLength;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  const prefix = new TextDecoder().decode(bytes.subarray(0, lo));
  return positionOfOffset(prefix, prefix.length);
}

function stripComments(text: string): string {
  return text.replace(/^\s*#.*$/gm, '');
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

function fail(path: string, position: Position, code: string, message: string): ParseResult {
  return { findings: [error(code, path, position, message)] };
}
