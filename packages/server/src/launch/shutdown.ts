/** How a `kes server` announces its stop (one process, or a cluster's primary for all its workers). */

/** The line a stop is announced with: `Received SIGTERM: shutting down` for a signal reason, else `Shutting down`. Never throws. */
export function shutdownLine(stop: AbortSignal): string {
  const reason: unknown = stop.reason;
  return typeof reason === 'string' ? `Received ${reason}: shutting down\n` : 'Shutting down\n';
}
