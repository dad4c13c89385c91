import { describe, expect, it } from 'vitest';
import { apiUrls, formatBanner, type BannerInfo } from './banner.js';

const info: BannerInfo = {
  version: '1.2.3',
  commit: 'abc',
  license: 'MIT',
  kms: { title: 'Filesystem', description: './keys' },
  listen: { host: '0.0.0.0', port: 7373 },
  adminIdentity: 'disabled',
  log: { errorLevel: 0, auditLevel: 9 },
  mlock: false,
};
const interfaces = () => ['127.0.0.1', '10.0.0.5', '::1'];

describe('formatBanner', () => {
  it('shows what upstream shows: version, runtime, license, KMS, API URLs, docs, admin, logs, mlock', () => {
    const text = formatBanner(info, interfaces);
    expect(text).toContain('Version     1.2.3    commit=abc\n');
    expect(text).toMatch(/^Runtime {5}node v\d/m);
    expect(text).toContain('License     MIT\n');
    expect(text).toContain('KMS         Filesystem: ./keys\n');
    expect(text).toContain('API         · https://127.0.0.1:7373\n            · https://10.0.0.5:7373\n');
    expect(text).toContain('Admin       <disabled>\n');
    expect(text).toContain('Logs        error=stderr level=INFO\n            audit=off\n');
    expect(text).toMatch(/^MLock {7}off: /m);
    expect(text).not.toContain('API Key');
    expect(text.endsWith('=> Server is up and running\n')).toBe(true);
  });

  it('shows an admin identity, the dev API key and how to use it, and an honest --mlock answer', () => {
    const id = 'a'.repeat(64);
    const text = formatBanner({ ...info, listen: { host: '127.0.0.1', port: 1 }, adminIdentity: id, apiKey: 'kes:v1:xyz', mlock: true, log: { errorLevel: 2, auditLevel: -4 } }, interfaces);
    expect(text).toContain(`Admin       ${id}\n`);
    expect(text).toContain('API Key     kes:v1:xyz\n');
    expect(text).toContain('Try it      export KES_SERVER=https://127.0.0.1:1\n            export KES_API_KEY=kes:v1:xyz\n');
    expect(text).toContain('Logs        error=stderr level=INFO+2\n            audit=stdout level=DEBUG\n');
    expect(text).toContain('MLock       requested, but not available: nothing is pinned in RAM.\n');
  });

  it('an uppercase or short identity is shown as <disabled> (it can never match)', () => {
    expect(formatBanner({ ...info, adminIdentity: 'A'.repeat(64) }, interfaces)).toContain('Admin       <disabled>');
  });
});

describe('apiUrls', () => {
  it('lists IPv4 interfaces for 0.0.0.0, every interface for ::, and the host otherwise', () => {
    expect(apiUrls({ host: '0.0.0.0', port: 1 }, interfaces)).toEqual(['https://127.0.0.1:1', 'https://10.0.0.5:1']);
    expect(apiUrls({ host: '::', port: 1 }, interfaces)).toEqual(['https://127.0.0.1:1', 'https://10.0.0.5:1', 'https://[::1]:1']);
    expect(apiUrls({ host: '::1', port: 2 }, interfaces)).toEqual(['https://[::1]:2']);
  });
});
