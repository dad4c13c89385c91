/**
 * `startEmulator`: composes the CA, the token signer, the Entra (login) server, the managed-identity server,
 * the admin server and one HTTPS server per vault, all on 127.0.0.1 (port 0 by default).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminHandler, vaultHandle, type VaultHandle } from './admin.js';
import { BackupCodec } from './backup.js';
import { createCa, DEFAULT_SERVER_NAMES, issueServerCertificate, loadOrCreateCa } from './ca.js';
import { KEY_VAULT_RESOURCE } from './constants.js';
import { createDirectory, type Directory } from './directory.js';
import { createEntraHandler } from './entra.js';
import type { Knobs } from './knobs.js';
import { listenHttp, listenHttps, type Listener } from './listeners.js';
import { createManagedIdentityHandler } from './managed-identity.js';
import { isValidSecretName } from './secret-input.js';
import { loadIdentity, loadSigner } from './state-dir.js';
import { VaultServer } from './vault-server.js';

/** One vault to start. */
export interface VaultSpec {
  /** Vault name (letters, digits, dashes); used in messages and admin paths. */
  name: string;
  /** Initial knobs. */
  knobs?: Partial<Knobs>;
  /** Fixed port (default 0). */
  port?: number;
}

/** Options of {@link startEmulator}; everything is optional. */
export interface EmulatorOptions {
  /** Vaults to start (default one named `kes-vault`). Names must be unique (case-insensitive). */
  vaults?: Array<string | VaultSpec>;
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** More app registrations accepted by the token endpoint. */
  extraApps?: Array<{ clientId: string; clientSecret: string; objectId?: string }>;
  /** Client id of the user-assigned managed identity. */
  managedIdentityClientId?: string;
  /** The App Service `IDENTITY_HEADER` secret. */
  identityHeader?: string;
  /** Interface to bind (default 127.0.0.1). */
  listenHost?: string;
  /** Host name put in URLs (default localhost; covered by the certificate). */
  publicHost?: string;
  /** Fixed ports of the auxiliary servers (default 0 = any). */
  ports?: { login?: number; identity?: number; admin?: number };
  /**
   * Directory keeping the CA, the token-signing key and the generated identities across restarts
   * (see state-dir.ts); default: nothing persisted, the CA file goes to a temp dir removed on stop.
   */
  stateDir?: string;
  /** Lifetime of issued tokens in seconds (default 3599). */
  tokenLifetimeSeconds?: number;
  /** Extra certificate subject alternative names. */
  serverNames?: string[];
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** Receives unexpected errors (emulator bugs); the request gets a 500 and serving goes on. */
  onError?: (e: unknown) => void;
}

/** Managed-identity coordinates for `ManagedIdentityCredential`. */
export interface ManagedIdentityInfo {
  /** User-assigned identity's client id (pass as `clientId`). */
  clientId: string;
  /** Client id of the system-assigned identity (used when no client id is given). */
  systemAssignedClientId: string;
  /** Value for `AZURE_POD_IDENTITY_AUTHORITY_HOST` (IMDS). */
  imdsHost: string;
  /** Value for `IDENTITY_ENDPOINT` (App Service). */
  appServiceEndpoint: string;
  /** Value for `IDENTITY_HEADER` (App Service). */
  identityHeader: string;
}

/** A running emulator. */
export interface Emulator {
  /** URL of the first vault. */
  vaultUrl: string;
  /** Every vault, in the order given. */
  vaults: VaultHandle[];
  /** The vault named `name` (case-insensitive), or the first one. @throws Error for an unknown name. */
  vault(name?: string): VaultHandle;
  /** `https://localhost:<port>` for `authorityHost`. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  managedIdentity: ManagedIdentityInfo;
  /** The CA certificate to trust, PEM. */
  caPem: string;
  /** A file holding {@link caPem} (for `NODE_EXTRA_CA_CERTS`). */
  caFile: string;
  /** `http://127.0.0.1:<port>/admin`. */
  adminUrl: string;
  /** The admin handle: the admin endpoint's URL and in-process control of each vault's knobs and data. */
  admin: { url: string; vault(name?: string): VaultHandle };
  /** The directory (tenant, apps, managed identities). */
  directory: Directory;
  /** Mints a token signed by the emulator (tests: expired, wrong audience or tenant). */
  mintToken(opts?: { lifetimeSeconds?: number; audience?: string; tenantId?: string; appId?: string }): Promise<string>;
  /** Stops every server and removes the temporary CA file. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the emulator.
 * @throws Error for invalid options (duplicate or invalid vault names, invalid knobs) or when a port is taken.
 */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const now = opts.now ?? Date.now;
  const listenHost = opts.listenHost ?? '127.0.0.1';
  const publicHost = opts.publicHost ?? 'localhost';
  const specs: VaultSpec[] = (opts.vaults ?? ['kes-vault']).map((v) => (typeof v === 'string' ? { name: v } : v));
  const seen = new Set<string>();
  for (const s of specs) {
    if (!isValidSecretName(s.name) || s.name.length > 24) throw new Error(`invalid vault name: ${JSON.stringify(s.name)}`);
    if (seen.has(s.name.toLowerCase())) throw new Error(`duplicate vault name: ${s.name}`);
    seen.add(s.name.toLowerCase());
  }
  if (specs.length === 0) throw new Error('at least one vault is required');

  const tempDir = opts.stateDir ? undefined : await mkdtemp(join(tmpdir(), 'kes-akv-emulator-'));
  const ca = opts.stateDir ? await loadOrCreateCa(opts.stateDir) : await createCa();
  const caFile = join(opts.stateDir ?? tempDir ?? '.', 'ca.pem');
  if (tempDir) await writeFile(caFile, ca.certPem);
  const tls = await issueServerCertificate(ca, [...DEFAULT_SERVER_NAMES, ...(opts.serverNames ?? [])]);
  const signer = await loadSigner(opts.stateDir, now);
  const ids = await loadIdentity(opts.stateDir, opts);
  const directory = createDirectory({ ...opts, ...ids });
  const identityHeader = ids.identityHeader;
  const tokenLifetimeSeconds = opts.tokenLifetimeSeconds ?? 3599;
  const backup = new BackupCodec();

  const listeners: Listener[] = [];
  const servers: VaultServer[] = [];
  let authorityHost = '';
  const stop = async () => {
    await Promise.all([...servers.map((s) => s.stop()), ...listeners.map((l) => l.close())]);
    servers.length = 0;
    listeners.length = 0;
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  };
  try {
    const login = await listenHttps(
      createEntraHandler({ directory, signer, authorityHost: () => authorityHost, tokenLifetimeSeconds, now }),
      tls,
      listenHost,
      opts.ports?.login ?? 0,
      opts.onError,
    );
    listeners.push(login);
    authorityHost = `https://${publicHost}:${login.port}`;
    const identity = await listenHttp(
      createManagedIdentityHandler({ directory, signer, identityHeader, tokenLifetimeSeconds }),
      listenHost,
      opts.ports?.identity ?? 0,
      opts.onError,
    );
    listeners.push(identity);
    for (const spec of specs) {
      const server = new VaultServer({
        name: spec.name,
        tls,
        listenHost,
        publicHost,
        port: spec.port ?? 0,
        signer,
        tenantId: directory.tenantId,
        authorityHost: () => authorityHost,
        backup,
        now,
        knobs: spec.knobs,
        ...(opts.onError ? { onError: opts.onError } : {}),
      });
      servers.push(server);
      await server.start();
    }
    const handles = servers.map(vaultHandle);
    const byName = new Map(handles.map((h) => [h.name.toLowerCase(), h]));
    const admin = await listenHttp(createAdminHandler(byName), '127.0.0.1', opts.ports?.admin ?? 0, opts.onError);
    listeners.push(admin);
    const primary = directory.apps[0];
    const userMi = directory.managedIdentities.find((m) => !m.systemAssigned);
    const systemMi = directory.managedIdentities.find((m) => m.systemAssigned);
    if (!primary || !userMi || !systemMi || !handles[0]) throw new Error('emulator directory is incomplete');
    const miBase = `http://${listenHost === '0.0.0.0' ? '127.0.0.1' : listenHost}:${identity.port}`;
    const first = handles[0];
    const vault = (name?: string): VaultHandle => {
      const h = name === undefined ? first : byName.get(name.toLowerCase());
      if (!h) throw new Error(`no vault named ${name}`);
      return h;
    };
    const adminUrl = `http://127.0.0.1:${admin.port}/admin`;
    return {
      vaultUrl: first.url,
      vaults: handles,
      vault,
      authorityHost,
      tenantId: directory.tenantId,
      clientId: primary.clientId,
      clientSecret: primary.clientSecret,
      managedIdentity: {
        clientId: userMi.clientId,
        systemAssignedClientId: systemMi.clientId,
        imdsHost: miBase,
        appServiceEndpoint: `${miBase}/msi/token`,
        identityHeader,
      },
      caPem: ca.certPem,
      caFile,
      adminUrl,
      admin: { url: adminUrl, vault },
      directory,
      async mintToken(o = {}) {
        const tenantId = o.tenantId ?? directory.tenantId;
        const minted = await signer.issue({
          tenantId,
          appId: o.appId ?? primary.clientId,
          objectId: primary.objectId,
          audience: o.audience ?? KEY_VAULT_RESOURCE,
          lifetimeSeconds: o.lifetimeSeconds ?? tokenLifetimeSeconds,
        });
        return minted.token;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
