/**
 * Compatibility levels: which earlier versions a new schema is checked against,
 * in which direction, and what that means for the order of upgrades.
 */
import type avro from 'avsc';
import {resolutionViolations, type Violation} from './avro-resolution.js';

export const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export const isCompatibilityLevel = (v: string): v is CompatibilityLevel => (COMPATIBILITY_LEVELS as readonly string[]).includes(v);

/**
 * backward: the new schema reads data written with the old one.
 * forward: the old schema reads data written with the new one.
 */
export type Direction = 'backward' | 'forward';

export interface EarlierVersion {
  version: number;
  type: avro.Type;
}

export interface LevelViolation extends Violation {
  /** The earlier version it breaks against. */
  version: number;
  direction: Direction;
}

export interface CompatibilityVerdict {
  compatible: boolean;
  level: CompatibilityLevel;
  /** The versions checked, oldest first. */
  checked: number[];
  violations: LevelViolation[];
  upgradeOrder: string;
}

export function directionsOf(level: CompatibilityLevel): Direction[] {
  if (level === 'NONE') return [];
  if (level.startsWith('BACKWARD')) return ['backward'];
  if (level.startsWith('FORWARD')) return ['forward'];
  return ['backward', 'forward'];
}

export const isTransitive = (level: CompatibilityLevel) => level.endsWith('_TRANSITIVE');

/** What a level promises about rolling out a new version. */
export function upgradeOrder(level: CompatibilityLevel): string {
  if (level === 'NONE') return 'no guarantee: stop producers, drain the topic, then upgrade consumers and producers together';
  if (level.startsWith('BACKWARD')) return 'upgrade consumers first, then producers (new readers read old data)';
  if (level.startsWith('FORWARD')) return 'upgrade producers first, then consumers (old readers read new data)';
  return 'upgrade producers and consumers in any order';
}

/**
 * Checks a new schema against the earlier versions the level covers: all of them
 * when transitive, else the latest. `earlier` is oldest first.
 */
export function checkCompatibility(candidate: avro.Type, earlier: EarlierVersion[], level: CompatibilityLevel): CompatibilityVerdict {
  const against = isTransitive(level) ? earlier : earlier.slice(-1);
  const violations: LevelViolation[] = [];
  const directions = directionsOf(level);
  for (const old of directions.length === 0 ? [] : against) {
    for (const direction of directions) {
      const found = direction === 'backward' ? resolutionViolations(candidate, old.type) : resolutionViolations(old.type, candidate);
      for (const v of found) violations.push({...v, version: old.version, direction});
    }
  }
  return {
    compatible: violations.length === 0,
    level,
    checked: directions.length === 0 ? [] : against.map((v) => v.version),
    violations,
    upgradeOrder: upgradeOrder(level),
  };
}

/** One violation as Confluent's verbose compatibility messages phrase it. */
export function violationMessage(v: LevelViolation): string {
  const reader = v.direction === 'backward' ? 'new schema' : `old schema (version ${v.version})`;
  const writer = v.direction === 'backward' ? `old schema (version ${v.version})` : 'new schema';
  const field = v.field ? ` at field '${v.field}'` : '';
  return `{errorType:'${v.kind}', description:'The ${reader} cannot read data written with the ${writer}${field}: ${v.detail}', additionalInfo:'path ${v.path}'}`;
}
