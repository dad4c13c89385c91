import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenStore, usableIn } from './tokens.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const issue = (store: TokenStore, ttl: number, max = 0, renewable = true) =>
  store.issue({ namespace: 'ns1', path: 'auth/approle/login', policies: ['default'], ttlSeconds: ttl, maxTtlSeconds: max, renewable });

describe('TokenStore', () => {
  it('expires tokens on the clock', () => {
    const store = new TokenStore();
    const t = issue(store, 10);
    expect(t.id).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
    vi.advanceTimersByTime(9_999);
    expect(store.lookup(t.id)).toBeDefined();
    vi.advanceTimersByTime(1);
    expect(store.lookup(t.id)).toBeUndefined();
  });

  it('renews by the creation TTL or an increment, capped by max TTL with Vault\'s warning', () => {
    const store = new TokenStore();
    const t = issue(store, 10, 15);
    vi.advanceTimersByTime(5_000);
    expect(store.renew(t.id, 0)).toMatchObject({ leaseSeconds: 10 });
    vi.advanceTimersByTime(5_000);
    const capped = store.renew(t.id, 0);
    expect(capped).toMatchObject({ leaseSeconds: 5, warning: 'TTL of "10s" exceeded the effective max_ttl of "5s"; TTL value is capped accordingly' });
    vi.advanceTimersByTime(5_000);
    expect(store.lookup(t.id)).toBeUndefined();
    expect(store.renew(t.id, 0)).toBe('invalid');
  });

  it('refuses to renew non-renewable and never-expiring tokens', () => {
    const store = new TokenStore();
    expect(store.renew(issue(store, 10, 0, false).id, 0)).toBe('not-renewable');
    expect(store.renew(issue(store, 0).id, 0)).toBe('not-renewable');
  });

  it('expireAll keeps the listed tokens; usableIn follows the namespace tree', () => {
    const store = new TokenStore();
    const keep = issue(store, 0);
    const gone = issue(store, 10);
    expect(store.expireAll([keep.id])).toBe(1);
    expect(store.lookup(keep.id)).toBeDefined();
    expect(store.lookup(gone.id)).toBeUndefined();
    expect(usableIn('', 'ns1/team')).toBe(true);
    expect(usableIn('ns1', 'ns1/team')).toBe(true);
    expect(usableIn('ns1/team', 'ns1')).toBe(false);
    expect(usableIn('ns1', 'ns10')).toBe(false);
  });
});
