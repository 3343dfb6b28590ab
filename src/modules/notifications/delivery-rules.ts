/** How long a claimed message is left to its worker before another may take it (longer than any send can take). */
export const CLAIM_LEASE_MS = 10 * 60_000;

/** Messages that are done (sent, cancelled, dead) are kept this long for staff to look at, then deleted: they hold an address. */
export const FINISHED_MESSAGE_RETENTION_MS = 30 * 24 * 3_600_000;

/** Wait before attempt n + 1 after n failed: 1 min, 4 min, 16 min, about 1 h, about 4 h, then 6 h. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(6 * 3_600_000, 60_000 * 4 ** Math.max(0, failedAttempts - 1));
}

/**
 * A transport's error as it may be stored and shown to staff: without e-mail addresses or phone
 * numbers (servers quote the recipient), on one line, at most 500 characters.
 */
export function safeError(error: unknown): string {
  const raw = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return (
    raw
      .replace(/[^\s<>()"',;:]+@[^\s<>()"',;:]+/g, '[address]')
      .replace(/\+?\d[\d ()-]{6,}\d/g, '[number]')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 500) || 'unknown error'
  );
}
