/**
 * Raised inside an operation when a compare-and-set lost a race that a fresh attempt can win
 * (another process inserted the lease row first). Internal: never leaves the store; after the
 * last retry it becomes `ECacheUnavailable`.
 * @module
 */
export class RetryableConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryableConflict";
  }
}
