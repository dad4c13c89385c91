import { parseListenAddress } from './address.js';
import { reportDuplicateKeys } from './duplicates.js';
import type { Env } from './env.js';
import type { ConfigProblem } from './problems.js';
import { ConfigReader, formatPath, type Path } from './reader.js';
import type { KeystoreRegistry } from './registry.js';
import type { ListenAddress, ServerConfig } from './server-config.js';
import { readLimits } from './validate-limits.js';
import { readPolicies } from './validate-policies.js';
import { readKeystore } from './validate-keystore.js';
import { checkKnownKeys, readApi, readCache, readKeys, readLog, readTls } from './validate-sections.js';
import { entryOf, type TreeNode } from './yaml-tree.js';

/** What {@link validateConfigTree} needs besides the tree. */
export interface ValidateOptions {
  /** Environment for `${VAR}` substitution. */
  readonly env: Env;
  /** Backend definitions the `keystore:` block may select. */
  readonly registry: KeystoreRegistry;
  /** Directory third-party module paths are resolved against. */
  readonly cwd: string;
  /** The file's name for messages. */
  readonly file?: string;
}

/** Result of {@link validateConfigTree}: a config when there are no problems. */
export interface ValidationOutcome {
  readonly config?: Omit<ServerConfig, 'file'>;
  readonly problems: readonly ConfigProblem[];
  readonly warnings: readonly ConfigProblem[];
}

const TOP_LEVEL = ['version', 'address', 'admin', 'root', 'tls', 'policy', 'cache', 'api', 'log', 'keys', 'keystore', 'limits'];
const LINE_PATHS: readonly Path[] = [['address'], ['admin', 'identity'], ['root'], ['tls', 'key'], ['tls', 'cert'], ['tls', 'password'], ['tls', 'ca'], ['keystore']];

/**
 * Validates a parsed config document against the whole schema of spec §6.2 and collects every problem (never stops
 * at the first). Unknown keys are ignored like upstream, with a warning, except near misses of known names.
 * Never throws (a backend validator that throws becomes a problem).
 */
export async function validateConfigTree(root: TreeNode | undefined, opts: ValidateOptions): Promise<ValidationOutcome> {
  const r = new ConfigReader(root, opts.env);
  if (root !== undefined && root.kind !== 'map') {
    r.error([], 'the config file must be a mapping of fields (version, address, admin, tls, policy, …)', 'see the sample server-config.yaml');
    return { problems: r.problems, warnings: r.warnings };
  }
  reportDuplicateKeys(r, root);
  checkKnownKeys(r, root, [], TOP_LEVEL);
  readVersion(r);
  const address = readAddress(r);
  const adminIdentity = readAdmin(r);
  const tls = readTls(r);
  for (const [id, path] of tls.proxyIdentities) {
    if (adminIdentity !== undefined && id === adminIdentity) {
      r.error(path, `kesconf: invalid tls proxy: identity '${id}' is already admin`, 'the admin cannot be a TLS proxy: remove it from tls.proxy.identities');
    }
  }
  const policies = readPolicies(r, adminIdentity, tls.proxyIdentities);
  const cache = readCache(r);
  const api = readApi(r);
  const log = readLog(r);
  const keys = readKeys(r);
  const limits = readLimits(r);
  const keystore = await readKeystore(r, opts.registry, opts.cwd);
  if (r.problems.length > 0 || keystore === undefined || adminIdentity === undefined) {
    return { problems: r.problems, warnings: r.warnings };
  }
  const { proxyIdentities, certHeader, ...tlsFields } = tls;
  const lines: Record<string, number> = {};
  for (const p of [...LINE_PATHS, ['keystore', ...keystore.name.split('.')]]) {
    const line = r.node(p) !== undefined ? r.lineOf(p) : undefined;
    if (line !== undefined) lines[formatPath(p)] = line;
  }
  const config: Omit<ServerConfig, 'file'> = {
    ...(address ? { address } : {}),
    adminIdentity,
    tls: { ...tlsFields, ...(proxyIdentities.size > 0 ? { proxy: { identities: [...proxyIdentities.keys()], certHeader } } : {}) },
    policies,
    cache,
    api,
    log,
    keys,
    ...(Object.keys(limits).length > 0 ? { limits } : {}),
    keystore,
    warnings: r.warnings,
    lines,
  };
  return { config, problems: [], warnings: r.warnings };
}

// --- Internal helpers ---

function readVersion(r: ConfigReader): void {
  const node = r.node(['version']);
  if (node === undefined) return;
  const text = r.text(node, ['version'], { env: false });
  if (text !== undefined && text !== 'v1') {
    r.error(['version'], `edge: invalid server config version '${text}'`, "the only config version is v1: write 'version: v1' or delete the line");
  }
}

function readAddress(r: ConfigReader): ListenAddress | undefined {
  const text = r.text(r.node(['address']), ['address']);
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = parseListenAddress(text.trim());
  if ('error' in parsed) {
    r.error(['address'], `kesconf: invalid address '${text}': ${parsed.error}`, 'write ip:port, e.g. 0.0.0.0:7373 (all interfaces) or 127.0.0.1:7373');
    return undefined;
  }
  return parsed;
}

/** `admin.identity`, or the pre-v0.18 top-level `root:` (deprecated, with a warning). */
function readAdmin(r: ConfigReader): string | undefined {
  const admin = r.map(r.node(['admin']), ['admin']);
  checkKnownKeys(r, admin, ['admin'], ['identity']);
  const before = r.problems.length;
  const identityNode = admin ? entryOf(admin, 'identity')?.value : undefined;
  const identity = identityNode ? r.text(identityNode, ['admin', 'identity']) : undefined;
  const rootNode = r.node(['root']);
  const root = rootNode ? r.text(rootNode, ['root']) : undefined;
  if (r.problems.length > before) return undefined;
  if (rootNode !== undefined && identityNode !== undefined) {
    r.error(['root'], "both 'root' and 'admin.identity' are set", "'root' is the pre-v0.18 name of admin.identity: delete the 'root:' line", [['admin', 'identity']]);
    return undefined;
  }
  if (rootNode !== undefined) {
    r.warn(['root'], "'root' is deprecated since v0.18", `replace 'root: ${root ?? ''}' with 'admin:' and an indented 'identity: ${root ?? ''}'`);
  }
  const value = identity ?? root;
  if (value === undefined || value.trim() === '') {
    r.error(
      rootNode !== undefined ? ['root'] : ['admin', 'identity'],
      'kesconf: invalid admin identity: no admin identity',
      "set admin.identity to the admin's identity ('kes identity of <cert>' prints it), or to 'disabled' to turn admin access off",
    );
    return undefined;
  }
  if (/^[0-9A-F]{64}$/i.test(value) && value !== value.toLowerCase()) {
    r.warn(
      rootNode !== undefined ? ['root'] : ['admin', 'identity'],
      'the admin identity has uppercase hex digits and will never match a client (identities are lowercase)',
      'write the identity in lowercase',
    );
  }
  return value;
}
