/**
 * TLS material for the HTTPS mode: a private CA generated at start, a server certificate for
 * localhost/127.0.0.1/::1 and a client certificate, both signed by the CA and valid for 30 days.
 */
import { createCa, issueCertificate, type PemPair } from '@kes/emulator-support';

export type { PemPair } from '@kes/emulator-support';

/** The emulator's TLS material. */
export interface EmulatorTls {
  /** The CA that signed both leaves (clients trust `ca.certPem`). */
  readonly ca: PemPair;
  /** The server's certificate (SANs localhost, 127.0.0.1, ::1). */
  readonly server: PemPair;
  /** A client certificate (CN `kes-client`) the server accepts when it requires one. */
  readonly client: PemPair;
}

const VALID_DAYS = 30;

/** Generates a fresh CA and the two leaf certificates (valid from yesterday for 30 days). */
export async function generateTls(): Promise<EmulatorTls> {
  const ca = await createCa({ commonName: 'KES Vault Emulator CA', validDays: VALID_DAYS });
  return {
    ca,
    server: await issueCertificate(ca, { commonName: 'localhost', usage: 'server', names: ['localhost', '127.0.0.1', '::1'], validDays: VALID_DAYS }),
    client: await issueCertificate(ca, { commonName: 'kes-client', usage: 'client', validDays: VALID_DAYS }),
  };
}
