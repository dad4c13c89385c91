import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../http/types.js';
import { LineSink } from '../testing/harness.js';
import { ServerMetrics } from '../metrics/metrics.js';
import { AuditLog } from './audit-log.js';
import { ErrorLog } from './error-log.js';
import { LogLevel, levelName } from './levels.js';
import { LogHub, MAX_PENDING_LINES } from './log-hub.js';
import { formatLocalTime, formatTextRecord } from './slog-text.js';

class FakeRes extends EventEmitter {
  written: string[] = [];
  writableEnded = false;
  destroyed = false;
  headersSent = true;
  accept = true;
  write(data: string) {
    this.written.push(data);
    return this.accept;
  }
  end() {
    this.writableEnded = true;
    this.emit('close');
  }
}
const asRes = (r: FakeRes) => r as unknown as HttpResponse;

describe('levelName', () => {
  it('names levels like slog', () => {
    expect([-4, -5, -3, 0, 2, 4, 8, 9].map(levelName)).toEqual(['DEBUG', 'DEBUG-1', 'DEBUG+1', 'INFO', 'INFO+2', 'WARN', 'ERROR', 'ERROR+1']);
  });
});

describe('formatTextRecord', () => {
  it('writes slog text lines with quoting where needed', () => {
    const d = new Date(2024, 0, 12, 10, 39, 20, 886);
    const line = formatTextRecord(d, LogLevel.ERROR, 'failed to read key', [
      ['req.path', '/v1/key/describe/k'],
      ['req.identity', ''],
      ['err', 'a b="c"'],
      ['skipped', undefined],
    ]);
    expect(line).toBe(`time=${formatLocalTime(d)} level=ERROR msg="failed to read key" req.path=/v1/key/describe/k req.identity="" err="a b=\\"c\\""`);
    expect(formatLocalTime(d)).toMatch(/^2024-01-12T10:39:20\.886(Z|[+-]\d\d:\d\d)$/);
  });
});

describe('LogHub', () => {
  it('fans out lines to every subscriber until it closes', () => {
    const hub = new LogHub();
    const a = new FakeRes();
    const b = new FakeRes();
    hub.subscribe(asRes(a));
    const leaveB = hub.subscribe(asRes(b));
    expect(hub.publish('one')).toBe(2);
    leaveB();
    expect(hub.publish('two')).toBe(1);
    a.emit('close');
    expect(hub.publish('three')).toBe(0);
    expect(a.written).toEqual(['one\n', 'two\n']);
    expect(b.written).toEqual(['one\n']);
  });

  it('drops a subscriber that stops reading', () => {
    const hub = new LogHub();
    const slow = new FakeRes();
    slow.accept = false;
    hub.subscribe(asRes(slow));
    for (let i = 0; i < MAX_PENDING_LINES + 5; i++) hub.publish(`l${i}`);
    expect(slow.writableEnded).toBe(true);
    expect(hub.size).toBe(0);
  });
});

describe('AuditLog and ErrorLog', () => {
  const time = { seconds: 1_705_055_960n, nanos: 886_816_000 };

  it('formats audit events as JSON with nanosecond durations and no ip when unknown', () => {
    expect(AuditLog.format({ time, ip: undefined, path: '/v1/key/create/<k>', identity: 'ab', status: 403, durationNs: 12106n })).toBe(
      '{"time":"2024-01-12T10:39:20.886816Z","request":{"path":"/v1/key/create/\\u003ck\\u003e","identity":"ab"},"response":{"code":403,"time":12106}}',
    );
  });

  it('writes audit events to stdout only at level INFO or below, and always to subscribers', () => {
    const out = new LineSink();
    const metrics = new ServerMetrics(performance.now());
    const audit = new AuditLog(new LogHub(), out, LogLevel.INFO, metrics);
    const sub = new FakeRes();
    audit.hub.subscribe(asRes(sub));
    const rec = { time, ip: '1.2.3.4', path: '/p', identity: 'x', status: 200, durationNs: 1n };
    audit.log(rec);
    audit.level = LogLevel.OFF;
    audit.log(rec);
    audit.flush(); // stdout lines are batched for a few milliseconds
    expect(out.lines).toHaveLength(1);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ request: { ip: '1.2.3.4' } });
    expect(sub.written).toHaveLength(2);
  });

  it('filters error records by level and streams them as {"message": line}', async () => {
    const err = new LineSink();
    const metrics = new ServerMetrics(performance.now());
    const log = new ErrorLog(new LogHub(), err, LogLevel.WARN, metrics);
    const sub = new FakeRes();
    log.hub.subscribe(asRes(sub));
    log.info('not shown');
    log.error('shown', [['req.path', '/x']]);
    expect(err.lines).toHaveLength(1);
    expect(err.lines[0]).toMatch(/ level=ERROR msg=shown req\.path=\/x$/);
    expect(sub.written).toHaveLength(1);
    expect(JSON.parse(sub.written[0]!)).toEqual({ message: err.lines[0] });
    expect(await metrics.exposition()).toMatch(/^kes_log_error_events 1$/m);
  });
});
