import type { WriteStream } from "node:tty";

/**
 * A one-line progress bar redrawn in place on a terminal, and nothing at all elsewhere (logs and
 * pipes get the final report only). Redraws at most every 100 ms.
 */
export class ProgressBar {
  #lastDraw = 0;
  #drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream & Partial<Pick<WriteStream, "isTTY" | "columns">>,
    private readonly total: number,
  ) {}

  get enabled(): boolean {
    return this.out.isTTY === true;
  }

  update(done: number, detail: string, force = false): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (!force && now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    const width = 30;
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const filled = Math.round(ratio * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const line = `${bar} ${done}/${this.total} jobs  ${detail}`;
    // some terminals (and pipes dressed as one) report 0 columns: that means unknown, not none
    const columns = this.out.columns || 100;
    // \x1b[K clears the rest of the line: a shorter line leaves nothing of the longer one before
    this.out.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
    this.#drawn = true;
  }

  /** Ends the bar's line so the report starts on a fresh one. */
  finish(): void {
    if (this.#drawn) this.out.write("\n");
    this.#drawn = false;
  }
}
