/** Metrics of the dead-letter and retry-ladder patterns, from their PatternEvents (which carry topic and group). */
import type {PatternEvent} from '../events.js';
import {rule} from './counters.js';

const TG = ['topic', 'group'] as const;

export const DEAD_LETTER_METRICS = [
  rule<PatternEvent, 'handled'>('handled', {
    name: 'kpat_pattern_records_handled_total',
    help: 'Records the handler processed successfully (on the source topic or a retry rung).',
    labelNames: TG,
    labels: (e) => ({topic: e.record.topic, group: e.group}),
  }),
  rule<PatternEvent, 'attempt-failed'>('attempt-failed', {
    name: 'kpat_pattern_attempts_failed_total',
    help: 'Handler attempts that threw, by whether the error is retryable.',
    labelNames: [...TG, 'retryable'],
    labels: (e) => ({topic: e.record.topic, group: e.group, retryable: String(e.retryable)}),
  }),
  rule<PatternEvent, 'retry-scheduled'>('retry-scheduled', {
    name: 'kpat_pattern_retried_total',
    help: 'Records sent to a retry rung, by rung (the retry topic).',
    labelNames: [...TG, 'rung'],
    labels: (e) => ({topic: e.record.topic, group: e.group, rung: e.retryTopic}),
  }),
  rule<PatternEvent, 'dead-lettered'>('dead-lettered', {
    name: 'kpat_pattern_dead_lettered_total',
    help: 'Records sent to the dead-letter topic, by reason (deserialization, validation, non-retryable, retries-exhausted).',
    labelNames: [...TG, 'reason', 'dlt_topic'],
    labels: (e) => ({topic: e.record.topic, group: e.group, reason: e.reason, dlt_topic: e.dltTopic}),
  }),
  rule<PatternEvent, 'skipped'>('skipped', {
    name: 'kpat_pattern_records_skipped_total',
    help: 'Records the participant\'s filter refused (committed past, never handled).',
    labelNames: TG,
    labels: (e) => ({topic: e.record.topic, group: e.group}),
  }),
];
