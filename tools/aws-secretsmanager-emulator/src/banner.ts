import type { SecretsManagerEmulator } from './emulator.js';

/** The human-readable banner: endpoint, region, credentials, and how to point a client or KES at it. */
export function banner(e: SecretsManagerEmulator): string {
  const pad = (s: string) => s.padEnd(16);
  const { accessKeyId, secretAccessKey, sessionToken } = e.credentials;
  return [
    'AWS Secrets Manager emulator is running.',
    `  ${pad('endpoint')}${e.endpoint}`,
    `  ${pad('region')}${e.region}`,
    `  ${pad('access key')}${accessKeyId}`,
    `  ${pad('secret key')}${secretAccessKey}`,
    ...(sessionToken !== undefined ? [`  ${pad('session token')}${sessionToken}`] : []),
    '',
    'AWS CLI / SDK:',
    `  AWS_ENDPOINT_URL_SECRETS_MANAGER=${e.endpoint} AWS_REGION=${e.region} AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey}`,
    'KES config:',
    '  keystore:',
    '    aws:',
    '      secretsmanager:',
    `        endpoint: ${e.endpoint}`,
    `        region: ${e.region}`,
    '        credentials:',
    `          accesskey: ${accessKeyId}`,
    `          secretkey: ${secretAccessKey}`,
    ...(sessionToken !== undefined ? [`          token: ${sessionToken}`] : []),
  ].join('\n');
}
