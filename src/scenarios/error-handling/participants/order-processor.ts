import type {Publisher} from '../../../kafka/publisher.js';
import {headerText} from '../../../patterns/headers.js';
import type {ProcessedIds} from '../../../patterns/idempotency.js';
import type {RecordHandler} from '../../../patterns/record-handler.js';
import type {FlakyDependency} from '../../faults.js';
import {OrderSchema, RECORD_ID_HEADER, RUN_HEADER, type Order} from '../workload/orders.js';

export const SOURCE_HEADER = 'kpat-source';

/**
 * The scenarios' order handler: calls the (possibly flaky) dependency, then
 * applies its side effect — one record on the output topic — exactly once per
 * order id, however often the order is delivered.
 */
export function orderProcessor(opts: {publisher: Publisher; outputTopic: string; processed: ProcessedIds; dependency?: FlakyDependency}): RecordHandler<Order> {
  return {
    schema: OrderSchema,
    async handle(order, record, attempt) {
      const id = headerText(record, RECORD_ID_HEADER) ?? order.orderId;
      if (opts.processed.has(id)) return;
      opts.dependency?.call(id, attempt);
      await opts.publisher.sendOne({
        topic: opts.outputTopic,
        partition: record.partition,
        key: record.key,
        value: JSON.stringify({orderId: order.orderId, customerId: order.customerId, amount: order.amount, attempt, handledAt: new Date().toISOString()}),
        headers: {
          [RECORD_ID_HEADER]: id,
          [RUN_HEADER]: headerText(record, RUN_HEADER) ?? '',
          [SOURCE_HEADER]: `${record.topic}/${record.partition}/${record.offset}`,
        },
      });
      opts.processed.add(id);
    },
  };
}
