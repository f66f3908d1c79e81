import type {OutgoingRecord} from '../../kafka/produce.js';
import {checkIn, type CheckedIn, type CheckInOptions} from './check-in.js';

/**
 * The records to send for `records`: each value checked in (stored and
 * replaced by a reference above the threshold, else left inline), the marker
 * header added to those stored. `onChecked` hears of each, in order.
 */
export async function* claimCheckRecords(
  records: AsyncIterable<OutgoingRecord> | Iterable<OutgoingRecord>,
  topic: string,
  opts: CheckInOptions,
  onChecked?: (checked: CheckedIn, index: number) => void,
): AsyncGenerator<OutgoingRecord> {
  let index = 0;
  for await (const record of records) {
    if (record.value === null) {
      yield record;
    } else {
      const checked = await checkIn(Buffer.from(record.value), topic, opts);
      onChecked?.(checked, index);
      yield {...record, value: checked.value, headers: Object.keys(checked.headers).length > 0 ? {...record.headers, ...checked.headers} : record.headers};
    }
    index++;
  }
}
