/**
 * Timers, injected like the clock so tests move time instead of waiting. The shape is XState's
 * `Clock` timer half, so the same object drives the machine's delays (`createActor(m, { clock })`),
 * the renewal backoff, and XState's `SimulatedClock` fits it in tests.
 * @module
 */

/** Schedules and cancels callbacks. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * The process timers, `unref`'d: a heartbeat or a backoff never keeps a process alive by
 * itself; the work and the store's connections do that while they matter.
 */
export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/**
 * Resolves after `ms` on `timers`; rejects with the signal's reason as soon as it aborts, and
 * clears its timer either way, so an abandoned wait leaves nothing scheduled.
 */
export function sleep(ms: number, timers: Timers, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
