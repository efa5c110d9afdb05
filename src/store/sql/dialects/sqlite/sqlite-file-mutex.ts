/**
 * One lock per database file, shared by every Kysely instance of this process. better-sqlite3 is
 * synchronous: if two managers of one process held transactions on one file, the second
 * `BEGIN IMMEDIATE` would block the event loop in SQLite's busy handler while the first, needing
 * the event loop to finish, could never commit. Queuing them in process avoids that deadlock;
 * other processes wait in the busy handler as usual.
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
