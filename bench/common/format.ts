/** A figure with `digits` decimals, or '–' for one that was not measured (NaN, ±Infinity). */
export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '–';
}

/** `fixed`, right-aligned in `width` characters. */
export function column(n: number, digits = 1, width = 7): string {
  return fixed(n, digits).padStart(width);
}
