/**
 * Number formats of the report: three significant digits, since the run-to-run spread of any
 * figure here is larger than that.
 * @module
 */

/** `x` with three significant digits, without exponent: 0.0213, 1.93, 12.4, 153, 4210. */
export function significant(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return x.toFixed(Math.min(digits, 6));
}

/** A count that is usually whole: `6`, else three significant digits (`6.20`). */
export function count(x: number): string {
  return Number.isInteger(x) ? String(x) : significant(x);
}

/** A ratio: `12.4×`. */
export function times(x: number): string {
  return `${significant(x)}×`;
}

/** Calls per second from a median call time in microseconds, rounded to three digits. */
export function perSecond(medianUs: number): string {
  const rate = 1e6 / medianUs;
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(rate)) - 2);
  return (Math.round(rate / magnitude) * magnitude).toLocaleString("en-US");
}

/** Bytes as KiB or MiB with three significant digits. */
export function bytes(n: number): string {
  if (Math.abs(n) >= 2 ** 20) return `${significant(n / 2 ** 20)} MiB`;
  return `${significant(n / 2 ** 10)} KiB`;
}
