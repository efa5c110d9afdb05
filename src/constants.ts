/**
 * The longest lease a ticket may ask for: 5 minutes, as TRAC. A longer lease would let a crashed
 * holder block a job for longer than an operator would wait before stepping in; use
 * `renewTicket` (heartbeats) for longer work.
 */
export const MAX_TICKET_DURATION_MS = 300_000;

/** Longest key, cache name and status accepted (characters). */
export const MAX_NAME_LENGTH = 256;
