/**
 * One lock per database file, shared by every Kysely instance of this process. Two managers of
 * one process never race each other for SQLite's write lock: they queue here, in order, while
 * other processes are waited for by the driver's asynchronous retries (sqlite-driver.ts).
 * @module
 */

interface FileLock {
  tail: Promise<void>;
  users: number;
}

const locks = new Map<string, FileLock>();

/**
 * Waits until no other holder in this process uses `file`, then returns the release function.
 * @example
 * const release = await lockFile("/data/jobcache.db");
 * try { ... } finally { release(); }
 */
export async function lockFile(file: string): Promise<() => void> {
  let lock = locks.get(file);
  if (lock === undefined) {
    lock = { tail: Promise.resolve(), users: 0 };
    locks.set(file, lock);
  }
  const held = lock;
  held.users += 1;
  const previous = held.tail;
  let release!: () => void;
  held.tail = new Promise<void>((resolve) => {
    release = resolve;
  });
  await previous;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.users -= 1;
    if (held.users === 0 && locks.get(file) === held) locks.delete(file);
    release();
  };
}
