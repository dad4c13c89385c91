import { describe, expect, it } from 'vitest';
import type { PreparedReload, RunningServer } from '../launch/run-server.js';
import type { ReloadKind } from '../reload/reload-queue.js';
import type { ToPrimary } from './messages.js';
import { WorkerReloads } from './worker-reloads.js';

/** A running server whose reloads only record what happens to them. */
function fakeServer(fail?: { prepare?: string; apply?: string }) {
  const events: string[] = [];
  let n = 0;
  const running = {
    prepareReload: async (kind: ReloadKind, text?: string, note?: (line: string) => void): Promise<PreparedReload> => {
      const id = ++n;
      events.push(`prepare ${id} ${kind} ${text ?? '-'}`);
      note?.('Warning: something\n');
      if (fail?.prepare !== undefined) throw new Error(fail.prepare);
      return {
        apply: async () => {
          events.push(`apply ${id}`);
          if (fail?.apply !== undefined) throw new Error(fail.apply);
        },
        discard: async () => void events.push(`discard ${id}`),
      };
    },
  } as unknown as RunningServer;
  return { running, events };
}

function setup(fail?: { prepare?: string; apply?: string }) {
  const sent: ToPrimary[] = [];
  const server = fakeServer(fail);
  const reloads = new WorkerReloads(Promise.resolve(server.running), (m) => sent.push(m));
  return { reloads, sent, events: server.events };
}

describe('WorkerReloads', () => {
  it('prepares (passing the text and collecting the lines), acknowledges, applies only when told, acknowledges again', async () => {
    const { reloads, sent, events } = setup();
    await reloads.prepare({ kes: 'reload', id: 7, kind: 'config', text: 'T' });
    expect(events).toEqual(['prepare 1 config T']);
    expect(sent).toEqual([{ kes: 'reload-ack', id: 7, phase: 'prepare', lines: ['Warning: something\n'] }]);
    await reloads.apply(7);
    expect(events).toEqual(['prepare 1 config T', 'apply 1']);
    expect(sent.at(-1)).toEqual({ kes: 'reload-ack', id: 7, phase: 'apply' });
  });

  it('reports a failed prepare or apply with its message; an apply of nothing prepared is an error too', async () => {
    const bad = setup({ prepare: 'invalid TLS config: key values mismatch' });
    await bad.reloads.prepare({ kes: 'reload', id: 1, kind: 'tls' });
    expect(bad.sent).toEqual([{ kes: 'reload-ack', id: 1, phase: 'prepare', lines: ['Warning: something\n'], error: 'invalid TLS config: key values mismatch' }]);
    await bad.reloads.apply(1);
    expect(bad.sent.at(-1)).toEqual({ kes: 'reload-ack', id: 1, phase: 'apply', error: 'reload 1 was not prepared here' });

    const failing = setup({ apply: 'server is closed' });
    await failing.reloads.prepare({ kes: 'reload', id: 2, kind: 'config', text: 'T' });
    await failing.reloads.apply(2);
    expect(failing.sent.at(-1)).toEqual({ kes: 'reload-ack', id: 2, phase: 'apply', error: 'server is closed' });
  });

  it('drops what was prepared when told, when the next reload comes, and when the worker stops', async () => {
    const { reloads, sent, events } = setup();
    await reloads.prepare({ kes: 'reload', id: 1, kind: 'config', text: 'A' });
    await reloads.drop(1);
    await reloads.prepare({ kes: 'reload', id: 2, kind: 'config', text: 'B' });
    await reloads.prepare({ kes: 'reload', id: 3, kind: 'config', text: 'C' }); // reload 2 timed out at the primary
    await reloads.close();
    expect(events).toEqual(['prepare 1 config A', 'discard 1', 'prepare 2 config B', 'discard 2', 'prepare 3 config C', 'discard 3']);
    const count = sent.length;
    await reloads.prepare({ kes: 'reload', id: 4, kind: 'config', text: 'D' });
    await reloads.apply(3);
    expect(sent).toHaveLength(count);
  });

  it('answers with an error when the server never ran', async () => {
    const sent: ToPrimary[] = [];
    const reloads = new WorkerReloads(Promise.reject(new Error('the server is not running')), (m) => sent.push(m));
    await reloads.prepare({ kes: 'reload', id: 1, kind: 'config', text: 'T' });
    expect(sent).toEqual([{ kes: 'reload-ack', id: 1, phase: 'prepare', lines: [], error: 'the server is not running' }]);
  });
});
