/**
 * Starting and stopping the auxiliary servers (login over HTTPS, managed identity and admin over plain HTTP).
 * Handler failures become 500 answers; malformed HTTP closes the socket; nothing crashes the process.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { sendJson } from './http-util.js';

/** A request handler that may reject. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** A started server. */
export interface Listener {
  port: number;
  /** Closes the listener and every open connection. */
  close(): Promise<void>;
}

function guard(handler: Handler, onError?: (e: unknown) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    req.on('error', () => undefined);
    handler(req, res).catch((e: unknown) => {
      onError?.(e);
      sendJson(res, 500, { error: 'server_error', error_description: 'The emulator failed to process the request.' });
    });
  };
}

async function start(server: HttpServer, host: string, port: number): Promise<Listener> {
  server.on('clientError', (_e, socket) => socket.destroy());
  server.on('connection', (s) => s.on('error', () => undefined));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Starts a plain-HTTP server on `host:port` (0 = any free port). */
export function listenHttp(handler: Handler, host: string, port: number, onError?: (e: unknown) => void): Promise<Listener> {
  return start(createHttpServer(guard(handler, onError)), host, port);
}

/** Starts an HTTPS server with the given certificate on `host:port` (0 = any free port). */
export function listenHttps(
  handler: Handler,
  tls: { certPem: string; keyPem: string },
  host: string,
  port: number,
  onError?: (e: unknown) => void,
): Promise<Listener> {
  const server = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, guard(handler, onError));
  server.on('tlsClientError', () => undefined);
  return start(server, host, port);
}
