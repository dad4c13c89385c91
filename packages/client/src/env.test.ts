import { describe, expect, it } from 'vitest';
import { clientConfigFromEnv } from './env.js';
import { isKesClientError } from './errors.js';

function configError(env: Record<string, string>, overrides = {}): string {
  try {
    clientConfigFromEnv(env, overrides);
  } catch (err) {
    if (isKesClientError(err, 'CONFIG')) return err.message;
    throw err;
  }
  throw new Error('expected a CONFIG error');
}

describe('clientConfigFromEnv', () => {
  it('defaults the endpoint to 127.0.0.1:7373', () => {
    expect(clientConfigFromEnv({ KES_API_KEY: 'kes:v1:x' })).toEqual({
      endpoints: ['https://127.0.0.1:7373'],
      apiKey: 'kes:v1:x',
    });
  });

  it('takes the first variable that is set, in the documented order', () => {
    const env = {
      MINIO_KMS_KES_ENDPOINT: 'c:3',
      KES_SERVER: 'b:2',
      MINIO_KES_SERVER: 'a:1',
      MINIO_KMS_KES_API_KEY: 'k3',
      KES_API_KEY: 'k2',
    };
    expect(clientConfigFromEnv(env)).toEqual({ endpoints: ['https://a:1'], apiKey: 'k2' });
    expect(clientConfigFromEnv({ KES_SERVER: 'b:2', MINIO_KMS_KES_ENDPOINT: 'c:3', MINIO_KMS_KES_API_KEY: 'k3' })).toEqual({
      endpoints: ['https://b:2'],
      apiKey: 'k3',
    });
  });

  it('reads the Azure-tutorial variables (KES_SERVER, KES_CLIENT_CERT, KES_CLIENT_KEY)', () => {
    expect(
      clientConfigFromEnv({ KES_SERVER: 'https://127.0.0.1:7373', KES_CLIENT_CERT: 'client.crt', KES_CLIENT_KEY: 'client.key' }),
    ).toEqual({ endpoints: ['https://127.0.0.1:7373'], certFile: 'client.crt', keyFile: 'client.key' });
    expect(
      clientConfigFromEnv({ MINIO_KES_CERT_FILE: 'a.crt', MINIO_KES_CLIENT_CERT: 'b.crt', MINIO_KES_CLIENT_KEY: 'b.key' }),
    ).toEqual({ endpoints: ['https://127.0.0.1:7373'], certFile: 'a.crt', keyFile: 'b.key' });
  });

  it('handles comma-separated endpoints and http:// like the CLI', () => {
    expect(clientConfigFromEnv({ KES_SERVER: 'http://a:1, b:2', KES_API_KEY: 'k' }).endpoints).toEqual([
      'https://a:1',
      'https://b:2',
    ]);
  });

  it('lets overrides win over the environment', () => {
    const env = { KES_SERVER: 'a:1', KES_CLIENT_CERT: 'c', KES_CLIENT_KEY: 'k' };
    expect(clientConfigFromEnv(env, { server: 'z:9' }).endpoints).toEqual(['https://z:9']);
    expect(clientConfigFromEnv({ KES_SERVER: 'a:1' }, { apiKey: 'key' })).toEqual({ endpoints: ['https://a:1'], apiKey: 'key' });
  });

  it('treats a set but empty variable as set (it shadows later ones) and as not given', () => {
    expect(configError({ MINIO_KES_API_KEY: '', KES_API_KEY: 'k' })).toBe(
      'no API key specified. Consider setting MINIO_KES_API_KEY',
    );
  });

  it('fails with the CLI messages', () => {
    expect(configError({})).toBe('no API key specified. Consider setting MINIO_KES_API_KEY');
    expect(configError({ KES_API_KEY: 'k', KES_CLIENT_KEY: 'x' })).toBe(
      'API key and private key file cannot be used at the same time',
    );
    expect(configError({ KES_API_KEY: 'k', KES_CLIENT_CERT: 'x' })).toBe(
      'API key and certificate file cannot be used at the same time',
    );
    expect(configError({ KES_CLIENT_KEY: 'x' })).toBe('no certificate file specified. Consider setting MINIO_KES_CERT_FILE');
    expect(configError({ KES_CLIENT_CERT: 'x' })).toBe('no private key file specified. Consider setting MINIO_KES_KEY_FILE');
    expect(configError({ KES_SERVER: ' , ', KES_API_KEY: 'k' })).toBe("'MINIO_KES_SERVER' contains no hosts / IPs");
    expect(configError({ KES_SERVER: 'https://a:1/path', KES_API_KEY: 'k' })).toMatch(/invalid server endpoint/);
  });
});
