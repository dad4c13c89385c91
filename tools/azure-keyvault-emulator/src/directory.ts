/**
 * The emulated Entra ID directory: one tenant, its app registrations (client id + secret) and its managed
 * identities. Ids are GUIDs generated per emulator unless given.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EMULATOR_RESOURCE_GROUP, EMULATOR_SUBSCRIPTION } from './constants.js';

/** An app registration usable with the client-credentials grant. */
export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  /** Object id of its service principal (the token's `oid`). */
  objectId: string;
}

/** A managed identity reachable through IMDS or the App Service endpoint. */
export interface ManagedIdentity {
  clientId: string;
  objectId: string;
  /** ARM resource id (`msi_res_id` / `mi_res_id` selectors). */
  resourceId: string;
  /** The identity used when a request names none. */
  systemAssigned: boolean;
}

/** The whole directory. */
export interface Directory {
  tenantId: string;
  apps: AppRegistration[];
  managedIdentities: ManagedIdentity[];
}

/** Options of {@link createDirectory}; everything left out is generated. */
export interface DirectoryOptions {
  tenantId?: string;
  /** The primary app; more can be added with `extraApps`. */
  clientId?: string;
  clientSecret?: string;
  extraApps?: Array<{ clientId: string; clientSecret: string; objectId?: string }>;
  /** Client id of the user-assigned managed identity. */
  managedIdentityClientId?: string;
}

/** A client secret shaped like Entra's (40 characters, `~` in position 4). */
export function generateClientSecret(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_';
  const bytes = randomBytes(39);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 3).join('')}8Q~${chars.slice(3, 37).join('')}`;
}

/**
 * Builds the directory: one primary app, any extra apps, one user-assigned and one system-assigned identity.
 * @returns a fresh mutable directory.
 */
export function createDirectory(opts: DirectoryOptions = {}): Directory {
  const tenantId = opts.tenantId ?? randomUUID();
  const rg = `/subscriptions/${EMULATOR_SUBSCRIPTION}/resourcegroups/${EMULATOR_RESOURCE_GROUP}`;
  return {
    tenantId,
    apps: [
      { clientId: opts.clientId ?? randomUUID(), clientSecret: opts.clientSecret ?? generateClientSecret(), objectId: randomUUID() },
      ...(opts.extraApps ?? []).map((a) => ({ clientId: a.clientId, clientSecret: a.clientSecret, objectId: a.objectId ?? randomUUID() })),
    ],
    managedIdentities: [
      {
        clientId: opts.managedIdentityClientId ?? randomUUID(),
        objectId: randomUUID(),
        resourceId: `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kes-emulator-identity`,
        systemAssigned: false,
      },
      {
        clientId: randomUUID(),
        objectId: randomUUID(),
        resourceId: `${rg}/providers/Microsoft.Web/sites/kes-emulator`,
        systemAssigned: true,
      },
    ],
  };
}

/** The managed identity selected by a request's `client_id` / `object_id` / resource id, or the system one. */
export function findManagedIdentity(
  dir: Directory,
  sel: { clientId?: string | null; objectId?: string | null; resourceId?: string | null },
): ManagedIdentity | undefined {
  if (sel.clientId) return dir.managedIdentities.find((m) => m.clientId.toLowerCase() === sel.clientId?.toLowerCase());
  if (sel.objectId) return dir.managedIdentities.find((m) => m.objectId.toLowerCase() === sel.objectId?.toLowerCase());
  if (sel.resourceId) return dir.managedIdentities.find((m) => m.resourceId.toLowerCase() === sel.resourceId?.toLowerCase());
  return dir.managedIdentities.find((m) => m.systemAssigned);
}
