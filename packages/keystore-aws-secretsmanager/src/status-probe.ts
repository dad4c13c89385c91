import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';

/**
 * KES's AWS status check (spec aws-vault.md §1.2): a plain `GET <endpoint>`; any HTTP answer, whatever its status,
 * means "reachable". The response body is never read: the response is destroyed as soon as its head arrived, so no
 * connection leaks (upstream issue #445). Honors `NODE_EXTRA_CA_CERTS` for private CAs.
 *
 * @returns the round-trip latency in milliseconds.
 * @throws the transport error (refused, reset, DNS, TLS) or the signal's reason when `signal` aborts first.
 */
export function probeEndpoint(endpoint: string, signal: AbortSignal): Promise<number> {
  signal.throwIfAborted();
  const url = new URL(endpoint);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    let req: ClientRequest | undefined = undefined;
    const onAbort = () => {
      req?.destroy();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    req = send(url, { method: 'GET', agent: false, headers: { 'user-agent': 'kes-ts status probe' } }, (res: IncomingMessage) => {
      done();
      res.destroy();
      resolve(performance.now() - started);
    });
    req.on('error', (err) => {
      done();
      reject(err);
    });
    req.end();
  });
}
