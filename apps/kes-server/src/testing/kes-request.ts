/** Test support (not part of the app build): one HTTPS request with a client certificate. */
import { request } from 'node:https';

/** A client certificate and key (PEM). */
export interface ClientCert {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Sends one request to `https://127.0.0.1:port` presenting `client` (the server's certificate is not verified). */
export function kesRequest(port: number, method: string, path: string, client: ClientCert, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, cert: client.certPem, key: client.keyPem, rejectUnauthorized: false, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
