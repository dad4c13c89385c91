/**
 * The Azure world of parts 2 and 3: an emulated vault (Entra ID + Key Vault, in this process), a fault proxy in front
 * of it, and kes-server processes whose `keystore.azure.keyvault` block points at the vault directly or through the
 * proxy — configured like the tutorial's emulator set-up (client secret, `authority_host`, `ca_file`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@kes/azure-keyvault-emulator';
import { writeConfig, type ConfigSpec } from '../support/config-file.js';
import type { Workspace } from '../support/fixture.js';
import { KesProcess } from '../support/kes-process.js';
import { writeServerCertificate } from '../support/pki.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';

/** How a node reaches the vault and what else its config says. */
export interface NodeOptions {
  /** `proxy` to go through the fault proxy; default `direct`. */
  readonly via?: 'direct' | 'proxy';
  readonly spec?: Partial<ConfigSpec>;
}

/** A running world. */
export interface AzureWorld {
  readonly emu: Emulator;
  readonly proxy: FaultProxy;
  /** The PEM file trusted by the nodes: the emulator's CA and the proxy's certificate. */
  readonly caFile: string;
  /**
   * Starts a kes-server on the vault (`via: 'proxy'` to go through the fault proxy).
   * @throws Error when it does not start.
   */
  startNode(name: string, opts?: NodeOptions): Promise<KesProcess>;
  /** (Re)writes the config file of node `name`; @returns its path (a running node reads it on SIGHUP). */
  writeNodeConfig(name: string, opts?: NodeOptions): string;
  stop(): Promise<void>;
}

/** Starts the emulator (one vault, `kes-reliability`) and the proxy, in `ws`. */
export async function startAzureWorld(ws: Workspace): Promise<AzureWorld> {
  const emu = await startEmulator({ vaults: ['kes-reliability'] });
  const proxyDir = join(ws.dir, 'proxy');
  mkdirSync(proxyDir);
  const proxyTls = writeServerCertificate(proxyDir);
  const proxy = await startFaultProxy(emu.vaultUrl, emu.caPem, proxyTls);
  const caFile = join(ws.dir, 'vault-ca.pem');
  writeFileSync(caFile, `${emu.caPem.trim()}\n${proxyTls.certPem.trim()}\n`);
  const nodes: KesProcess[] = [];
  const writeNodeConfig = (name: string, opts: NodeOptions = {}): string =>
    writeConfig(
      ws.dir,
      {
        adminIdentity: ws.admin.identity,
        keystore: {
          azure: {
            keyvault: {
              endpoint: opts.via === 'proxy' ? proxy.url : emu.vaultUrl,
              credentials: { tenant_id: emu.tenantId, client_id: emu.clientId, client_secret: emu.clientSecret },
              authority_host: emu.authorityHost,
              ca_file: caFile,
              disable_challenge_resource_verification: true,
            },
          },
        },
        ...opts.spec,
      },
      `config-${name}.yml`,
    );
  return {
    emu,
    proxy,
    caFile,
    writeNodeConfig,
    async startNode(name, opts = {}) {
      const kes = await KesProcess.start(writeNodeConfig(name, opts));
      nodes.push(kes);
      return kes;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop('SIGTERM', 10_000)));
      await proxy.close();
      await emu.stop();
    },
  };
}
