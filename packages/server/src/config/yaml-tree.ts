import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigProblem } from './problems.js';

/**
 * A YAML document as a small tree that keeps what the config validator needs and `yaml`'s plain JS output loses:
 * the line of every key and item, duplicate keys, the source text of scalars and whether they were quoted.
 */
export type TreeNode = ScalarNode | MapNode | SeqNode;

/** A scalar: `value` as YAML 1.2 (core schema) typed it, `text` as written (after unquoting). */
export interface ScalarNode {
  readonly kind: 'scalar';
  readonly line: number;
  /** string, number, boolean or null (`~`, `null` and empty values are null). */
  readonly value: unknown;
  /** The scalar's text after unquoting (`''` for an empty value). */
  readonly text: string;
  /** True for plain (unquoted) scalars. */
  readonly plain: boolean;
}

/** A mapping. `entries` keeps every key in file order, duplicates included. */
export interface MapNode {
  readonly kind: 'map';
  readonly line: number;
  readonly entries: readonly MapEntry[];
}

/** One `key: value` of a mapping. */
export interface MapEntry {
  readonly key: string;
  /** Line of the key. */
  readonly line: number;
  readonly value: TreeNode;
  /** True when the entry came from a `<<` merge key (such entries never count as duplicates). */
  readonly merged: boolean;
}

/** A sequence. */
export interface SeqNode {
  readonly kind: 'seq';
  readonly line: number;
  readonly items: readonly TreeNode[];
}

/** Result of {@link parseYamlTree}. `root` is `undefined` for an empty document. */
export interface ParsedYaml {
  readonly root: TreeNode | undefined;
  /** YAML syntax errors (each with its line); when non-empty, `root` must not be trusted. */
  readonly problems: readonly ConfigProblem[];
}

/**
 * Parses YAML text (a single document, YAML 1.2 core schema, `<<` merge keys and aliases resolved, duplicate keys
 * kept) into a {@link TreeNode}. Never throws: syntax errors come back as problems with their line.
 */
export function parseYamlTree(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: false });
  const problems: ConfigProblem[] = doc.errors.map((e) => ({
    path: '',
    line: lineCounter.linePos(e.pos[0]).line,
    message: `invalid YAML: ${e.message}`,
    hint:
      e.code === 'BAD_SCALAR_START'
        ? 'put the value in quotes, e.g. name: "@scope/package"'
        : 'check the indentation (spaces only, no tabs), quotes and brackets around this line',
  }));
  if (problems.length > 0) return { root: undefined, problems };
  const lineOf = (offset: number | undefined) => lineCounter.linePos(offset ?? 0).line;
  const root = doc.contents === null ? undefined : convert(doc, doc.contents, lineOf, 0);
  if (root !== undefined && root.kind === 'scalar' && root.value === null) return { root: undefined, problems };
  return { root, problems };
}

/** The first entry of `map` named `key` (later duplicates are reported separately), or `undefined`. */
export function entryOf(map: MapNode, key: string): MapEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** Entries of `map` with every key once (first occurrence wins, like the duplicate error reports). */
export function uniqueEntries(map: MapNode): MapEntry[] {
  const seen = new Set<string>();
  return map.entries.filter((e) => (seen.has(e.key) ? false : (seen.add(e.key), true)));
}

/** True iff `node` is a null scalar (an empty value such as `fs:` with nothing after it). */
export function isNull(node: TreeNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

// --- Internal helpers ---

const MAX_ALIAS_DEPTH = 64;

function convert(doc: Document, node: Node | unknown, lineOf: (o?: number) => number, depth: number): TreeNode {
  if (depth > MAX_ALIAS_DEPTH) return { kind: 'scalar', line: 0, value: null, text: '', plain: true };
  if (isAlias(node)) {
    const target = node.resolve(doc);
    const resolved = convert(doc, target, lineOf, depth + 1);
    return { ...resolved, line: lineOf(node.range?.[0]) } as TreeNode;
  }
  if (isScalar(node)) {
    const value = node.value;
    const text = typeof node.source === 'string' ? node.source : value === null ? '' : String(value);
    return {
      kind: 'scalar',
      line: lineOf(node.range?.[0]),
      value: value === undefined ? null : typeof value === 'bigint' ? Number(value) : value,
      text: value === null && node.source === undefined ? '' : text,
      plain: node.type === undefined || node.type === 'PLAIN',
    };
  }
  if (isSeq(node)) {
    return { kind: 'seq', line: lineOf(node.range?.[0]), items: node.items.map((i) => convert(doc, i, lineOf, depth)) };
  }
  if (isMap(node)) {
    const entries: MapEntry[] = [];
    const merged: MapEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      const keyLine = lineOf(isScalar(keyNode) || isAlias(keyNode) ? keyNode.range?.[0] : node.range?.[0]);
      const key = isScalar(keyNode) ? String(keyNode.source ?? keyNode.value) : isAlias(keyNode) ? `*${keyNode.source}` : '';
      const valueNode =
        pair.value === null ? { kind: 'scalar' as const, line: keyLine, value: null, text: '', plain: true } : convert(doc, pair.value, lineOf, depth);
      const value = isNull(valueNode) ? { ...valueNode, line: keyLine } : valueNode;
      if (key === '<<' && isScalar(keyNode) && keyNode.type === 'PLAIN') {
        for (const source of value.kind === 'seq' ? value.items : [value]) {
          if (source.kind === 'map') merged.push(...source.entries.map((e) => ({ ...e, merged: true })));
        }
        continue;
      }
      entries.push({ key, line: keyLine, value, merged: false });
    }
    const explicit = new Set(entries.map((e) => e.key));
    for (const m of merged) if (!explicit.has(m.key)) (explicit.add(m.key), entries.push(m));
    return { kind: 'map', line: lineOf(node.range?.[0]), entries };
  }
  return { kind: 'scalar', line: 0, value: null, text: '', plain: true };
}
