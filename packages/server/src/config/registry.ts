import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { isKeystoreDefinition, isValidBlockPath, type KeystoreConfigResult, type KeystoreDefinition } from '@kes/core';

/** Loads a module like a dynamic `import()` from the caller's location. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/** A backend whose definition lives in a package that is imported only when its block is used. */
export interface LazyKeystore {
  /** Block path, e.g. `azure.keyvault`. */
  readonly name: string;
  readonly title: string;
  /** Package exporting the definition (named export `keystoreDefinition` or default export). Omit for blocks no build implements. */
  readonly packageName?: string;
  /** Validation used when the package is not installed, so a config is still fully checked (spec-only rules). */
  readonly fallbackValidate: (block: unknown) => KeystoreConfigResult<unknown>;
  /** Why no build implements this block (for blocks without `packageName`). */
  readonly unsupportedReason?: string;
}

/**
 * The registry of keystore backends, keyed by `keystore:` block path (DESIGN.md). Built-in backends are registered
 * lazily (their package is imported the first time their block is used); tests and embedders may register
 * definitions directly. Third-party definitions are loaded from modules with {@link KeystoreRegistry.loadModule}.
 */
export class KeystoreRegistry {
  private readonly lazy = new Map<string, LazyKeystore>();
  private readonly loaded = new Map<string, Promise<KeystoreDefinition>>();

  /** @param importModule - how packages and modules are imported (default: `import()` from this package). */
  constructor(private readonly importModule: ModuleImporter = (specifier) => import(specifier)) {}

  /**
   * Registers a definition under its `name`, replacing an earlier registration of that name.
   * @throws TypeError when `definition` is not a valid {@link KeystoreDefinition}.
   */
  register<C>(definition: KeystoreDefinition<C>): this {
    if (!isKeystoreDefinition(definition)) throw new TypeError('not a KeystoreDefinition');
    this.lazy.delete(definition.name);
    this.loaded.set(definition.name, Promise.resolve(definition as KeystoreDefinition));
    return this;
  }

  /** Registers a lazily imported backend (see {@link LazyKeystore}). @throws TypeError for an invalid block path. */
  registerLazy(entry: LazyKeystore): this {
    if (!isValidBlockPath(entry.name)) throw new TypeError(`invalid keystore block path '${entry.name}'`);
    this.loaded.delete(entry.name);
    this.lazy.set(entry.name, entry);
    return this;
  }

  /** Every registered block path, sorted. */
  names(): string[] {
    return [...new Set([...this.lazy.keys(), ...this.loaded.keys()])].sort();
  }

  /** The title of a registered block (without importing anything), or `undefined`. */
  title(name: string): string | undefined {
    return this.lazy.get(name)?.title;
  }

  /**
   * The definition of block `name`. A lazily registered backend whose package is not installed resolves to a
   * definition that validates with the spec-only rules and whose `create` rejects with
   * "keystore '<name>' is not available in this build …".
   * @throws Error when `name` is not registered or the package exists but fails to load.
   */
  resolve(name: string): Promise<KeystoreDefinition> {
    let definition = this.loaded.get(name);
    if (definition === undefined) {
      const entry = this.lazy.get(name);
      if (entry === undefined) return Promise.reject(new Error(`unknown keystore block '${name}'`));
      definition = this.importLazy(entry);
      this.loaded.set(name, definition);
    }
    return definition;
  }

  /**
   * Loads a third-party definition from a module: a path (`./x.js`, `../x`, `/abs/x.js`, relative to `cwd`), a
   * `file:` URL, or a package name resolved like an `import` in the server. The definition is the export named
   * `exportName` if given, else the default export, else the export named `keystoreDefinition`.
   * @throws Error with a message saying what is wrong (module not found, no definition exported, …).
   */
  async loadModule(specifier: string, exportName: string | undefined, cwd: string): Promise<KeystoreDefinition> {
    const target = /^\.{1,2}([/\\]|$)/.test(specifier) || isAbsolute(specifier) ? pathToFileURL(resolve(cwd, specifier)).href : specifier;
    let mod: unknown;
    try {
      mod = await this.importModule(target);
    } catch (err) {
      throw new Error(isNotFound(err, target) ? `module '${specifier}' was not found` : `module '${specifier}' failed to load: ${errorText(err)}`, {
        cause: err,
      });
    }
    const exports = (mod ?? {}) as Record<string, unknown>;
    const candidate = exportName !== undefined ? exports[exportName] : (exports['default'] ?? exports['keystoreDefinition']);
    if (!isKeystoreDefinition(candidate)) {
      const which = exportName !== undefined ? `its export '${exportName}' is` : "neither its default export nor its export 'keystoreDefinition' is";
      throw new Error(`module '${specifier}' does not export a keystore definition: ${which} an object with name, title, validate() and create()`);
    }
    return candidate;
  }

  private async importLazy(entry: LazyKeystore): Promise<KeystoreDefinition> {
    if (entry.packageName === undefined) return unavailable(entry, entry.unsupportedReason ?? 'no backend implements it');
    let mod: unknown;
    try {
      mod = await this.importModule(entry.packageName);
    } catch (err) {
      if (isNotFound(err, entry.packageName)) return unavailable(entry, `its package ${entry.packageName} is not installed`);
      throw new Error(`keystore package ${entry.packageName} failed to load: ${errorText(err)}`, { cause: err });
    }
    const exports = (mod ?? {}) as Record<string, unknown>;
    const definition = exports['keystoreDefinition'] ?? exports['default'];
    if (!isKeystoreDefinition(definition) || definition.name !== entry.name) {
      throw new Error(`keystore package ${entry.packageName} does not export a keystore definition named '${entry.name}'`);
    }
    return definition;
  }
}

/** True iff `err` says that `specifier` itself (not one of its own imports) could not be found. */
export function isNotFound(err: unknown, specifier: string): boolean {
  const message = errorText(err);
  const m = /cannot find (?:package|module) '([^']+)'/i.exec(message) ?? /failed to load url (\S+)/i.exec(message);
  if (m === null) return false;
  const missing = m[1]!;
  if (missing === specifier) return true;
  return specifier.startsWith('file:') && missing === fileURLToPath(specifier);
}

// --- Internal helpers ---

function unavailable(entry: LazyKeystore, reason: string): KeystoreDefinition {
  return {
    name: entry.name,
    title: entry.title,
    validate: entry.fallbackValidate,
    create: () => Promise.reject(new Error(`keystore '${entry.name}' (${entry.title}) is not available in this build: ${reason}`)),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
