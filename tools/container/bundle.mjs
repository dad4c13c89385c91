#!/usr/bin/env node
/**
 * Lays out the production tree of the `kes` command (CLI + server + keystores) for the container image:
 *
 *   <out>/opt/kes/apps/kes/{package.json,bin,dist}        the CLI (entry point)
 *   <out>/opt/kes/apps/kes-server/{package.json,dist}     the server app
 *   <out>/opt/kes/packages/<name>/{package.json,dist}     every workspace package they need
 *   <out>/opt/kes/node_modules/...                        the third-party packages they need, at the same
 *                                                         relative paths as in the checkout (nested ones too),
 *                                                         and the @kes/* links to the workspace folders
 *   <out>/opt/kes/bin/kes -> ../apps/kes/bin/kes.js       the `kes` command
 *   <out>/opt/kes/healthcheck.mjs                         the image's HEALTHCHECK
 *   <out>/opt/kes/bundle.json                             what was copied (package count, workspace packages)
 *
 * It reads an installed and built checkout (`npm ci` + `nx build`) and never touches the network, so the same
 * script serves the Containerfile's build stage and the offline build on the host (tools/container/build.sh).
 * Only what is reachable through `dependencies`, `optionalDependencies` and installed `peerDependencies` of the
 * roots is copied; devDependencies, tests, sources, type declarations and source maps are not.
 *
 * Usage: node tools/container/bundle.mjs --out <dir> [--root <checkout>]
 * Exit codes: 0 done, 1 a workspace package is not built or a dependency is not installed, 2 bad arguments.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

/** Workspace packages the image is built around; every `@kes/keystore-*` package except the testkit is added. */
const ROOTS = ['@kes/kes', '@kes/kes-server'];
/**
 * Dependencies not followed. `tsx` only serves bin/kes.js when the CLI runs from its TypeScript sources; the image
 * always has the compiled dist (and sets KES_CLI_FROM=dist), so tsx and esbuild (~10 MB) stay out.
 */
const EXCLUDED = new Set(['tsx']);
/** Files never copied out of a package. */
const SKIPPED_FILE = /(\.d\.[cm]?ts|\.map|\.tsbuildinfo)$/;

function fail(message, code = 1) {
  process.stderr.write(`bundle: ${message}\n`);
  process.exit(code);
}

const { values } = (() => {
  try {
    return parseArgs({ options: { out: { type: 'string' }, root: { type: 'string' } }, strict: true });
  } catch (err) {
    return fail(err.message, 2);
  }
})();
if (!values.out) fail('usage: bundle.mjs --out <dir> [--root <checkout>]', 2);
const repo = realpathSync(resolve(values.root ?? join(import.meta.dirname, '..', '..')));
const out = resolve(values.out);
const target = join(out, 'opt', 'kes');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Finds the folder of package `name` as Node would from `fromDir` (a real path inside the checkout). */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === repo || dir === dirname(dir)) return undefined;
  }
}

/** Workspace roots: the named apps plus every keystore package (they are loaded by name from the config). */
function rootPackages() {
  const scope = join(repo, 'node_modules', '@kes');
  const names = existsSync(scope) ? readdirSync(scope).map((n) => `@kes/${n}`) : [];
  const keystores = names.filter((n) => /^@kes\/keystore-/.test(n) && n !== '@kes/keystore-testkit');
  return [...new Set([...ROOTS, ...keystores.sort()])];
}

// --- Walk the dependency graph from the roots ---
/** @type {Map<string, { link: string, real: string, manifest: any, workspace: boolean }>} keyed by real path */
const packages = new Map();
const missing = [];
const queue = [];
for (const name of rootPackages()) {
  const link = resolvePackage(name, repo);
  if (!link) fail(`workspace package ${name} is not installed: run 'npm ci' first`);
  queue.push({ name, link });
}
while (queue.length > 0) {
  const { name, link } = queue.shift();
  const real = realpathSync(link);
  if (packages.has(real)) continue;
  const manifest = readJson(join(real, 'package.json'));
  const workspace = !real.split(sep).includes('node_modules');
  packages.set(real, { link, real, manifest, workspace });
  const deps = { ...manifest.peerDependencies, ...manifest.optionalDependencies, ...manifest.dependencies };
  for (const dep of Object.keys(deps).sort()) {
    if (EXCLUDED.has(dep)) continue;
    const found = resolvePackage(dep, real);
    if (found) queue.push({ name: dep, link: found });
    else if (manifest.dependencies?.[dep] !== undefined) missing.push(`${dep} (needed by ${name})`);
    // Optional and peer dependencies that are not installed are left out, as npm would.
  }
}
if (missing.length > 0) fail(`not installed: ${missing.join(', ')}: run 'npm ci' first`);

// --- Copy ---
rmSync(out, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
const notBuilt = [];
let files = 0;
let bytes = 0;

function copyTree(from, to) {
  cpSync(from, to, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => {
      const rel = relative(from, src);
      if (rel.split(sep).includes('node_modules')) return false; // nested packages are copied on their own
      const st = lstatSync(src);
      if (st.isDirectory() || st.isSymbolicLink()) return true;
      if (SKIPPED_FILE.test(src)) return false;
      files += 1;
      bytes += st.size;
      return true;
    },
  });
}

for (const pkg of [...packages.values()].sort((a, b) => a.real.localeCompare(b.real))) {
  const rel = relative(repo, pkg.real);
  const dest = join(target, rel);
  if (pkg.workspace) {
    // A workspace package: its package.json and its published files (package.json "files", default dist).
    const entries = (pkg.manifest.files ?? ['dist']).filter((f) => !f.startsWith('!'));
    if (!existsSync(join(pkg.real, 'dist'))) notBuilt.push(pkg.manifest.name);
    mkdirSync(dest, { recursive: true });
    copyTree(join(pkg.real, 'package.json'), join(dest, 'package.json'));
    for (const entry of entries) if (existsSync(join(pkg.real, entry))) copyTree(join(pkg.real, entry), join(dest, entry));
    // The node_modules link that makes it resolvable by name, as in the checkout.
    const linkRel = relative(repo, pkg.link);
    if (lstatSync(pkg.link).isSymbolicLink()) {
      mkdirSync(dirname(join(target, linkRel)), { recursive: true });
      symlinkSync(readlinkSync(pkg.link), join(target, linkRel));
    }
  } else {
    copyTree(pkg.real, dest);
  }
}
if (notBuilt.length > 0) fail(`not built: ${notBuilt.join(', ')}: run 'npx nx run-many -t build' first`);

// The `kes` command and the health check.
mkdirSync(join(target, 'bin'), { recursive: true });
symlinkSync('../apps/kes/bin/kes.js', join(target, 'bin', 'kes'));
cpSync(join(import.meta.dirname, 'healthcheck.mjs'), join(target, 'healthcheck.mjs'));
chmodSync(join(target, 'apps', 'kes', 'bin', 'kes.js'), 0o755);
// What the image holds (`podman run --rm --entrypoint node <image> -p 'require("/opt/kes/bundle.json")'`).
const summary = { packages: packages.size, workspacePackages: [...packages.values()].filter((p) => p.workspace).map((p) => p.manifest.name).sort(), files, bytes };
writeFileSync(join(target, 'bundle.json'), `${JSON.stringify(summary, null, 2)}\n`);
// Everything readable (and folders/executables enterable) by the image's non-root user; nothing writable by it.
(function normalize(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      chmodSync(path, 0o755);
      normalize(path);
    } else chmodSync(path, statSync(path).mode & 0o111 ? 0o755 : 0o644);
  }
})(target);
process.stdout.write(`bundle: ${summary.packages} packages (${summary.workspacePackages.length} from the workspace), ${files} files, ${(bytes / 1048576).toFixed(1)} MiB -> ${target}\n`);
