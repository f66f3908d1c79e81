import type {ConsumedRecord} from '../../kafka/records.js';
import {DltHeader, headerNumber, headerText, KpatHeader} from '../../patterns/headers.js';
import {SOURCE_HEADER} from './participants/order-processor.js';
import {classify, recordId, sourceIds, standingDeadLetters, type RunData} from './run-data.js';

export type {InvariantResult} from '../report.js';
import type {InvariantResult} from '../report.js';

export interface InvariantContext {
  data: RunData;
  sourceTopic: string;
  group: string;
  headOfLineBoundMs: number;
  resumed: boolean;
}

type Check = (ctx: InvariantContext) => InvariantResult;

const ids = (records: ConsumedRecord[]) => records.map(recordId).filter((id): id is string => id !== null);
const sample = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ` … (+${xs.length - 5})` : '');

const everyRecordAccounted: Check = ({data}) => {
  const handled = new Set(ids(data.output));
  const dead = new Set(ids(standingDeadLetters(data)));
  const all = [...sourceIds(data)];
  const lost = all.filter((id) => !handled.has(id) && !dead.has(id));
  const both = all.filter((id) => handled.has(id) && dead.has(id));
  const ok = lost.length === 0 && both.length === 0;
  return {
    name: 'every-record-accounted',
    ok,
    detail: ok
      ? `all ${all.length} records ended handled (${handled.size}) or dead-lettered (${dead.size}), none both`
      : [lost.length > 0 ? `${lost.length} neither handled nor dead-lettered: ${sample(lost)}` : '', both.length > 0 ? `${both.length} both handled and dead-lettered: ${sample(both)}` : ''].filter(Boolean).join('; '),
  };
};

const poisonPillsDeadLettered: Check = ({data, sourceTopic, group}) => {
  const problems: string[] = [];
  const poison = data.source.filter((r) => classify(r) !== 'good');
  for (const pill of poison) {
    const dead = data.dlt.find((d) => headerNumber(d, DltHeader.originalPartition) === pill.partition && headerNumber(d, DltHeader.originalOffset) === pill.offset);
    const where = `${pill.partition}@${pill.offset}`;
    if (!dead) {
      problems.push(`${where} not in the DLT`);
      continue;
    }
    const kind = classify(pill);
    const wantClass = kind === 'malformed' ? 'DeserializationError' : 'ValidationError';
    const wantReason = kind === 'malformed' ? 'deserialization' : 'validation';
    if (!(dead.value ?? Buffer.alloc(0)).equals(pill.value ?? Buffer.alloc(0))) problems.push(`${where}: bytes changed`);
    if (headerText(dead, DltHeader.originalTopic) !== sourceTopic) problems.push(`${where}: original topic header is ${headerText(dead, DltHeader.originalTopic)}`);
    if (headerNumber(dead, DltHeader.originalTimestamp) !== pill.timestamp) problems.push(`${where}: original timestamp header differs`);
    if (headerText(dead, DltHeader.originalConsumerGroup) !== group) problems.push(`${where}: consumer group header is ${headerText(dead, DltHeader.originalConsumerGroup)}`);
    if (headerText(dead, DltHeader.exceptionFqcn) !== wantClass) problems.push(`${where}: error class ${headerText(dead, DltHeader.exceptionFqcn)}, expected ${wantClass}`);
    if (headerText(dead, KpatHeader.reason) !== wantReason) problems.push(`${where}: reason ${headerText(dead, KpatHeader.reason)}, expected ${wantReason}`);
    if (!headerText(dead, DltHeader.exceptionMessage) || !headerText(dead, DltHeader.exceptionStacktrace) || !headerText(dead, KpatHeader.failedAt)) problems.push(`${where}: failure headers missing`);
  }
  return {
    name: 'poison-pills-dead-lettered',
    ok: problems.length === 0,
    detail: problems.length === 0 ? `${poison.length} poison pills in the DLT with untouched bytes and correct failure headers` : sample(problems),
  };
};

const noGoodRecordDeadLettered: Check = ({data}) => {
  const good = data.dlt.filter((d) => classify(d) === 'good');
  return {
    name: 'no-good-record-dead-lettered',
    ok: good.length === 0,
    detail: good.length === 0 ? 'the DLT holds only poison pills' : `${good.length} valid records in the DLT: ${sample(ids(good))}`,
  };
};

const goodRecordsOnlyAfterRetries: Check = ({data}) => {
  const wrong = data.dlt.filter((d) => classify(d) === 'good' && headerText(d, KpatHeader.reason) !== 'retries-exhausted');
  const exhausted = data.dlt.filter((d) => classify(d) === 'good').length - wrong.length;
  return {
    name: 'good-records-dead-lettered-only-after-retries',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `valid records reached the DLT only by exhausting their retries (${exhausted}); \`kpat dlt redrive\` sends them back` : `${wrong.length} valid records dead-lettered for another reason: ${sample(ids(wrong))}`,
  };
};

const sideEffectsOnce: Check = ({data}) => {
  const count = new Map<string, number>();
  for (const id of ids(data.output)) count.set(id, (count.get(id) ?? 0) + 1);
  const twice = [...count].filter(([, n]) => n > 1).map(([id]) => id);
  const retriedOk = data.output.filter((r) => (JSON.parse(r.value!.toString()) as {attempt: number}).attempt > 1).length;
  return {
    name: 'side-effects-once',
    ok: twice.length === 0,
    detail: twice.length === 0 ? `${count.size} side effects, each applied once (${retriedOk} after a failed attempt)` : `${twice.length} orders applied more than once: ${sample(twice)}`,
  };
};

/** Latency of records handled at their first attempt: poison pills ahead of them must not hold them up. */
export function firstAttemptLatencies(data: RunData): number[] {
  // The side effect names the exact source record it came from (a redriven copy is a record of its own).
  const sourceAt = new Map(data.source.map((r) => [`${r.topic}/${r.partition}/${r.offset}`, r.timestamp]));
  return data.output
    .filter((r) => (JSON.parse(r.value!.toString()) as {attempt: number}).attempt === 1)
    .map((r) => r.timestamp - (sourceAt.get(headerText(r, SOURCE_HEADER) ?? '') ?? r.timestamp));
}

const noHeadOfLineBlocking: Check = ({data, headOfLineBoundMs, resumed}) => {
  if (resumed) {
    return {name: 'no-head-of-line-blocking', ok: true, skipped: true, detail: 'not judged on a resumed run: records sent before the crash waited for the dead members to be evicted'};
  }
  const lat = firstAttemptLatencies(data).sort((a, b) => a - b);
  const max = lat.at(-1) ?? 0;
  return {
    name: 'no-head-of-line-blocking',
    ok: max <= headOfLineBoundMs,
    detail: `records handled first time waited at most ${max} ms (bound ${headOfLineBoundMs} ms, p99 ${lat[Math.floor(lat.length * 0.99)] ?? 0} ms)`,
  };
};

export const ORDER_INVARIANTS: Record<string, Check> = {
  'every-record-accounted': everyRecordAccounted,
  'poison-pills-dead-lettered': poisonPillsDeadLettered,
  'no-good-record-dead-lettered': noGoodRecordDeadLettered,
  'good-records-dead-lettered-only-after-retries': goodRecordsOnlyAfterRetries,
  'side-effects-once': sideEffectsOnce,
  'no-head-of-line-blocking': noHeadOfLineBlocking,
};
