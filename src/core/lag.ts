/** Consumer lag math, shared by `kpat lag` (src/kafka/groups.ts) and the broker's metrics endpoint: one formula. */

/**
 * Lag of one partition. With a committed offset it is end − committed (Kafka's own
 * definition, as kafka-consumer-groups.sh reports it), never below 0 (a commit past the
 * end, e.g. after the topic was recreated, means nothing to read). Without one, the
 * group would start wherever its reset policy says; kpat counts every retained record
 * (end − start) and flags it, the worst case for a group reading from the beginning.
 */
export function partitionLag(p: {committed: number | null; start: number; end: number}): {lag: number; uncommitted: boolean} {
  if (p.committed === null) return {lag: Math.max(0, p.end - p.start), uncommitted: true};
  return {lag: Math.max(0, p.end - p.committed), uncommitted: false};
}
