import { connect } from 'node:http2';
import { createWorkspace, ok, startFsServer } from './support/fixture.js';

const ws = await createWorkspace('scratch');
const srv = await startFsServer(ws, { log: { error: 'debug' } });
await ok(srv.call('POST', '/v1/key/create/k'));
const session = connect(srv.kes.url, { ca: ws.tls.certPem, cert: ws.admin.certPem, key: ws.admin.keyPem });
session.on('error', (e) => console.log('session error', e.message));
const t0 = performance.now();
const at = (s: string) => console.log(Math.round(performance.now() - t0), s);
const stream = session.request({ ':method': 'POST', ':path': '/v1/key/encrypt/k', 'content-type': 'application/json' }, { endStream: false });
let written = 0;
stream.on('response', (h) => at(`response ${h[':status']}`));
stream.on('data', (d) => at(`data ${d.length}`));
stream.on('end', () => at('end'));
stream.on('error', (e) => at(`error ${e.message}`));
stream.on('close', () => at(`close rst=${stream.rstCode} written=${written}`));
const chunk = Buffer.alloc(64 * 1024, 0x41);
const pump = () => {
  while (written < 50 * 1024 * 1024 && !stream.destroyed && !stream.closed) {
    written += chunk.length;
    if (!stream.write(chunk)) return void stream.once('drain', pump);
  }
  if (!stream.destroyed) stream.end();
};
pump();
await new Promise((r) => setTimeout(r, Number(process.argv[2] ?? 5000)));
at(`state: closed=${stream.closed} destroyed=${stream.destroyed} written=${written} bufferSize=${stream.bufferSize}`);
console.log(srv.kes.stderr().slice(-3000));
session.destroy();
await srv.stop();
ws.dispose();
