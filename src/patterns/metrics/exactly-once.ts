/** Metrics of the exactly-once processor, from its ProcessorEvents (bound to the input topic and group). */
import type {ProcessorEvent} from '../exactly-once/events.js';
import {rule} from './counters.js';

const TG = ['topic', 'group'] as const;

export const EXACTLY_ONCE_METRICS = [
  rule<ProcessorEvent, 'record-processed'>('record-processed', {
    name: 'kpat_pattern_eos_records_processed_total',
    help: 'Input records transformed (a record done again after an abort counts again).',
    labelNames: TG,
    labels: () => ({}),
  }),
  rule<ProcessorEvent, 'transaction-committed'>('transaction-committed', {
    name: 'kpat_pattern_eos_units_total',
    help: 'Units of work (transactions, or produce-then-commit units) by outcome.',
    labelNames: [...TG, 'outcome', 'cause'],
    labels: () => ({outcome: 'committed', cause: ''}),
  }),
  rule<ProcessorEvent, 'transaction-aborted'>('transaction-aborted', {
    name: 'kpat_pattern_eos_units_total',
    help: 'Units of work (transactions, or produce-then-commit units) by outcome.',
    labelNames: [...TG, 'outcome', 'cause'],
    labels: (e) => ({outcome: 'aborted', cause: e.cause}),
  }),
  rule<ProcessorEvent, 'fenced'>('fenced', {
    name: 'kpat_pattern_eos_fenced_total',
    help: 'Times an instance was fenced by another holder of its transactional id.',
    labelNames: TG,
    labels: () => ({}),
  }),
];
