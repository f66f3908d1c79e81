import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {headerText} from '../headers.js';

/** Every output carries the input it came from, so a read-back can count outputs per input. */
export const SourceHeader = 'kpat_eos-source';

/** An input record's identity: where it sits in the input topic. */
export function inputIdOf(r: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>): string {
  return `${r.topic}/${r.partition}/${r.offset}`;
}

export function withSource(message: OutgoingMessage, input: ConsumedRecord): OutgoingMessage {
  return {...message, headers: {...message.headers, [SourceHeader]: inputIdOf(input)}};
}

/** The input id an output names, or null for a record the processor did not write. */
export function sourceOf(output: ConsumedRecord): string | null {
  return headerText(output, SourceHeader) ?? null;
}
