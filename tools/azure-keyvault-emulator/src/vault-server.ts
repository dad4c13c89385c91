/**
 * One emulated vault: an HTTPS server on its own host:port (ids carry no path prefix, so one vault needs one
 * host:port, §4.6), its store and its knobs. Applies the network knobs (outage, latency), then the challenge
 * and token check, then throttling, then the secrets routes. A failing request never stops the server.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { describeCaller } from './access.js';
import type { BackupCodec } from './backup.js';
import { EMULATOR_REGION, EMULATOR_SERVICE_VERSION } from './constants.js';
import { isVaultError, VaultError, VaultErrors } from './errors.js';
import { drain, header, parseTarget, sendJson, sleep } from './http-util.js';
import type { TokenSigner } from './jwt.js';
import { applyKnobPatch, defaultKnobs, type Knobs } from './knobs.js';
import { RequestLog } from './request-log.js';
import { handleSecrets } from './secrets-routes.js';
import { Throttler } from './throttle.js';
import { authenticate } from './vault-auth.js';
import { VaultStore } from './vault-store.js';

/** Construction options of a {@link VaultServer}. */
export interface VaultServerOptions {
  name: string;
  tls: { certPem: string; keyPem: string };
  /** Interface to listen on (default 127.0.0.1). */
  listenHost: string;
  /** Host name used in the vault URL (default localhost). */
  publicHost: string;
  /** Port (0 = any free port). */
  port: number;
  signer: TokenSigner;
  tenantId: string;
  authorityHost: () => string;
  backup: BackupCodec;
  now: () => number;
  /** Initial knob patch (validated). */
  knobs?: unknown;
  /** Called with unexpected errors (emulator bugs); the request gets a 500. */
  onError?: (e: unknown) => void;
}

/** A running vault. */
export class VaultServer {
  readonly name: string;
  readonly store: VaultStore;
  readonly log = new RequestLog();
  private current: Knobs;
  private readonly throttler: Throttler;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private listening = false;
  private boundPort = 0;

  constructor(private readonly opts: VaultServerOptions) {
    this.name = opts.name;
    this.current = opts.knobs === undefined ? defaultKnobs() : applyKnobPatch(defaultKnobs(), opts.knobs);
    this.throttler = new Throttler(this.current.throttle);
    this.store = new VaultStore(() => this.current, opts.now);
    this.server = createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => this.internalError(res, e));
    });
    this.server.prependListener('connection', (socket: Socket) => {
      socket.on('error', () => undefined);
      if (this.current.outage === 'reset' || this.current.outage === 'refused') {
        socket.resetAndDestroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('tlsClientError', () => undefined);
    this.server.on('clientError', (_e, socket) => socket.destroy());
  }

  /** Starts listening. @returns the bound port. */
  async start(): Promise<number> {
    await this.listen(this.opts.port);
    return this.boundPort;
  }

  /** `https://<publicHost>:<port>` (no trailing slash). */
  get url(): string {
    return `https://${this.opts.publicHost}:${this.boundPort}`;
  }

  /** The bound port. */
  get port(): number {
    return this.boundPort;
  }

  /** A copy of the current knobs. */
  get knobs(): Knobs {
    return structuredClone(this.current);
  }

  /**
   * Applies a knob patch at run time (validated first; all-or-nothing). Throttle counters restart when
   * `throttle` is in the patch; switching outage modes closes or re-opens the listener and drops connections.
   * @throws KnobError for an invalid patch.
   */
  async setKnobs(patch: unknown): Promise<Knobs> {
    const next = applyKnobPatch(this.current, patch);
    const prev = this.current;
    this.current = next;
    if (typeof patch === 'object' && patch !== null && 'throttle' in patch) this.throttler.reset(next.throttle);
    if (next.outage !== prev.outage) await this.applyOutage(prev.outage);
    return this.knobs;
  }

  /** Restores the default knobs (keeps the data). */
  async resetKnobs(): Promise<Knobs> {
    const prev = this.current.outage;
    this.current = defaultKnobs();
    this.throttler.reset(null);
    if (prev !== 'none') await this.applyOutage(prev);
    return this.knobs;
  }

  /** Number of 429 answers since the throttle knob was last set. */
  get throttledCount(): number {
    return this.throttler.throttledCount;
  }

  /** Stops the server and drops every connection. */
  async stop(): Promise<void> {
    this.dropConnections();
    if (this.listening) {
      this.listening = false;
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }
  }

  private async applyOutage(prev: Knobs['outage']): Promise<void> {
    const mode = this.current.outage;
    // 'reset' aborts open connections (RST); the other modes close them (FIN) so that a client's next request
    // opens a new connection and meets the new mode (refused / hang / healthy) instead of a reset.
    this.dropConnections(mode === 'reset');
    if (mode === 'refused' && this.listening) {
      this.listening = false;
      this.server.close();
    } else if (mode !== 'refused' && prev === 'refused' && !this.listening) {
      await this.listen(this.boundPort);
    }
  }

  private dropConnections(reset = false): void {
    for (const s of this.sockets) {
      if (reset) s.resetAndDestroy();
      else s.destroy();
    }
    this.sockets.clear();
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(port, this.opts.listenHost, () => {
        this.server.off('error', onError);
        const addr = this.server.address();
        this.boundPort = typeof addr === 'object' && addr ? addr.port : port;
        this.listening = true;
        resolve();
      });
    });
  }

  private baseUrl(req: IncomingMessage): string {
    const host = header(req, 'host');
    return host !== undefined && /^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host) ? `https://${host}` : this.url;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const k = this.current;
    if (k.outage === 'hang') {
      drain(req);
      return; // never answered; the socket is dropped when the outage ends or the server stops
    }
    if (k.outage !== 'none') {
      req.socket.destroy();
      return;
    }
    await sleep(k.latencyMs);
    const headers: Record<string, string> = {
      'x-ms-request-id': randomUUID(),
      'x-ms-keyvault-region': EMULATOR_REGION,
      'x-ms-keyvault-service-version': EMULATOR_SERVICE_VERSION,
      'x-ms-keyvault-network-info': `conn_type=Ipv4;addr=${req.socket.remoteAddress ?? ''};act_addr_fam=InterNetwork;`,
    };
    const clientRequestId = header(req, 'x-ms-client-request-id');
    if (clientRequestId !== undefined && clientRequestId.length <= 200) headers['x-ms-client-request-id'] = clientRequestId;
    const entry = { time: this.opts.now(), method: req.method ?? '', url: (req.url ?? '').slice(0, 2048), authenticated: false };
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}, errorCode?: string) => {
      this.log.add({ ...entry, status, ...(errorCode === undefined ? {} : { errorCode }) });
      sendJson(res, status, body, { ...headers, ...extra });
    };
    const fail = (e: VaultError) => {
      drain(req);
      answer(e.status, e.toBody(), { ...e.headers }, e.inner ?? e.code);
    };

    const target = parseTarget(req.url);
    const caller = await authenticate(req, { signer: this.opts.signer, tenantId: this.opts.tenantId, authorityHost: this.opts.authorityHost() });
    if (caller instanceof VaultError) return fail(caller);
    entry.authenticated = true;
    if (k.firewall) {
      const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      return fail(VaultErrors.forbiddenByFirewall(address, describeCaller(caller), this.name, EMULATOR_REGION));
    }
    const decision = this.throttler.check(this.opts.now());
    if (decision.throttled) return fail(VaultErrors.throttled(decision.retryAfterSeconds));
    if (!target) return fail(VaultErrors.unknownPath());
    try {
      const ctx = { vaultName: this.name, store: this.store, knobs: () => this.current, backup: this.opts.backup };
      const result = await handleSecrets(ctx, req, target, caller, this.baseUrl(req));
      answer(result.status, result.body);
    } catch (e) {
      if (isVaultError(e)) return fail(e);
      throw e;
    }
  }

  private internalError(res: ServerResponse, e: unknown): void {
    this.opts.onError?.(e);
    const err = VaultErrors.internal();
    sendJson(res, err.status, err.toBody());
  }
}
