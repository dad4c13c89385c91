import type { NetworkInterfaceInfo } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderEndpoints, parseEndpoints, rankEndpoint } from './endpoints.js';
import { isKesClientError } from './errors.js';

describe('parseEndpoints', () => {
  it('splits on commas, trims, strips http:// and prepends https://', () => {
    expect(parseEndpoints(' 127.0.0.1:7373 , http://kes-1:7373,https://kes-2:7373/ ')).toEqual([
      'https://127.0.0.1:7373',
      'https://kes-1:7373',
      'https://kes-2:7373',
    ]);
  });

  it('accepts arrays, drops empty parts and duplicates, keeps IPv6 brackets', () => {
    expect(parseEndpoints(['a:1,', '', 'a:1', '[::1]:7373'])).toEqual(['https://a:1', 'https://[::1]:7373']);
  });

  it('keeps the default port implicit', () => {
    expect(parseEndpoints('kes.example.com')).toEqual(['https://kes.example.com']);
    expect(parseEndpoints('https://kes.example.com:443')).toEqual(['https://kes.example.com']);
  });

  it('rejects empty lists, paths, credentials and garbage with CONFIG', () => {
    for (const bad of ['', ' , ', 'https://a:1/v1', 'https://u:p@a:1', 'a:99999', 'https://a?x=1']) {
      let caught: unknown;
      try {
        parseEndpoints(bad);
      } catch (err) {
        caught = err;
      }
      expect(isKesClientError(caught, 'CONFIG'), bad).toBe(true);
    }
  });

  it('returns only https URLs without path, or throws CONFIG (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          return parseEndpoints(s).every((e) => /^https:\/\/[^/?#]+$/.test(e));
        } catch (err) {
          return isKesClientError(err, 'CONFIG');
        }
      }),
    );
  });
});

describe('rankEndpoint / orderEndpoints', () => {
  const iface = (address: string, cidr: string, family: 'IPv4' | 'IPv6' = 'IPv4'): NetworkInterfaceInfo =>
    ({ address, cidr, family, netmask: '', mac: '', internal: false, scopeid: 0 }) as NetworkInterfaceInfo;
  const interfaces = { eth0: [iface('10.1.2.3', '10.1.2.3/24')], eth1: [iface('fd00::5', 'fd00::5/64', 'IPv6')] };

  it('ranks this host first, local networks second, the rest last', () => {
    expect(rankEndpoint('https://localhost:7373', interfaces)).toBe(0);
    expect(rankEndpoint('https://127.0.0.1:7373', interfaces)).toBe(0);
    expect(rankEndpoint('https://[::1]:7373', interfaces)).toBe(0);
    expect(rankEndpoint('https://10.1.2.3:7373', interfaces)).toBe(0);
    expect(rankEndpoint('https://10.1.2.200:7373', interfaces)).toBe(1);
    expect(rankEndpoint('https://[fd00::9]:7373', interfaces)).toBe(1);
    expect(rankEndpoint('https://10.1.3.1:7373', interfaces)).toBe(2);
    expect(rankEndpoint('https://kes.example.com:7373', interfaces)).toBe(2);
  });

  it('sorts stably by rank', () => {
    expect(orderEndpoints(['https://kes-a:1', 'https://127.0.0.1:2', 'https://kes-b:3', 'https://localhost:4'])).toEqual([
      'https://127.0.0.1:2',
      'https://localhost:4',
      'https://kes-a:1',
      'https://kes-b:3',
    ]);
  });
});
