import type {Health} from '../../kafka/health.js';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * The last `width` values as bars from their minimum to their maximum, so the direction
 * shows even when lag moves little compared to its size; a flat series is a flat line.
 */
export function sparkline(values: readonly number[], width: number): string {
  const shown = values.slice(-width);
  const min = Math.min(...shown);
  const range = Math.max(...shown) - min;
  const flat = BARS[shown.some((v) => v > 0) ? 3 : 0]!;
  return shown.map((v) => (range === 0 ? flat : BARS[Math.round(((v - min) / range) * (BARS.length - 1))])).join('');
}

/** Records per second: one decimal below 100, then whole numbers, then k and M. */
export function formatRate(perSecond: number): string {
  if (perSecond < 100) return perSecond.toFixed(1);
  if (perSecond < 10_000) return perSecond.toFixed(0);
  if (perSecond < 1_000_000) return `${(perSecond / 1000).toFixed(1)}k`;
  return `${(perSecond / 1_000_000).toFixed(1)}M`;
}

export const HEALTH_COLOR: Record<Health, string> = {OK: 'green', WARN: 'yellow', STALL: 'red', STOP: 'red', REWIND: 'magenta'};

/** Cuts `text` to `width` cells, marking the cut with an ellipsis. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}
