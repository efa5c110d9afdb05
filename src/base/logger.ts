/** Where the cache reports what it does. Messages never contain secrets. */
export interface Logger {
  debug(message: string, facts?: Record<string, unknown>): void;
  info(message: string, facts?: Record<string, unknown>): void;
  warn(message: string, facts?: Record<string, unknown>): void;
  error(message: string, facts?: Record<string, unknown>): void;
}

const noop = (): void => {};

/** The default logger: says nothing. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** The part of a pino logger {@link pinoLogger} uses: pino's `(object, message)` call form. */
export interface PinoLike {
  debug(facts: Record<string, unknown>, message: string): void;
  info(facts: Record<string, unknown>, message: string): void;
  warn(facts: Record<string, unknown>, message: string): void;
  error(facts: Record<string, unknown>, message: string): void;
}

/**
 * A {@link Logger} that writes through pino (or any logger with pino's `(object, message)` calls):
 * the facts become fields of the log record, the message its `msg`.
 * @example
 * import pino from "pino";
 * const manager = await createJobCacheManager(config, { logger: pinoLogger(pino()) });
 */
export function pinoLogger(pino: PinoLike): Logger {
  return {
    debug: (message, facts) => pino.debug(facts ?? {}, message),
    info: (message, facts) => pino.info(facts ?? {}, message),
    warn: (message, facts) => pino.warn(facts ?? {}, message),
    error: (message, facts) => pino.error(facts ?? {}, message),
  };
}
