import type { KeystoreConfigProblem, KeystoreDefinition } from '@kes/core';
import type { ConfigReader, Path } from './reader.js';
import type { KeystoreRegistry } from './registry.js';
import type { KeystoreSelection } from './server-config.js';
import { closestName } from './suggest.js';
import { entryOf, type MapNode, type TreeNode } from './yaml-tree.js';

/** The block that loads a third-party backend: `keystore: { module: { name, export?, config? } }`. */
export const MODULE_BLOCK = 'module';

/**
 * Reads `keystore:`: exactly one block (spec §6.2), validated by its backend definition (imported on demand), or
 * `module:` naming a third-party module that exports a definition. Problems of the block are reported at their
 * YAML paths and lines.
 * @returns the selection, or `undefined` when a problem was recorded.
 */
export async function readKeystore(r: ConfigReader, registry: KeystoreRegistry, cwd: string): Promise<KeystoreSelection | undefined> {
  const known = [...registry.names(), MODULE_BLOCK];
  const section = r.map(r.node(['keystore']), ['keystore']);
  const present = section === undefined ? [] : known.filter((name) => lookup(section, name) !== undefined);
  const unknown = section === undefined ? [] : unknownBlocks(section, known);
  for (const u of unknown) {
    const suggestion = closestName(u, known);
    if (suggestion !== undefined) r.error(['keystore', ...u.split('.')], `unknown keystore '${u}'`, `did you mean '${suggestion}'?`);
    else if (present.length > 0) r.warn(['keystore', ...u.split('.')], `unknown keystore '${u}' is ignored`, `known keystores: ${known.join(', ')}`);
  }
  if (present.length === 0) {
    if (unknown.some((u) => closestName(u, known) !== undefined)) return undefined;
    const other = unknown.length > 0 ? ` ('${unknown.join("', '")}' is not one of them)` : '';
    r.error(['keystore'], 'kesconf: no keystore specified', `add exactly one keystore block${other}: ${known.join(', ')}; e.g. keystore: { fs: { path: ./keys } }`);
    return undefined;
  }
  if (present.length > 1) {
    r.error(
      ['keystore'],
      'kesconf: invalid keystore config: more than once keystore specified',
      `keep exactly one of ${present.map((p) => `'${p}'`).join(', ')} and delete the others`,
      present.map((p) => ['keystore', ...p.split('.')]),
    );
    return undefined;
  }
  const name = present[0]!;
  return name === MODULE_BLOCK ? readModule(r, registry, cwd) : readBuiltin(r, registry, name);
}

// --- Internal helpers ---

async function readBuiltin(r: ConfigReader, registry: KeystoreRegistry, name: string): Promise<KeystoreSelection | undefined> {
  const path: Path = ['keystore', ...name.split('.')];
  let definition: KeystoreDefinition;
  try {
    definition = await registry.resolve(name);
  } catch (err) {
    r.error(path, `cannot load the '${name}' keystore: ${(err as Error).message}`, 'reinstall the server or choose another keystore');
    return undefined;
  }
  return validateWith(r, definition, r.node(path), path);
}

async function readModule(r: ConfigReader, registry: KeystoreRegistry, cwd: string): Promise<KeystoreSelection | undefined> {
  const path: Path = ['keystore', MODULE_BLOCK];
  const block = r.map(r.node(path), path);
  const before = r.problems.length;
  const nameNode = block ? entryOf(block, 'name')?.value : undefined;
  const specifier = nameNode ? r.text(nameNode, [...path, 'name']) : undefined;
  const exportNode = block ? entryOf(block, 'export')?.value : undefined;
  const exportName = exportNode ? r.text(exportNode, [...path, 'export']) : undefined;
  if (r.problems.length > before) return undefined;
  if (specifier === undefined || specifier.trim() === '') {
    r.error([...path, 'name'], 'the keystore module name is required', 'set keystore.module.name to an npm package name or to a path like ./my-keystore.js');
    return undefined;
  }
  let definition: KeystoreDefinition;
  try {
    definition = await registry.loadModule(specifier, exportName === '' ? undefined : exportName, cwd);
  } catch (err) {
    r.error([...path, 'name'], `cannot load keystore module: ${(err as Error).message}`, MODULE_HINT);
    return undefined;
  }
  const configPath: Path = [...path, 'config'];
  const selection = validateWith(r, definition, block ? entryOf(block, 'config')?.value : undefined, configPath);
  return selection && { ...selection, module: { specifier, ...(exportName ? { exportName } : {}) } };
}

function validateWith(
  r: ConfigReader,
  definition: KeystoreDefinition,
  node: TreeNode | undefined,
  path: Path,
): KeystoreSelection | undefined {
  const before = r.problems.length;
  const data = r.plain(node, path);
  if (r.problems.length > before) return undefined; // missing ${VAR} inside the block
  let result: ReturnType<KeystoreDefinition['validate']>;
  try {
    result = definition.validate(data);
  } catch (err) {
    r.error(path, `the '${definition.name}' keystore's validator failed: ${(err as Error).message}`, 'this is a bug in the keystore backend');
    return undefined;
  }
  const report = (list: readonly KeystoreConfigProblem[], kind: 'error' | 'warn') => {
    for (const p of list) r[kind]([...path, ...p.path], p.message, p.hint, p.related?.map((rel) => [...path, ...rel]));
  };
  if (!result.ok) {
    report(result.problems, 'error');
    return undefined;
  }
  report(result.warnings ?? [], 'warn');
  const description = definition.describe?.(result.config);
  return { name: definition.name, title: definition.title, settings: result.config, ...(description ? { description } : {}) };
}

/** The entry at dotted block path `name` under `section`, if present (an empty value counts as present). */
function lookup(section: MapNode, name: string): TreeNode | undefined {
  let node: TreeNode | undefined = section;
  for (const seg of name.split('.')) {
    if (node === undefined || node.kind !== 'map') return undefined;
    node = entryOf(node, seg)?.value;
  }
  return node;
}

/** Dotted paths of blocks under `keystore:` that no known name covers (`s3`, `azure.key_vault`). */
function unknownBlocks(section: MapNode, known: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of section.entries) {
    if (known.includes(e.key) || out.includes(e.key)) continue;
    const children = known.filter((k) => k.startsWith(`${e.key}.`));
    if (children.length === 0) {
      out.push(e.key);
      continue;
    }
    if (e.value.kind !== 'map') continue;
    for (const c of e.value.entries) if (!known.includes(`${e.key}.${c.key}`)) out.push(`${e.key}.${c.key}`);
  }
  return out;
}

const MODULE_HINT =
  "keystore.module.name is a package name resolved like an import in the server (install it next to the server) or a path " +
  'starting with ./ or / relative to the working directory; see docs/custom-keystore.md';
