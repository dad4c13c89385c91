import { describe, expect, it } from 'vitest';
import { HeldReloads } from './held-reloads.js';

/** A fake signal source: `fire()` is a SIGHUP. */
function source() {
  const listeners = new Set<() => void>();
  return { subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)), fire: () => listeners.forEach((l) => l()), count: () => listeners.size };
}

describe('HeldReloads', () => {
  it('holds requests made before anyone subscribed and passes them on as one', () => {
    const signals = source();
    const held = new HeldReloads(signals.subscribe);
    expect(signals.count()).toBe(1); // the signal is taken at once: its default action would end the process
    signals.fire();
    signals.fire();
    let reloads = 0;
    const off = held.onReload(() => reloads++);
    expect(reloads).toBe(1);
    signals.fire();
    expect(reloads).toBe(2);
    off();
    signals.fire();
    expect(reloads).toBe(2);
    held.close();
    expect(signals.count()).toBe(0);
  });

  it('passes nothing on when nothing was asked before the subscription', () => {
    const signals = source();
    const held = new HeldReloads(signals.subscribe);
    let reloads = 0;
    held.onReload(() => reloads++);
    expect(reloads).toBe(0);
    held.close();
  });
});
