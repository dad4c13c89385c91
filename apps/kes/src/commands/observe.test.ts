import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const TTY = { KES_FORCE_TTY: '1', NO_COLOR: '1' };
const kes = (argv: string[], env: Record<string, string> = {}) => runCli(argv, { env: { ...t.env, ...env } });

describe('kes status', () => {
  it('JSON (the SDK State) when piped; endpoint, version, uptime, latency, OS, CPUs, memory on a terminal', async () => {
    const json = JSON.parse((await kes(['status'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ version: '2025-01-01T00-00-00Z', os: process.platform, num_cpu: expect.any(Number), mem_heap_used: expect.any(Number), keystore_latency: expect.any(Number) });
    const human = (await kes(['status'], TTY)).stdout;
    expect(human).toMatch(new RegExp(`^● ${t.endpoint.replace(/\./g, '\\.')}\n {2}Version {2}2025-01-01T00-00-00Z\n {2}Uptime {3}\\d+ seconds\n {2}Latency {2}\\d+ms\n {2}OS {7}${process.platform}\n {2}CPUs {5}\\d+ \\S+\n {2}Memory\n {2}· Heap {3}[\\d.]+ [kMG]?B\n {2}· Stack {2}[\\d.]+ [kMG]?B\n {2}Keystore \\d+ms latency\n$`));
    expect((await kes(['status', '-s'], TTY)).stdout).toBe(`● ${t.endpoint}\n`);
  });

  it('--api lists routes (table on a terminal, SDK API JSON otherwise)', async () => {
    const apis = JSON.parse((await kes(['status', '--api', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(apis).toContainEqual({ method: 'PUT', path: '/v1/key/create/', timeout: 15 });
    expect(apis).toContainEqual({ method: 'GET', path: '/v1/log/audit' });
    const human = (await kes(['status', '--api'], TTY)).stdout;
    expect(human).toMatch(/\n {2}Method {2}API {26}Timeout\n/);
    expect(human).toMatch(/\n {2}PUT {5}\/v1\/key\/create\/ {14}15s\n/);
    expect(human).toMatch(/\n {2}GET {5}\/v1\/log\/audit {16}Inf\n/);
  });
});

describe('kes metric', () => {
  it('prints one SDK Metric JSON per scrape when piped', async () => {
    const r = await kes(['metric', '--count', '2', '--rate', '100ms']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ kes_http_request_success: expect.any(Number), kes_system_num_cpu: expect.any(Number), kes_http_response_time: expect.any(Object) });
  });

  it('redraws the live table in place on a terminal', async () => {
    const r = await kes(['metric', '--count', '3', '--rate', '100ms'], TTY);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\u001b[?25l')).toBe(true);
    expect(r.stdout.endsWith('\u001b[?25h')).toBe(true);
    expect(r.stdout.match(/\u001b\[7F\u001b\[J/g)).toHaveLength(2); // two redraws over the 7-line table
    expect(r.stdout.match(/Request {7}OK \[2xx\]/g)).toHaveLength(3);
    expect(r.stdout).toMatch(/^System {13}UpTime/m);
  });

  it('--json forces JSON lines on a terminal too', async () => {
    const r = await kes(['metric', '--count', '1', '--json'], TTY);
    expect(Object.keys(JSON.parse(r.stdout) as object)).toContain('kes_http_request_success');
  });

  it('stops cleanly when interrupted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await runCli(['metric', '--rate', '100ms'], { env: t.env, signal: controller.signal });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(1);
  });
});

describe('kes log', () => {
  async function follow(argv: string[], env: Record<string, string>, action: () => Promise<unknown>, until: (out: string) => boolean, maxMs = 3000) {
    const controller = new AbortController();
    const run = runCli(argv, {
      env: { ...t.env, ...env },
      signal: controller.signal,
      onStdout: (_chunk, all) => {
        if (until(all)) controller.abort();
      },
    });
    await new Promise((r) => setTimeout(r, 300)); // let the subscription start, then make events

    await action();
    const timer = setTimeout(() => controller.abort(), maxMs);
    const result = await run;
    clearTimeout(timer);
    return result;
  }

  it('audit: ndjson events when piped, a table on a terminal; Ctrl-C ends it with status 0', async () => {
    const piped = await follow(['log'], {}, () => kes(['key', 'create', 'audited']), (out) => out.includes('/v1/key/create/audited'));
    expect(piped.code).toBe(0);
    const events = piped.stdout.trim().split('\n').map((l) => JSON.parse(l) as { request: { path: string; identity: string }; response: { code: number; time: number } });
    const event = events.find((e) => e.request.path === '/v1/key/create/audited');
    expect(event).toMatchObject({ time: expect.any(String), request: { ip: '127.0.0.1', identity: t.admin.identity }, response: { code: 200, time: expect.any(Number) } });

    const table = await follow(['log', '--audit'], TTY, () => kes(['key', 'info', 'missing-key']), (out) => out.includes('missing-key'));
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Time {5}Status Identity IP {14}API {30}Latency\n/);
    expect(table.stdout).toMatch(new RegExp(`\\n\\d\\d:\\d\\d:\\d\\d 404 {4}${t.admin.identity.slice(0, 7)}  127\\.0\\.0\\.1 +/v1/key/describe/missing-key +\\S+\\n`));
  });

  it('--error: one {"message"} per line when piped, plain messages on a terminal', async () => {
    // A client that speaks no TLS makes the server log a handshake error.
    const garbage = () =>
      new Promise<void>((resolve) => {
        const socket = connect(t.server.port, '127.0.0.1', () => socket.end('GET / HTTP/1.1\r\n\r\n'));
        socket.on('close', () => resolve()).on('error', () => resolve());
      });
    const r = await follow(['log', '--error'], {}, garbage, (out) => out.includes('\n'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(['message']);
    const tty = await follow(['log', '--error'], TTY, garbage, (out) => out.includes('\n'));
    expect((JSON.parse(lines[0]!) as { message: string }).message).toMatch(/level=/);
    expect(tty.stdout.split('\n')[0]).toMatch(/^time=\S+ level=\w+ /);
  });

  it('a forbidden subscription fails with one line', async () => {
    const r = await kes(['log'], { KES_API_KEY: t.reader.toString() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: failed to subscribe to the audit log: prohibited by policy/);
  });
});
