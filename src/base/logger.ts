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
