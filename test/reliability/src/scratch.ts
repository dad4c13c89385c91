import { connect, constants } from 'node:http2';
import { createWorkspace, ok, startFsServer } from './support/fixture.js';
import { LoadGenerator } from './support/load-generator.js';

const ws = await createWorkspace('scratch');
const srv = await startFsServer(ws);
for (const k of ['a', 'b']) await ok(srv.call('POST', `/v1/key/create/${k}`));
const load = await LoadGenerator.start({ endpoints: [ws.endpoint(srv.kes)], protocol: 'h2', concurrency: 4, ratePerSec: 40, timeoutMs: 2000, mix: { dek: 1 }, keys: ['a', 'b'], seed: 1 });
await new Promise((r) => setTimeout(r, 1000));
await load.snapshot();
const before = await srv.kes.figures({ gc: true });
const t0 = performance.now();
let sent = 0, sessions = 0, goaways: Record<string, number> = {};
while (performance.now() - t0 < 5000) {
  sessions++;
  const s = connect(srv.kes.url, { ca: ws.tls.certPem, cert: ws.admin.certPem, key: ws.admin.keyPem });
  s.on('error', () => undefined);
  s.on('goaway', (c) => (goaways[c] = (goaways[c] ?? 0) + 1));
  await new Promise((r) => s.once('connect', r));
  for (let i = 0; i < 2000 && !s.destroyed && !s.closed; i++) {
    try {
      const st = s.request({ ':method': 'POST', ':path': '/v1/key/generate/a' }, { endStream: false });
      st.on('error', () => undefined);
      st.close(constants.NGHTTP2_CANCEL);
      sent++;
    } catch { break; }
    if (i % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 50));
  s.destroy();
}
const legit = await load.snapshot();
const after = await srv.kes.figures({ gc: true });
console.log({ sent, sessions, goaways, legit: { req: legit.requests, errors: legit.errors, p99: legit.latency.p99, max: legit.latency.max }, cpu: 'n/a', heapBefore: before.heapUsed, heapAfter: after.heapUsed, fds: [before.fds, after.fds], lag: after.delay });
console.log(srv.kes.stderr().slice(-1500));
await load.stop();
await srv.stop();
ws.dispose();
