/**
 * `kpat proxy` off the live view: a line per fault injected (plain text or NDJSON), and the
 * counters as a summary when it stops. Both read the proxy's event stream and stats.
 */
import type {FaultPlan, ProxyEvent, ProxyStats} from '../kafka/proxy/index.js';

type FaultEvent = Extract<ProxyEvent, {type: 'fault'}>;

export function faultLine(e: FaultEvent): string {
  const what = e.fault === 'delay' ? `delay ${e.delayMs}ms` : e.fault;
  const request = e.api === null ? 'every connection' : `${e.api} #${e.correlationId}`;
  return `${what.padEnd(14)} ${request} (connection ${e.connection})`;
}

export function planText(plan: FaultPlan): string {
  const parts: string[] = [];
  if (plan.dropResponses) parts.push(`drop ${plan.dropResponses.probability} of responses`);
  if (plan.delayMs !== undefined) parts.push(typeof plan.delayMs === 'number' ? `delay ${plan.delayMs}ms` : `delay ${plan.delayMs.min}-${plan.delayMs.max}ms`);
  if (plan.cutProbability !== undefined) parts.push(`cut ${plan.cutProbability} of requests`);
  return parts.length === 0 ? 'no faults' : parts.join(', ');
}

export function summaryLines(stats: ProxyStats): string[] {
  const requests = Object.entries(stats.requests)
    .sort(([, a], [, b]) => b - a)
    .map(([api, n]) => `${api} ${n}`)
    .join(', ');
  return [
    `connections: ${stats.connectionsOpened} (${stats.connectionsCut} cut)`,
    `requests: ${requests || 'none'}`,
    `responses dropped: ${stats.responsesDropped}, delayed: ${stats.responsesDelayed}`,
  ];
}

export const summaryJson = (stats: ProxyStats) => ({type: 'proxy-summary', ...stats});
