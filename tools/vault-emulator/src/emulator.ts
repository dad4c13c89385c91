/**
 * `startVaultEmulator`: the in-process Vault emulator on 127.0.0.1 (HTTP, or HTTPS with a generated CA), with its
 * handle for tests: address, credentials, live knobs, seal switch, token expiry, AppRole secret revocation, the
 * Kubernetes verification keys, and a request log.
 */
import { randomUUID, createPublicKey, type KeyObject } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { AppRoleMount } from './approle.js';
import { BodyError, readJsonBody, type Answer } from './http-io.js';
import { defaultKnobs, type Knobs } from './knobs.js';
import { KubernetesMount } from './kubernetes.js';
import { KvV1Mount } from './kv-v1.js';
import { KvV2Mount } from './kv-v2.js';
import { serveWithListVerb } from './list-verb.js';
import { DEFAULT_MOUNTS, type VaultEmulatorOptions } from './options.js';
import { RequestLog } from './request-log.js';
import { methodLabel, route, type NamespaceMounts, type RouterState } from './router.js';
import { generateTls, type EmulatorTls } from './tls.js';
import { newTokenId, TokenStore } from './tokens.js';
import { TransitMount } from './transit.js';

/** A running emulator. */
export interface VaultEmulator {
  /** Base URL, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly address: string;
  /** The root token: valid in every namespace, never expires. */
  readonly rootToken: string;
  /** The AppRole credentials of role `kes` (valid on every AppRole mount). */
  readonly approle: { readonly mount: string; readonly roleId: string; readonly secretId: string };
  /** The Kubernetes role (valid on every Kubernetes mount). */
  readonly kubernetes: { readonly mount: string; readonly role: string };
  /** Namespaces besides root. */
  readonly namespaces: readonly string[];
  /** The CA, server and client certificates in HTTPS mode. */
  readonly tls: EmulatorTls | undefined;
  /** Live fault knobs (mutate them: `knobs.sealed = true`, `knobs.faults.push(…)`). */
  readonly knobs: Knobs;
  /** Every request answered so far (method, path, namespace, status). */
  readonly requests: RequestLog;
  /** Seals (true) or unseals (false) the emulated Vault. */
  seal(sealed?: boolean): void;
  /** Expires every token but the root token (clients then get 403 "permission denied"). @returns how many. */
  expireTokens(): number;
  /** Revokes one token. @returns whether it existed. */
  revokeToken(token: string): boolean;
  /** Revokes an AppRole secret ID (logins with it answer 400 "invalid role or secret ID"). */
  revokeSecretId(secretId: string): boolean;
  /** Issues another valid AppRole secret ID. */
  issueSecretId(): string;
  /** Trusts another key for Kubernetes service-account JWTs. */
  addKubernetesKey(key: string | KeyObject): void;
  /** Rotates a transit key in every namespace (new ciphertexts start with `vault:v<N+1>:`). */
  rotateTransitKey(name: string, mount?: string): void;
  /** Stops listening and closes every connection. Idempotent. */
  stop(): Promise<void>;
}

/** Starts an emulator. Resolves once it listens. */
export async function startVaultEmulator(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
  const knobs: Knobs = { ...defaultKnobs(), ...options.knobs, faults: [...(options.knobs?.faults ?? [])] };
  const tokens = new TokenStore();
  const rootToken = options.rootToken ?? newTokenId();
  tokens.issue({ id: rootToken, namespace: '', path: 'auth/token/root', policies: ['root'], ttlSeconds: 0, maxTtlSeconds: 0, renewable: false });
  const appRole = AppRoleMount.role(options.approle);
  const kubeRole = KubernetesMount.role(options.kubernetes);
  const specs = options.mounts ?? DEFAULT_MOUNTS;
  const namespaceNames = ['', ...(options.namespaces ?? []).map((n) => n.split('/').filter(Boolean).join('/'))];
  const namespaces = new Map<string, NamespaceMounts>();
  for (const ns of namespaceNames) {
    const mounts: NamespaceMounts = { secrets: [], auth: [] };
    for (const spec of specs) {
      const path = spec.path.split('/').filter(Boolean).join('/');
      if (spec.type === 'kv') mounts.secrets.push(spec.version === 1 ? new KvV1Mount(path) : new KvV2Mount(path));
      if (spec.type === 'transit') {
        const transit = new TransitMount(path);
        for (const key of options.transitKeys ?? ['kes']) transit.createKey(key);
        mounts.secrets.push(transit);
      }
      if (spec.type === 'approle') mounts.auth.push(new AppRoleMount(path, appRole));
      if (spec.type === 'kubernetes') mounts.auth.push(new KubernetesMount(path, kubeRole));
    }
    namespaces.set(ns, mounts);
  }
  const state: RouterState = { namespaces, tokens, knobs, clusterId: randomUUID() };
  const log = new RequestLog();
  const http = createHttpServer((req, res) => void serve(state, log, req, res));
  const tlsOption = options.tls === undefined || options.tls === false ? undefined : options.tls === true ? {} : options.tls;
  const tls = tlsOption ? await generateTls() : undefined;
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket) => {
    if (knobs.outage) return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    serveWithListVerb(http, socket);
  };
  let listener: Server;
  if (tls && tlsOption) {
    const requireClientCert = tlsOption.requireClientCert === true;
    listener = createTlsServer(
      { cert: tls.server.certPem, key: tls.server.keyPem, ca: [tls.ca.certPem], requestCert: requireClientCert, rejectUnauthorized: requireClientCert },
      onSocket,
    );
    listener.on('tlsClientError', () => undefined);
    listener.on('connection', (socket: Socket) => {
      if (knobs.outage) socket.destroy();
    });
  } else {
    listener = createNetServer(onSocket);
  }
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = listener.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const firstMount = (type: string, fallback: string) => specs.find((s) => s.type === type)?.path ?? fallback;
  let stopped: Promise<void> | undefined;
  return {
    address: `${tls ? 'https' : 'http'}://${host}:${port}`,
    rootToken,
    approle: { mount: firstMount('approle', 'approle'), roleId: appRole.roleId, secretId: [...appRole.secretIds][0]! },
    kubernetes: { mount: firstMount('kubernetes', 'kubernetes'), role: kubeRole.name },
    namespaces: namespaceNames.slice(1),
    tls,
    knobs,
    requests: log,
    seal: (sealed = true) => void (knobs.sealed = sealed),
    expireTokens: () => tokens.expireAll([rootToken]),
    revokeToken: (token) => tokens.revoke(token),
    revokeSecretId: (secretId) => appRole.secretIds.delete(secretId),
    issueSecretId: () => {
      const id = randomUUID();
      appRole.secretIds.add(id);
      return id;
    },
    addKubernetesKey: (key) => void kubeRole.keys.push(typeof key === 'string' ? createPublicKey(key) : key),
    rotateTransitKey: (name, mount = firstMount('transit', 'transit')) => {
      for (const ns of namespaces.values()) for (const m of ns.secrets) if (m instanceof TransitMount && m.path === mount) m.rotate(name);
    },
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        listener.close(() => resolve());
        for (const s of sockets) s.destroy();
      })),
  };
}

async function serve(state: RouterState, log: RequestLog, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  let answer: Answer;
  try {
    const body = await readJsonBody(req);
    if (state.knobs.latencyMs > 0) await new Promise((r) => setTimeout(r, state.knobs.latencyMs));
    answer = await route(state, {
      method,
      url,
      namespaceHeader: header(req, 'x-vault-namespace'),
      tokenHeader: header(req, 'x-vault-token'),
      body,
    });
  } catch (err) {
    answer = err instanceof BodyError ? err.answer : { status: 500, body: { errors: [`internal error: ${(err as Error).message}`] } };
  }
  const parsed = new URL(url, 'http://emulator');
  log.add({ method: methodLabel(method, parsed.searchParams), path: parsed.pathname, namespace: header(req, 'x-vault-namespace') ?? '', status: answer.status });
  if (answer.body === undefined || method === 'HEAD') {
    res.writeHead(answer.status, { 'Cache-Control': 'no-store' }).end();
    return;
  }
  res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(answer.body));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
