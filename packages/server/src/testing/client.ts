/**
 * Minimal HTTPS clients for tests, over HTTP/1.1 (`node:https`, keep-alive agent) and HTTP/2 (`node:http2`), always
 * with the test server's certificate as the only trusted CA and an optional client certificate.
 */
import { connect, constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { Agent, request as httpsRequest } from 'node:https';

/** A client certificate (PEM; `certPem` may be a chain) and its key. */
export interface ClientCert {
  certPem: string;
  keyPem: string;
}

/** A response. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

/** A request. */
export interface TestRequest {
  method?: string;
  /** Sent as is (a string is UTF-8). */
  body?: string | Buffer;
  /** HTTP/1.1: send the body chunked (no Content-Length); HTTP/2: no content-length header either way unless given. */
  chunked?: boolean;
  headers?: Record<string, string | string[]>;
}

/** What every client can do. */
export interface TestClient {
  request(path: string, req?: TestRequest): Promise<TestResponse>;
  close(): void;
}

function response(status: number, headers: IncomingHttpHeaders, body: Buffer): TestResponse {
  const text = body.toString('utf8');
  return { status, headers, body, text, json: () => JSON.parse(text) };
}

/** An HTTP/1.1 client with a keep-alive agent. */
export function h1Client(url: string, ca: string, cert?: ClientCert): TestClient {
  const agent = new Agent({ keepAlive: true, ca, cert: cert?.certPem, key: cert?.keyPem, maxSockets: 4 });
  const { hostname, port } = new URL(url);
  return {
    request(path, req = {}) {
      return new Promise((resolve, reject) => {
        const body = req.body === undefined ? undefined : Buffer.from(req.body);
        const headers: Record<string, string | string[]> = { ...req.headers };
        if (body !== undefined && req.chunked !== true && headers['content-length'] === undefined) {
          headers['content-length'] = String(body.length);
        }
        const r = httpsRequest({ host: hostname, port, path, method: req.method ?? 'GET', agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(response(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
          res.on('error', reject);
        });
        r.on('error', reject);
        if (body !== undefined && req.chunked === true) {
          // several writes so the body really goes out as multiple chunks
          const step = Math.max(1, Math.ceil(body.length / 3));
          for (let i = 0; i < body.length; i += step) r.write(body.subarray(i, i + step));
        } else if (body !== undefined) {
          r.write(body);
        }
        r.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}

/** An HTTP/2 client over one session. */
export function h2Client(url: string, ca: string, cert?: ClientCert): TestClient & { session: ClientHttp2Session } {
  const session = connect(url, { ca, cert: cert?.certPem, key: cert?.keyPem });
  session.on('error', () => undefined);
  return {
    session,
    request(path, req = {}) {
      return new Promise((resolve, reject) => {
        const body = req.body === undefined ? undefined : Buffer.from(req.body);
        const stream = session.request(
          { [constants.HTTP2_HEADER_METHOD]: req.method ?? 'GET', [constants.HTTP2_HEADER_PATH]: path, ...req.headers },
          { endStream: body === undefined },
        );
        let status = 0;
        let headers: IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        stream.on('response', (h) => {
          status = Number(h[':status']);
          headers = h;
        });
        stream.on('data', (c: Buffer) => chunks.push(c));
        const noResponse = () => new Error(`stream closed without a response (code ${stream.rstCode})`);
        stream.on('end', () => (status === 0 ? reject(noResponse()) : resolve(response(status, headers, Buffer.concat(chunks)))));
        stream.on('close', () => {
          if (status === 0) reject(noResponse());
        });
        stream.on('error', reject);
        if (body !== undefined) stream.end(body);
      });
    },
    close() {
      session.close();
    },
  };
}
