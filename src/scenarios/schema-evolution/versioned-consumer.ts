import avro from 'avsc';

/** avsc's resolver from one writer type to a reader type. */
type Resolver = ReturnType<avro.Type['createResolver']>;
import type {Connection} from '../../kafka/connection.js';
import {DONE, RecordConsumer} from '../../kafka/record-consumer.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {unframe} from '../../kafka/serde/confluent-wire.js';
import {avroToJson, type SchemaSource} from '../../kafka/serde/avro-serde.js';
import type {ConsumerCounts} from './events.js';

/** What a consumer made of one record: the value its reader schema resolved, or why it could not read it. */
export type ReadResult = {ok: true; schemaId: number; value: Record<string, unknown>; defaulted: boolean} | {ok: false; schemaId: number | null; reason: string};

/**
 * A consumer at one schema version: a consumer group member that decodes
 * every record with its own reader schema, resolving it from the writer
 * schema the record names (Avro schema resolution: fields it does not know
 * are skipped, fields the writer lacked take the reader's defaults). A record
 * it cannot resolve is noted as unreadable, with the reason, and passed.
 */
export class VersionedConsumer {
  /** By partition@offset; a record delivered again counts once. */
  readonly results = new Map<string, ReadResult>();
  readonly counts: ConsumerCounts = {read: 0, unreadable: 0, defaulted: 0};
  private readonly reader: avro.Type;
  private readonly resolvers = new Map<number, Promise<Resolver>>();
  private readonly consumer: RecordConsumer;
  failed: Error | null = null;

  constructor(
    readonly version: string,
    readerSchema: string,
    private readonly opts: {conn: Connection; groupId: string; topic: string; writers: SchemaSource; onUnreadable: (r: ConsumedRecord, schemaId: number | null, reason: string) => void},
  ) {
    this.reader = avro.Type.forSchema(JSON.parse(readerSchema) as avro.Schema);
    this.consumer = new RecordConsumer({
      conn: opts.conn,
      groupId: opts.groupId,
      topics: [opts.topic],
      fromBeginning: true,
      clientId: `evolution-${version}`,
      handle: async (r) => {
        this.note(r, await this.read(r));
        return DONE;
      },
      onCrash: (error) => (this.failed = error),
    });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private note(r: ConsumedRecord, result: ReadResult): void {
    const at = `${r.partition}@${r.offset}`;
    if (this.results.has(at)) return;
    this.results.set(at, result);
    if (result.ok) {
      this.counts.read++;
      if (result.defaulted) this.counts.defaulted++;
    } else {
      this.counts.unreadable++;
      this.opts.onUnreadable(r, result.schemaId, result.reason);
    }
  }

  private async read(r: ConsumedRecord): Promise<ReadResult> {
    let schemaId: number | null = null;
    try {
      const framed = unframe(r.value ?? Buffer.alloc(0));
      schemaId = framed.schemaId;
      const resolver = await this.resolverFor(schemaId);
      const decoded = this.reader.decode(framed.payload, 0, resolver);
      if (decoded.offset !== framed.payload.length) return {ok: false, schemaId, reason: `${framed.payload.length - Math.max(0, decoded.offset)} bytes do not fit schema id ${schemaId}`};
      const value = avroToJson(decoded.value) as Record<string, unknown>;
      return {ok: true, schemaId, value, defaulted: this.fillsDefaults(schemaId)};
    } catch (error) {
      return {ok: false, schemaId, reason: (error as Error).message};
    }
  }

  private readonly writerFields = new Map<number, Set<string>>();

  /** Whether records of this writer (its resolver made) lack a field the reader has, so the reader fills its default. */
  private fillsDefaults(schemaId: number): boolean {
    const written = this.writerFields.get(schemaId)!;
    return (this.reader as avro.types.RecordType).fields.some((f) => !written.has(f.name));
  }

  /** avsc's resolver from the writer schema (fetched by id, once) to this reader; it throws when the reader cannot read that writer. */
  private resolverFor(schemaId: number): Promise<Resolver> {
    let resolver = this.resolvers.get(schemaId);
    if (!resolver) {
      resolver = this.opts.writers.schemaText(schemaId).then((text) => {
        if (text === null) throw new Error(`schema id ${schemaId} is not in the registry`);
        const writer = avro.Type.forSchema(JSON.parse(text) as avro.Schema) as avro.types.RecordType;
        this.writerFields.set(schemaId, new Set(writer.fields.map((f) => f.name)));
        return this.reader.createResolver(writer);
      });
      // A registry that did not answer is asked again for the next record; a resolution that failed stays failed.
      resolver.catch(() => {
        if (!this.writerFields.has(schemaId)) this.resolvers.delete(schemaId);
      });
      this.resolvers.set(schemaId, resolver);
    }
    return resolver;
  }
}
