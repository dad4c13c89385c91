import type { ConfigPath, KeystoreConfigResult } from '@kes/core';
import { BlockChecker } from './block-check.js';

/**
 * What spec §6.3 says about each upstream keystore block, as data: used to validate a block whose backend package is
 * not part of this build (so that a config is fully checked before the start fails with "not available").
 */
export type FieldSpec =
  | { readonly type: 'string'; readonly required?: boolean; readonly hint?: string; readonly oneOf?: readonly string[] }
  | { readonly type: 'list' }
  | { readonly type: 'duration' }
  | { readonly type: 'block'; readonly required?: boolean; readonly fields: Readonly<Record<string, FieldSpec>> };

type Fields = Readonly<Record<string, FieldSpec>>;

const str = (required = false, hint?: string): FieldSpec => ({ type: 'string', required, ...(hint ? { hint } : {}) });
const block = (fields: Fields, required = false): FieldSpec => ({ type: 'block', required, fields });
const ENDPOINT = str(true, "set it to the service's URL");
const TLS_CA = block({ ca: str() });

/**
 * Field specs of the upstream blocks (spec §6.3), keyed by block path. The full rules of `azure.keyvault` (one error for
 * empty credentials, both authentication blocks) live in its package, @kes/keystore-azure-keyvault.
 */
export const SPEC_BLOCKS: Readonly<Record<string, Fields>> = {
  fs: { path: str(true, 'set it to the directory that holds the keys, e.g. ./keys') },
  'azure.keyvault': {
    endpoint: str(true, "set it to the vault's URL, e.g. https://<vault-name>.vault.azure.net"),
    credentials: block({ tenant_id: str(true), client_id: str(true), client_secret: str(true) }),
    managed_identity: block({ client_id: str(true, "set it to the managed identity's client ID") }),
  },
  memory: {},
  vault: {
    endpoint: str(true, "set it to the Vault server's URL, e.g. https://vault.example.com:8200"),
    engine: str(),
    version: { type: 'string', oneOf: ['v1', 'v2'] },
    namespace: str(),
    prefix: str(),
    transit: block({ engine: str(), key: str(true, 'set it to the name of the transit key that encrypts stored keys') }),
    approle: block({ engine: str(), namespace: str(), id: str(true, 'set it to the AppRole role ID'), secret: str(true, 'set it to the AppRole secret ID') }),
    kubernetes: block({ engine: str(), namespace: str(), role: str(), jwt: str(true, 'set it to the service account JWT or to a file containing it') }),
    tls: block({ key: str(), cert: str(), ca: str() }),
    status: block({ ping: { type: 'duration' } }),
  },
  'fortanix.sdkms': {
    endpoint: ENDPOINT,
    group_id: str(),
    credentials: block({ key: str(true, 'set it to the Fortanix SDKMS application API key') }, true),
    tls: TLS_CA,
  },
  'gemalto.keysecure': {
    endpoint: ENDPOINT,
    credentials: block({ token: str(true, 'set it to the KeySecure refresh token'), domain: str() }, true),
    tls: TLS_CA,
  },
  'gcp.secretmanager': {
    project_id: str(true, 'set it to the ID of the GCP project that holds the secrets'),
    endpoint: str(),
    scopes: { type: 'list' },
    credentials: block({ client_email: str(), client_id: str(), private_key_id: str(), private_key: str() }),
  },
  'aws.secretsmanager': {
    endpoint: str(true, 'set it to the Secrets Manager endpoint, e.g. secretsmanager.us-east-2.amazonaws.com'),
    region: str(true, 'set it to the AWS region, e.g. us-east-2'),
    kmskey: str(),
    credentials: block({ accesskey: str(), secretkey: str(), token: str() }),
  },
  'entrust.keycontrol': {
    endpoint: ENDPOINT,
    vault_id: str(true, 'set it to the KeyControl vault ID'),
    box_id: str(true, 'set it to the KeyControl box ID or name'),
    credentials: block({ username: str(true, 'set it to the KeyControl user name'), password: str(true, 'set it to the password') }, true),
    tls: TLS_CA,
  },
  kes: { endpoint: { type: 'list' }, enclave: str(), tls: block({ cert: str(), key: str(), ca: str() }) },
};

/**
 * Validates `block` against the spec fields of `name` plus the block's cross-field rules (Vault: exactly one of
 * `approle`/`kubernetes`, TLS key and cert together). Returns the plain block as config. Never throws.
 */
export function validateSpecBlock(name: string, block: unknown): KeystoreConfigResult<unknown> {
  const c = new BlockChecker(block);
  if (block !== null && block !== undefined) c.object([]);
  checkFields(c, [], SPEC_BLOCKS[name] ?? {});
  if (name === 'vault') {
    const methods = ['approle', 'kubernetes'].filter((m) => c.has([m]));
    if (methods.length === 0) {
      c.problem([], 'no authentication method: one of approle or kubernetes is required', "add an 'approle' block (id, secret) or a 'kubernetes' block (role, jwt)");
    } else if (methods.length > 1) {
      c.problem([], "both 'approle' and 'kubernetes' are given", 'keep one authentication method and delete the other block', [['approle'], ['kubernetes']]);
    }
    const key = c.string(['tls', 'key']);
    const cert = c.string(['tls', 'cert']);
    if ((key === '') !== (cert === '')) {
      c.problem(['tls'], 'tls.key and tls.cert must be given together', 'set both the client key and certificate for Vault, or neither');
    }
  }
  return c.result(block ?? {});
}

// --- Internal helpers ---

function checkFields(c: BlockChecker, path: ConfigPath, fields: Fields): void {
  for (const [field, spec] of Object.entries(fields)) {
    const p = [...path, field];
    switch (spec.type) {
      case 'string':
        c.string(p, spec);
        break;
      case 'list':
        c.strings(p);
        break;
      case 'duration':
        c.durationMs(p);
        break;
      case 'block': {
        const present = c.has(p) && c.raw(p) !== null;
        if (present) c.object(p);
        if (present || spec.required === true) checkFields(c, p, spec.fields);
      }
    }
  }
}
