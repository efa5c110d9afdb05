/** Polls `condition` until it holds: the tests wait on the database, never on a fixed sleep. */
import { setTimeout as delay } from "node:timers/promises";

export async function pollUntil(
  what: string,
  condition: () => Promise<boolean> | boolean,
  { timeoutMs = 20_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await delay(intervalMs);
  }
}
