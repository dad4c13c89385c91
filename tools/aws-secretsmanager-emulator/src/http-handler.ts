import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, AwsErrors } from './aws-error.js';
import { parseInput, type Input } from './input.js';
import type { Knobs, Operation, Outage } from './knobs.js';
import { HANDLERS, MUTATING, operationOf } from './operations.js';
import { redact, type RequestLog } from './request-log.js';
import type { SecretStore } from './secret-store.js';
import { verifySigV4, type KnownSecret } from './sigv4.js';

/** Largest request body the emulator reads (a secret is at most 64 KiB, base64 adds a third). */
const MAX_BODY_BYTES = 1 << 20;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** What the request handler works with; owned by the emulator. */
export interface HandlerDeps {
  readonly store: SecretStore;
  readonly knobs: Knobs;
  readonly log: RequestLog;
  /** Looks up a secret access key (and its session token) by access key id. */
  readonly lookup: (accessKeyId: string) => KnownSecret | undefined;
  readonly verifySignatures: boolean;
  readonly outage: () => Outage;
  /** Registers a response that is never answered (outage `hang`), so stop() can end it. */
  readonly hang: (res: ServerResponse) => void;
  /** Told about unexpected errors (bugs), which are answered as `InternalServiceError`. */
  readonly onError?: (err: unknown) => void;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, now: number, status: number, body: object, errorCode?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    date: new Date(now).toUTCString(),
    ...(errorCode !== undefined ? { 'x-amzn-errortype': errorCode } : {}),
  });
  res.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Serves one HTTP request like Secrets Manager's awsJson1.1 endpoint (spec aws-vault.md §2.1–2.3): `POST /` routed
 * by `X-Amz-Target`, SigV4 verified, then the fault knobs (denied operations, throttling, 500s), then the operation.
 * Answers 200 with the output shape, or the error shape with `x-amzn-ErrorType`. Any other method gets a 404 (KES's
 * status probe only needs *an* answer). Outages reset or hold the connection. Never throws.
 */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, deps: HandlerDeps): Promise<void> {
  const { knobs } = deps;
  const now = () => Date.now() + knobs.clockSkewMs;
  const first = (name: string) => req.headersDistinct[name]?.[0];
  const target = first('x-amz-target');
  const operation = operationOf(target);
  const attempt = first('amz-sdk-request');
  const entry = { method: req.method ?? '', operation: operation ?? target, ...(attempt ? { attempt } : {}) };
  let input: Input | undefined;
  const reply = (status: number, body: object, errorCode?: string) => {
    deps.log.add({ time: now(), ...entry, status, ...(errorCode ? { errorCode } : {}), ...(input ? { input: redact(input) } : {}) });
    send(res, now(), status, body, errorCode);
  };
  const fail = (err: AwsError) => reply(err.status, { __type: err.code, Message: err.message }, err.code);
  const drop = () => {
    deps.log.add({ time: now(), ...entry, status: 0, ...(input ? { input: redact(input) } : {}) });
    req.socket.destroy();
  };

  const body = await readBody(req).catch(() => undefined);
  if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
  const outage = deps.outage();
  if (outage === 'reset' || outage === 'refused') return drop();
  if (outage === 'hang') return deps.hang(res);
  if (body === undefined) return fail(AwsErrors.serialization(`The request body is larger than ${MAX_BODY_BYTES} bytes.`));
  if (req.method !== 'POST') return reply(404, { __type: 'UnknownOperationException', Message: 'Not Found' }, 'UnknownOperationException');

  try {
    if (deps.verifySignatures) {
      verifySigV4(
        { method: req.method, url: req.url ?? '/', headers: req.headersDistinct, body },
        deps.lookup,
        { region: deps.store.region, service: 'secretsmanager', now: now() },
      );
    }
    if (operation === undefined) throw AwsErrors.unknownOperation();
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/x-amz-json-1.')) throw AwsErrors.serialization(`Unsupported content type '${contentType}'.`);
    input = parseInput(body);
    if (knobs.deniedOperations.includes(operation)) throw AwsErrors.accessDenied(deps.store.accountId, operation);
    if (knobs.throttleNext > 0) {
      knobs.throttleNext--;
      throw AwsErrors.throttling();
    }
    if (knobs.failNext > 0) {
      knobs.failNext--;
      throw AwsErrors.internal();
    }
    const output = run(operation, input, deps, now());
    if (MUTATING.has(operation) && knobs.lostResponses > 0) {
      knobs.lostResponses--;
      return drop();
    }
    reply(200, output);
  } catch (err) {
    if (!(err instanceof AwsError)) deps.onError?.(err);
    fail(err instanceof AwsError ? err : AwsErrors.internal());
  }
}

function run(operation: Operation, input: Input, deps: HandlerDeps, now: number): object {
  deps.store.sweep(now);
  return HANDLERS[operation](input, { store: deps.store, knobs: deps.knobs, now });
}
