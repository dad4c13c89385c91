import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { handleRequest } from './http-handler.js';
import { defaultKnobs, validateKnobPatch, type Knobs, type Outage } from './knobs.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';
import { SecretStore } from './secret-store.js';
import type { KnownSecret } from './sigv4.js';

/** AWS credentials the emulator accepts. */
export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** When set, requests signed with this key must carry it as `x-amz-security-token`. */
  readonly sessionToken?: string;
}

/** Options of {@link startSecretsManagerEmulator}. */
export interface EmulatorOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /** The region requests must be signed for. @default 'us-east-1' */
  readonly region?: string;
  /** The account id in ARNs. @default '000000000000' */
  readonly accountId?: string;
  /** Accepted credentials; the first one is reported as `credentials`. @default one random key pair */
  readonly credentials?: EmulatorCredentials | readonly EmulatorCredentials[];
  /** Verify SigV4 signatures. @default true */
  readonly verifySignatures?: boolean;
  /** Initial knobs (validated). */
  readonly knobs?: Partial<Knobs>;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** How many requests the request log keeps. @default 1000 */
  readonly requestLogSize?: number;
  /** Told about unexpected internal errors (answered as `InternalServiceError`). */
  readonly onError?: (err: unknown) => void;
}

/** A running emulator. */
export interface SecretsManagerEmulator {
  /** `http://127.0.0.1:PORT` (or `https://…`): pass it as the SDK's `endpoint` or KES's `endpoint`. */
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** The first accepted credentials. */
  readonly credentials: EmulatorCredentials;
  /** The live knobs: change fields in place; read on every request. */
  readonly knobs: Knobs;
  /** The current outage mode. */
  readonly outage: Outage;
  /**
   * Switches the outage mode. `refused` stops listening and drops every open connection; leaving it listens on the
   * same port again. `reset` resets every request's connection; `hang` accepts requests and never answers them.
   */
  setOutage(mode: Outage): Promise<void>;
  /** The logged requests, oldest first. */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Names of the stored secrets in creation order (`includeDeleting`: also those scheduled for deletion). */
  secretNames(options?: { includeDeleting?: boolean }): string[];
  /** Drops every secret, restores the initial knobs, ends an outage and clears the request log. */
  reset(): Promise<void>;
  /** Stops listening and closes every connection. Idempotent. */
  stop(): Promise<void>;
}

function randomCredentials(): EmulatorCredentials {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const id = [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
  return { accessKeyId: `AKIA${id}`, secretAccessKey: randomBytes(30).toString('base64') };
}

/**
 * Starts an AWS Secrets Manager emulator (awsJson1.1, SigV4, CreateSecret/GetSecretValue/DescribeSecret/
 * DeleteSecret/RestoreSecret/ListSecrets) that the real `@aws-sdk/client-secrets-manager` talks to unchanged.
 *
 * @returns the running emulator once it listens.
 * @throws Error for invalid knobs or when the port cannot be bound.
 */
export async function startSecretsManagerEmulator(options: EmulatorOptions = {}): Promise<SecretsManagerEmulator> {
  const initialKnobs = { ...defaultKnobs(), ...validateKnobPatch(options.knobs ?? {}) };
  const knobs: Knobs = structuredClone(initialKnobs);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '000000000000';
  const accepted = options.credentials === undefined ? [randomCredentials()] : [options.credentials].flat();
  if (accepted.length === 0) throw new Error('emulator: at least one credential is required');
  const secrets = new Map<string, KnownSecret>(accepted.map((c) => [c.accessKeyId, c]));
  const store = new SecretStore(region, accountId);
  const log = new RequestLog(options.requestLogSize ?? 1000);
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let outage: Outage = 'none';

  const handler = (req: Parameters<typeof handleRequest>[0], res: ServerResponse) =>
    void handleRequest(req, res, {
      store,
      knobs,
      log,
      lookup: (id) => secrets.get(id),
      verifySignatures: options.verifySignatures ?? true,
      outage: () => outage,
      hang: (r) => {
        hanging.add(r);
        r.on('close', () => hanging.delete(r));
      },
      ...(options.onError ? { onError: options.onError } : {}),
    });
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const dropConnections = () => {
    for (const res of hanging) res.destroy();
    for (const socket of sockets) socket.destroy();
  };
  const port = await listen(options.port ?? 0);
  let stopped = false;

  const setOutage = async (mode: Outage): Promise<void> => {
    if (stopped) throw new Error('emulator: stopped');
    const previous = outage;
    outage = mode;
    if (mode === 'refused' && previous !== 'refused') {
      dropConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } else if (mode !== 'refused' && previous === 'refused') {
      await listen(port);
    }
    if (mode === 'none' || mode === 'refused') for (const res of hanging) res.destroy();
  };

  return {
    endpoint: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    region,
    accountId,
    credentials: accepted[0]!,
    knobs,
    get outage() {
      return outage;
    },
    setOutage,
    requests: () => log.entries(),
    clearRequests: () => log.clear(),
    secretNames(opts) {
      store.sweep(Date.now() + knobs.clockSkewMs);
      return store.all().filter((s) => opts?.includeDeleting === true || s.deletedMs === undefined).map((s) => s.name);
    },
    async reset() {
      store.clear();
      Object.assign(knobs, structuredClone(initialKnobs));
      if (outage !== 'none') await setOutage('none');
      log.clear();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      dropConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
