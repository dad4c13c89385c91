/**
 * Fixed facts about Azure Key Vault and Entra ID that the emulator reproduces
 * (source: shared/spec/azure-keyvault.md §2–§4).
 */

/** The resource (audience) Key Vault tokens are issued for; the challenge advertises it. */
export const KEY_VAULT_RESOURCE = 'https://vault.azure.net';

/** The Key Vault first-party application id, also accepted as token audience (as the real service does). */
export const KEY_VAULT_APP_ID = 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093';

/** Audiences a vault accepts in a bearer token. */
export const KEY_VAULT_AUDIENCES: readonly string[] = [KEY_VAULT_RESOURCE, `${KEY_VAULT_RESOURCE}/`, KEY_VAULT_APP_ID];

/**
 * Api-versions the secrets API accepts (§2.1): 7.0–7.6, 2025-07-01 (JS 4.11 default) and the previews seen in
 * real recordings. Anything else is answered with `400 BadParameter`.
 */
export const SUPPORTED_API_VERSIONS: readonly string[] = [
  '2016-10-01',
  '7.0',
  '7.1',
  '7.1-preview',
  '7.2',
  '7.2-preview',
  '7.3',
  '7.3-preview',
  '7.4',
  '7.4-preview.1',
  '7.5',
  '7.5-preview.1',
  '7.6',
  '7.6-preview.1',
  '7.6-preview.2',
  '2025-07-01',
  '2026-03-01-preview',
];

/** The version named as "latest supported" in the unknown-api-version message. */
export const LATEST_API_VERSION = '2025-07-01';

/** Maximum size of a secret value, in characters (§1.2; real error: `SecretTooLarge`). */
export const MAX_SECRET_VALUE_LENGTH = 25_600;

/** Maximum `contentType` length (§1.2). */
export const MAX_CONTENT_TYPE_LENGTH = 255;

/** Maximum number of tags, and characters per tag name or value (§1.2). */
export const MAX_TAGS = 15;
/** Maximum characters of one tag name or value. */
export const MAX_TAG_LENGTH = 512;

/** Largest request body the emulator reads; larger bodies get `413` without being buffered. */
export const MAX_REQUEST_BODY_BYTES = 256 * 1024;

/** Default and maximum page size of list operations (§2.3). */
export const MAX_PAGE_SIZE = 25;

/** The region reported in headers and in access-denied messages. */
export const EMULATOR_REGION = 'local';

/** Fake subscription and resource group used in RBAC messages. */
export const EMULATOR_SUBSCRIPTION = '00000000-0000-0000-0000-0000000000e1';
/** Fake resource group used in RBAC messages. */
export const EMULATOR_RESOURCE_GROUP = 'kes-emulator';

/** `x-ms-keyvault-service-version` header value. */
export const EMULATOR_SERVICE_VERSION = '1.9.0.0-emulator';
