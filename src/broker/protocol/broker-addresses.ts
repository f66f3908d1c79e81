/**
 * The broker addresses a Metadata (key 3, v0-v12) or FindCoordinator (key 10, v0-v4) response
 * body carries, read and rewritten in place: a proxy that stands in for a cluster must hand
 * clients its own addresses, or they connect past it to the brokers.
 *
 * Only the fields up to each address are decoded; every other byte (topics, partitions, tagged
 * fields, including ones this code does not know) is copied as it came. The body is what
 * follows the response header (see responseHeaderVersion).
 */
import {ApiKey} from './messages/index.js';
import {Reader, Writer} from './primitives.js';

export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
}

/** Where a client should go instead of `address`. */
export type AddressMapper = (address: BrokerAddress) => {host: string; port: number};

const METADATA_FLEXIBLE_FROM = 9;
const FIND_COORDINATOR_FLEXIBLE_FROM = 3;
const FIND_COORDINATOR_BATCHED_FROM = 4;

/** Whether responses of this API carry broker addresses (the ones a proxy must rewrite). */
export function carriesBrokerAddresses(apiKey: number): boolean {
  return apiKey === ApiKey.Metadata || apiKey === ApiKey.FindCoordinator;
}

/** The real broker addresses in the body (not FindCoordinator's "none" answer: node -1, port -1). */
export function brokerAddresses(apiKey: number, version: number, body: Buffer): BrokerAddress[] {
  const found: BrokerAddress[] = [];
  walk(apiKey, version, body, (address) => {
    found.push(address);
    return address;
  });
  return found.filter(isReal);
}

/** A copy of the body with every real broker address replaced by `map(address)`. */
export function rewriteBrokerAddresses(apiKey: number, version: number, body: Buffer, map: AddressMapper): Buffer {
  return walk(apiKey, version, body, (address) => (isReal(address) ? {nodeId: address.nodeId, ...map(address)} : address));
}

function isReal(address: BrokerAddress): boolean {
  return address.nodeId >= 0 && address.port > 0 && address.host !== '';
}

/** Copies `body`, passing each address through `visit`; throws ProtocolDecodeError on a malformed body. */
function walk(apiKey: number, version: number, body: Buffer, visit: (a: BrokerAddress) => BrokerAddress): Buffer {
  const copy = new BodyCopy(body);
  if (apiKey === ApiKey.Metadata) {
    const flexible = version >= METADATA_FLEXIBLE_FROM;
    if (version >= 3) copy.reader.readInt32(); // throttleTimeMs
    const count = copy.reader.readArrayLength(flexible, false) as number;
    for (let i = 0; i < count; i++) {
      copy.address(flexible, visit);
      if (version >= 1) readString(copy.reader, flexible, true); // rack
      if (flexible) copy.reader.skipTaggedFields();
    }
  } else if (apiKey === ApiKey.FindCoordinator && version < FIND_COORDINATOR_BATCHED_FROM) {
    const flexible = version >= FIND_COORDINATOR_FLEXIBLE_FROM;
    if (version >= 1) copy.reader.readInt32(); // throttleTimeMs
    copy.reader.readInt16(); // errorCode
    if (version >= 1) readString(copy.reader, flexible, true); // errorMessage
    copy.address(flexible, visit);
  } else if (apiKey === ApiKey.FindCoordinator) {
    copy.reader.readInt32(); // throttleTimeMs
    const count = copy.reader.readArrayLength(true, false) as number;
    for (let i = 0; i < count; i++) {
      readString(copy.reader, true, false); // key
      copy.address(true, visit);
      copy.reader.readInt16(); // errorCode
      readString(copy.reader, true, true); // errorMessage
      copy.reader.skipTaggedFields();
    }
  } else {
    throw new Error(`API key ${apiKey} carries no broker addresses`);
  }
  return copy.finish();
}

function readString(reader: Reader, flexible: boolean, nullable: boolean): string | null {
  if (flexible) return nullable ? reader.readCompactNullableString() : reader.readCompactString();
  return nullable ? reader.readNullableString() : reader.readString();
}

/** Reads the body while writing a copy: untouched stretches are copied raw, addresses re-encoded. */
class BodyCopy {
  readonly reader: Reader;
  private readonly writer: Writer;
  private copiedTo = 0;

  constructor(private readonly body: Buffer) {
    this.reader = new Reader(body);
    this.writer = new Writer(body.length + 64);
  }

  /** nodeId int32, host string, port int32: re-encoded with what `visit` returns. */
  address(flexible: boolean, visit: (a: BrokerAddress) => BrokerAddress): void {
    this.flush();
    const nodeId = this.reader.readInt32();
    const host = readString(this.reader, flexible, false) as string;
    const port = this.reader.readInt32();
    const next = visit({nodeId, host, port});
    this.writer.writeInt32(next.nodeId);
    if (flexible) this.writer.writeCompactString(next.host);
    else this.writer.writeString(next.host);
    this.writer.writeInt32(next.port);
    this.copiedTo = this.reader.offset;
  }

  finish(): Buffer {
    this.reader.offset = this.body.length;
    this.flush();
    return this.writer.toBuffer();
  }

  /** Copies the bytes read since the last address as they came. */
  private flush(): void {
    this.writer.writeRaw(this.body.subarray(this.copiedTo, this.reader.offset));
    this.copiedTo = this.reader.offset;
  }
}
