import type {ScenarioEvent} from '../../../scenarios/events.js';
import type {ConsumerCounts, EvolutionKindEvent, NamedViolation} from '../../../scenarios/schema-evolution/events.js';

/**
 * A violation in parts short enough for a terminal line: the field it is about,
 * the version it breaks against, and what is wrong — from kpat's wording
 * ("… (version 2) at field 'priority': field priority is new …") or Confluent's (additionalInfo).
 */
export function violationParts(v: NamedViolation): {field?: string; against?: string; detail: string} {
  const description = /description:'(.*?)'(?:, additionalInfo|\})/.exec(v.message)?.[1] ?? v.message;
  const atField = /at field '([^']+)': (.*)$/.exec(description);
  return {
    field: atField?.[1] ?? /additionalInfo:'([^']*)'/.exec(v.message)?.[1],
    against: /\(version (\d+)\)/.exec(description)?.[1],
    detail: atField?.[2] ?? description,
  };
}

/** A violation in words: its kind, the field and the version it breaks against, then what is wrong. */
export function violationText(v: NamedViolation): string {
  const p = violationParts(v);
  return `${v.kind}${p.field ? ` at ${p.field}` : ''}${p.against ? ` vs version ${p.against}` : ''}${p.detail ? `: ${p.detail}` : ''}`;
}

/** "v2 216 (150 defaulted)", "v4 66 (150 unreadable)": what a consumer version read. */
export function consumerText(version: string, c: ConsumerCounts): string {
  const notes = [...(c.defaulted > 0 ? [`${c.defaulted} defaulted`] : []), ...(c.unreadable > 0 ? [`${c.unreadable} unreadable`] : [])];
  return `${version} ${c.read}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
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
