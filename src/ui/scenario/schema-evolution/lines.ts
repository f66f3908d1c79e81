import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {ConsumerCounts, EvolutionKindEvent, NamedViolation} from '../../../scenarios/schema-evolution/events.js';

/** A violation in words: its kind, then the registry's description of it (not the whole JSON-like message). */
export function violationText(v: NamedViolation): string {
  const description = /description:'(.*?)'(?:, additionalInfo|\})/.exec(v.message)?.[1];
  return `${v.kind}${description ? ` — ${description}` : ''}`;
}

export function consumerText(version: string, c: ConsumerCounts): string {
  const parts = [`read ${c.read}`];
  if (c.defaulted > 0) parts.push(`${c.defaulted} with defaults`);
  if (c.unreadable > 0) parts.push(`${c.unreadable} unreadable`);
  return `${version} ${parts.join(', ')}`;
}

/** The plain line for the scenario's own events (null for the periodic counts). */
export function evolutionLine(e: ScenarioEvent<EvolutionKindEvent>): string | null {
  switch (e.type) {
    case 'evolution-step':
      return `step ${e.version}: ${e.description}`;
    case 'evolution-compatibility':
      return `subject ${e.subject}: compatibility ${e.level}`;
    case 'evolution-registration': {
      const surprise = e.outcome === e.expected ? '' : ` — UNEXPECTED: the scenario expected it ${e.expected}`;
      if (e.outcome === 'accepted') return `${e.version} registered under ${e.level}: subject version ${e.registryVersion}, schema id ${e.id}${surprise}`;
      return `${e.version} refused under ${e.level} (409): ${e.violations.map(violationText).join('; ') || 'no violation named'}${surprise}`;
    }
    case 'evolution-unreadable':
      return `the ${e.reader} consumer cannot read ${e.writer} records (first at ${e.partition}@${e.offset}): ${e.reason}`;
    default:
      return null;
  }
}
