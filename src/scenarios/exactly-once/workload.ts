import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {prng} from '../../core/random.js';
import {RUN_HEADER, runHeaders} from '../run-log.js';
import {headerText} from '../../patterns/headers.js';
import type {EosScenario} from './schema.js';

export interface Payment {
  paymentId: string;
  account: string;
  amount: number;
}

/** Payment i of a run: deterministic for a seed. */
export function payment(s: EosScenario, runId: string, i: number): Payment {
  const rand = prng(s.workload.seed * 7919 + i);
  return {paymentId: `p-${runId}-${i}`, account: `acct-${Math.floor(rand() * s.workload.accounts)}`, amount: Math.round((5 + rand() * 495) * 100) / 100};
}

/**
 * Payment i goes to partition i mod P, so where every payment sits (and so
 * which unit of work a fault lands in) follows from the seed alone.
 */
export function paymentMessage(s: EosScenario, runId: string, i: number): OutgoingMessage {
  const p = payment(s, runId, i);
  return {topic: s.topics.input, partition: i % s.partitions, key: p.paymentId, value: JSON.stringify(p), headers: runHeaders(s.name, runId)};
}

/** The transform every pipeline runs: a payment becomes a ledger entry keyed by account, entryId = paymentId. */
export function ledgerEntry(outputTopic: string) {
  return (r: ConsumedRecord): OutgoingMessage[] => {
    const p = JSON.parse(r.value?.toString('utf8') ?? '{}') as Payment;
    const runId = headerText(r, RUN_HEADER) ?? '';
    return [{topic: outputTopic, key: p.account, value: JSON.stringify({entryId: p.paymentId, account: p.account, amount: p.amount}), headers: {[RUN_HEADER]: runId}}];
  };
}
