/**
 * A time limit on one step of a run. A store that stops answering (a lock never released, a
 * server that hangs) would otherwise leave the run waiting on a promise that never settles, and
 * node would exit with code 13 and no report at all.
 * @module
 */

/** Raised when a step runs past its limit. */
export class BenchTimeout extends Error {
  override readonly name = "BenchTimeout";
}

/** `work`, or a BenchTimeout naming `what` after `ms` milliseconds. */
export async function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeout(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
