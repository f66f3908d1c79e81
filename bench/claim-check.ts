/**
 * What the claim check costs and buys: produce+consume throughput of large
 * payloads through the local and the S3 blob store (s3rver, local) against
 * the same payloads inline on a topic whose max.message.bytes was raised to
 * fit them. Every value is distinct (no upload is skipped); the consumer reads
 * each back and checks size and sha-256.
 *
 * From run.ts: the `claim-check` section. Alone: `npm run build && node dist/bench/claim-check.js`.
 */
import {randomBytes} from 'node:crypto';
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import type {Connection} from '../src/kafka/connection.js';
import {readPartitions} from '../src/kafka/partition-reader.js';
import {Publisher} from '../src/kafka/publisher.js';
import {ensureTopics} from '../src/kafka/topics.js';
import type {BlobStore} from '../src/patterns/claim-check/blob-store.js';
import {checkIn} from '../src/patterns/claim-check/check-in.js';
import {LocalBlobStore} from '../src/patterns/claim-check/local-store.js';
import {BlobStores} from '../src/patterns/claim-check/open-store.js';
import {resolveRecord} from '../src/patterns/claim-check/resolve.js';
import {S3BlobStore} from '../src/patterns/claim-check/s3-store.js';
import {tempDir} from '../test/helpers/broker.js';
import {startTestS3} from '../test/helpers/s3-server.js';
import {printFigures, spawnBroker, timed, type Figure} from './harness.js';

const MIB = 1024 * 1024;
const CASES = [
  {label: '512 KiB', size: MIB / 2, count: 120},
  {label: '4 MiB', size: 4 * MIB, count: 24},
];

type Mode = 'inline' | 'local store' | 's3 store';

async function produceConsume(conn: Connection, mode: Mode, store: BlobStore | null, stores: BlobStores, size: number, count: number): Promise<{produce: number; consume: number}> {
  const topic = `bench.claims.${mode.replace(' ', '-')}.${size}.${Date.now()}`;
  // Inline needs the limit raised to the payload: the trap the claim check avoids.
  await ensureTopics(conn, [{name: topic, partitions: 3, configs: store ? {} : {'max.message.bytes': String(size + 64 * 1024)}}]);
  const payloads = Array.from({length: count}, () => randomBytes(size));
  const publisher = await Publisher.connect(conn, 'bench-claims');
  const produce = await timed(async () => {
    for (const [i, payload] of payloads.entries()) {
      const c = store ? await checkIn(payload, topic, {store, thresholdBytes: 0}) : {value: payload, headers: {}};
      await publisher.sendOne({topic, key: `d-${i}`, value: c.value, headers: c.headers});
    }
  });
  await publisher.close();
  const consume = await timed(async () => {
    let n = 0;
    for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true, partitionMaxBytes: size + 128 * 1024})) {
      const {payload} = await resolveRecord(r, stores);
      if (payload?.length !== size) throw new Error(`record ${r.partition}/${r.offset}: ${payload?.length} bytes, expected ${size}`);
      n++;
    }
    if (n !== count) throw new Error(`read ${n} of ${count}`);
  });
  return {produce: produce.seconds, consume: consume.seconds};
}

export async function claimCheckFigures(bootstrap: string): Promise<Figure[]> {
  const conn: Connection = {brokers: [bootstrap], source: 'flag', clientId: 'kpat-bench'};
  const dir = tempDir('kpat-bench-blobs-');
  const s3 = await startTestS3('bench');
  const local = new LocalBlobStore(join(dir, 'blobs'));
  const remote = new S3BlobStore({bucket: s3.bucket, prefix: 'claims/', endpoint: s3.endpoint, forcePathStyle: true});
  const stores = new BlobStores({endpoint: s3.endpoint, forcePathStyle: true});
  stores.add(local);
  stores.add(remote);
  const figures: Figure[] = [];
  try {
    for (const c of CASES) {
      for (const [mode, store] of [['inline', null], ['local store', local], ['s3 store', remote]] as Array<[Mode, BlobStore | null]>) {
        const t = await produceConsume(conn, mode, store, stores, c.size, c.count);
        figures.push({name: `${c.label} ${mode}: produce`, records: c.count, bytes: c.count * c.size, seconds: t.produce});
        figures.push({name: `${c.label} ${mode}: consume + verify`, records: c.count, bytes: c.count * c.size, seconds: t.consume});
      }
    }
  } finally {
    await stores.close();
    await s3.stop();
    rmSync(dir, {recursive: true, force: true});
  }
  return figures;
}

/** The `claim-check` section of `npm run bench`. */
export async function claimCheckSection(): Promise<void> {
  const broker = await spawnBroker({fsync: 'always'});
  try {
    printFigures('claim check: large payloads inline (max.message.bytes raised) vs through a blob store (acks=all, one at a time, broker fsync=always)', await claimCheckFigures(broker.bootstrap));
  } finally {
    await broker.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  claimCheckSection().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
