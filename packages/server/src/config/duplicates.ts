import { formatPath, type ConfigReader, type Path } from './reader.js';
import { isNull, type MapEntry, type MapNode, type TreeNode } from './yaml-tree.js';

/**
 * Reports every key that appears more than once in one mapping (yaml.v3, and so upstream KES, refuses such files).
 * One error per repeated key, at its second occurrence, naming every line it appears in. When an empty key sits
 * between the occurrences (`my-app:` indented under `minio-server:`, so that `my-app`'s `allow`/`deny`/`identities`
 * repeat `minio-server`'s), the hint says to un-indent it.
 */
export function reportDuplicateKeys(reader: ConfigReader, root: TreeNode | undefined): void {
  walk(reader, root, [], undefined);
}

// --- Internal helpers ---

function walk(reader: ConfigReader, node: TreeNode | undefined, path: Path, parent: MapEntry | undefined): void {
  if (node === undefined) return;
  if (node.kind === 'seq') node.items.forEach((item, i) => walk(reader, item, [...path, i], undefined));
  if (node.kind !== 'map') return;
  checkMap(reader, node, path, parent);
  // Walk every occurrence of a repeated key: each can hide its own duplicates.
  for (const e of node.entries) if (!e.merged) walk(reader, e.value, [...path, e.key], e);
}

function checkMap(reader: ConfigReader, map: MapNode, path: Path, parent: MapEntry | undefined): void {
  const byKey = new Map<string, MapEntry[]>();
  for (const e of map.entries) if (!e.merged) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  for (const [key, occurrences] of byKey) {
    if (occurrences.length < 2) continue;
    const [first, second] = occurrences as [MapEntry, MapEntry];
    const lines = occurrences.map((o) => o.line);
    const where = path.length === 0 ? 'at the top level' : `in '${formatPath(path)}'`;
    const message = `key '${key}' is defined ${occurrences.length === 2 ? 'twice' : `${occurrences.length} times`} ${where} (lines ${joinLines(lines)})`;
    reader.error([...path, key], message, hintFor(map, first, second, parent), undefined, second.line);
  }
}

function hintFor(map: MapNode, first: MapEntry, second: MapEntry, parent: MapEntry | undefined): string {
  // An empty key between the two occurrences is most likely a block header indented one level too deep.
  const header = map.entries.find((e) => !e.merged && e.line > first.line && e.line < second.line && isNull(e.value));
  if (header !== undefined) {
    const parentText = parent === undefined ? '' : ` to the level of '${parent.key}:' (line ${parent.line})`;
    return (
      `'${header.key}:' (line ${header.line}) looks like the start of its own block, but it is indented like a field ` +
      `of ${parent === undefined ? 'this mapping' : `'${parent.key}'`}, so the fields after it land there too: ` +
      `un-indent '${header.key}:'${parentText} and indent its fields below it`
    );
  }
  return 'a key may appear only once per mapping: delete one of them, or fix the indentation if one belongs to another block';
}

function joinLines(lines: readonly number[]): string {
  return lines.length <= 2 ? lines.join(' and ') : `${lines.slice(0, -1).join(', ')} and ${lines.at(-1)}`;
}
