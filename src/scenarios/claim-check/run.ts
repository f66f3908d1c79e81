import {EventStream} from '../../core/event-stream.js';
import {sleep} from '../../core/sleep.js';
import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {commitOffsetsAsAdmin, GroupInUseError} from '../../kafka/group-offsets.js';
import {maxMessageBytes} from '../../kafka/message-limit.js';
import {Publisher} from '../../kafka/publisher.js';
import {sha256Hex, type BlobStore} from '../../patterns/claim-check/blob-store.js';
import {checkIn, defaultThreshold} from '../../patterns/claim-check/check-in.js';
import type {ClaimCheckEvent} from '../../patterns/claim-check/events.js';
import {collectGarbage} from '../../patterns/claim-check/gc.js';
import {BlobStores} from '../../patterns/claim-check/open-store.js';
import {isClaimCheck, parseReference} from '../../patterns/claim-check/reference.js';
import {DltHeader, headerText, KpatHeader} from '../../patterns/headers.js';
import type {PatternEvent} from '../../patterns/events.js';
import {countSkipped, readRun, runHeaders} from '../run-log.js';
import {placeRunGroups} from '../run-groups.js';
import {paced} from '../pacer.js';
import {scenarioReport, type ScenarioReport} from '../report.js';
import {newRunId, type RunOptions} from '../run-options.js';
import {ensureScenarioTopics} from '../topics.js';
import type {ClaimCheckKindEvent, StoreStats} from './events.js';
import {claimCheckInvariants, type ClaimCheckOutcome} from './invariants.js';
import {ReaderPass} from './reader-pass.js';
import {PASSES, type ClaimCheckScenario, type Pass} from './schema.js';
import {openRunStore} from './store.js';
import {documents, faultTargets, orphanPayloads} from './workload.js';

async function endOffsets(conn: Connection, topic: string): Promise<Map<number, number>> {
  return withAdmin(conn, async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
}

async function committedAtLeast(conn: Connection, groupId: string, topic: string, end: Map<number, number>): Promise<boolean> {
  const committed = await withAdmin(conn, async (admin) => (await admin.fetchOffsets({groupId, topics: [topic]}))[0]?.partitions ?? []);
  return [...end].every(([p, off]) => off === 0 || Number(committed.find((c) => c.partition === p)?.offset ?? -1) >= off);
}

/** Rewinds a group (no members left) to where the run began: a replay of the same references. */
async function rewind(conn: Connection, groupId: string, topic: string, start: Map<number, number>, signal?: AbortSignal): Promise<void> {
  const offsets = [...start].map(([partition, offset]) => ({topic, partition, offset}));
  for (const deadline = Date.now() + 15_000; ; ) {
    try {
      return await commitOffsetsAsAdmin(conn, groupId, offsets);
    } catch (error) {
      if (!(error instanceof GroupInUseError) || Date.now() > deadline) throw error;
      await sleep(300, signal);
    }
  }
}

async function storedShas(store: BlobStore): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for await (const b of store.list()) out.set(b.sha256, b.size);
  return out;
}

/**
 * Documents of mixed sizes go through the claim check (the large ones to the
 * run's blob store, the small ones inline); a crash between an upload and its
 * produce leaves orphans, one blob is deleted and one corrupted before anyone
 * reads. Two groups read every record, gc runs, then the first group is
 * rewound and replays the same references. The report reads the topic, the
 * DLT and the store back.
 */
export async function runClaimCheckScenario(s: ClaimCheckScenario, opts: RunOptions<ClaimCheckKindEvent>): Promise<ScenarioReport> {
  const started = Date.now();
  const dltTopic = `${s.topic}.dlt`;
  await ensureScenarioTopics(opts, [
    {name: s.topic, partitions: s.partitions, configs: {'max.message.bytes': String(s.maxMessageBytes)}},
    {name: dltTopic, partitions: s.partitions},
  ]);
  const limit = await maxMessageBytes(opts.conn, s.topic);
  const threshold = defaultThreshold(limit);
  const runId = newRunId();
  const groups: Record<Pass, string> = {primary: s.groups.primary, secondary: s.groups.secondary, replay: s.groups.primary};
  await placeRunGroups(opts, [s.groups.primary, s.groups.secondary].map((groupId) => ({groupId, topics: [s.topic]})), false);
  const start = await endOffsets(opts.conn, s.topic);
  const docs = documents(s, runId);
  opts.events.emit({type: 'scenario-started', at: Date.now(), scenario: s.name, runId, resumed: false, expected: docs.length, topics: [s.topic, dltTopic], groups: [s.groups.primary, s.groups.secondary]});

  const s3 = {endpoint: s.s3?.endpoint, forcePathStyle: s.s3?.pathStyle ?? s.s3?.endpoint !== undefined};
  const store = await openRunStore(s.blobStore, runId, s3);
  const stores = new BlobStores(s3);
  stores.add(store);
  const claims = new EventStream<ClaimCheckEvent>();
  const storeStats: StoreStats = {uploaded: 0, skipped: 0, inline: 0, bytesUploaded: 0};
  claims.subscribe((e) => {
    if (e.type === 'claim-inline') storeStats.inline++;
    if (e.type !== 'claim-stored') return;
    if (!e.uploaded) return void storeStats.skipped++;
    storeStats.uploaded++;
    storeStats.bytesUploaded += e.size;
  });
  const passes = new Map<Pass, ReaderPass>();
  const snapshot = () =>
    opts.events.emit({type: 'claims-stats', at: Date.now(), records: docs.length, store: {...storeStats}, passes: Object.fromEntries([...passes].map(([p, r]) => [p, {...r.stats}]))});
  const timer = setInterval(snapshot, 400);
  const publisher = await Publisher.connect(opts.conn, `scenario-${s.name}`);
  const patternEvents = new EventStream<PatternEvent>();
  patternEvents.subscribe((e) => opts.events.emit(e));
  const skipped = countSkipped(patternEvents);
  const caughtUp = {} as Record<Pass, boolean>;
  let timedOut = false;
  const orphans = new Set<string>();
  const faulty = new Map<string, 'blob-missing' | 'sha256-mismatch'>();
  const deletedByFault = new Set<string>();
  let gcDeleted = new Set<string>();
  const deadline = started + s.timeout;
  try {
    // A crash after the upload and before the produce: the blob is there, no record will ever name it.
    for (const payload of orphanPayloads(s)) {
      const c = await checkIn(payload, s.topic, {store, thresholdBytes: threshold, events: claims});
      orphans.add(c.reference!.sha256);
      opts.events.emit({type: 'claims-fault', at: Date.now(), fault: 'orphan', sha256: c.reference!.sha256, detail: `crashed after uploading ${c.reference!.size} bytes, before the produce: blob ${c.reference!.sha256.slice(0, 12)} is an orphan`});
    }
    const sent = new Map<string, string>();
    await paced(
      docs.length,
      s.workload.rate,
      async (from, to) => {
        for (const d of docs.slice(from, to)) {
          const c = await checkIn(d.payload, s.topic, {store, thresholdBytes: threshold, contentType: d.contentType, events: claims});
          await publisher.sendOne({topic: s.topic, key: d.id, value: c.value, headers: {...runHeaders(s.name, runId), ...c.headers}});
          sent.set(d.id, sha256Hex(d.payload));
          // Documents are large: progress per document, not per paced batch.
          opts.events.emit({type: 'workload-progress', at: Date.now(), produced: sent.size, total: docs.length});
        }
      },
      opts.signal,
    );
    const targets = faultTargets(s, docs);
    const short = s.faults.deleted + s.faults.corrupted - targets.deleted.length - targets.corrupted.length;
    if (short > 0) {
      opts.events.emit({type: 'scenario-note', at: Date.now(), text: `only ${targets.deleted.length + targets.corrupted.length} stored, unrepeated documents to damage: ${short} of the deleted/corrupted faults not injected — raise --count`});
    }
    for (const d of targets.deleted) {
      const sha = sha256Hex(d.payload);
      await store.delete(sha);
      deletedByFault.add(sha);
      faulty.set(d.id, 'blob-missing');
      opts.events.emit({type: 'claims-fault', at: Date.now(), fault: 'deleted', sha256: sha, detail: `deleted the blob of ${d.id} (${d.payload.length} bytes) before anyone read it`});
    }
    for (const d of targets.corrupted) {
      const sha = sha256Hex(d.payload);
      const bytes = (await store.get(sha))!;
      bytes.writeUInt8(bytes.readUInt8(bytes.length >> 1) ^ 0xff, bytes.length >> 1);
      await store.put(sha, bytes, {contentType: d.contentType, topic: s.topic});
      faulty.set(d.id, 'sha256-mismatch');
      opts.events.emit({type: 'claims-fault', at: Date.now(), fault: 'corrupted', sha256: sha, detail: `flipped one byte in the blob of ${d.id}`});
    }
    const end = await endOffsets(opts.conn, s.topic);

    const startPass = async (pass: Pass) => {
      const reader = await ReaderPass.start({conn: opts.conn, groupId: groups[pass], topic: s.topic, runId, stores, publisher, expected: docs.length, emit: (e) => patternEvents.emit(e)});
      passes.set(pass, reader);
      return reader;
    };
    const settle = async (readers: ReaderPass[]) => {
      while (!readers.every((r) => r.settled) && !opts.signal?.aborted) {
        if (Date.now() > deadline) return false;
        await sleep(200, opts.signal);
      }
      return true;
    };
    const firsts = [await startPass('primary'), await startPass('secondary')];
    timedOut = !(await settle(firsts));
    await Promise.all(firsts.map((r) => r.stop()));
    caughtUp.primary = await committedAtLeast(opts.conn, s.groups.primary, s.topic, end);
    caughtUp.secondary = await committedAtLeast(opts.conn, s.groups.secondary, s.topic, end);

    // No blob is deleted on consume: gc decides from what the topic still references.
    const gc = await collectGarbage({conn: opts.conn, store, topics: [s.topic], graceMs: s.gcGrace, delete: true});
    gcDeleted = new Set(gc.blobs.filter((b) => b.deleted).map((b) => b.sha256));
    opts.events.emit({type: 'claims-gc', at: Date.now(), deleted: gcDeleted.size, kept: gc.blobs.length - gcDeleted.size, detail: `gc deleted ${gcDeleted.size} unreferenced blobs, kept ${gc.blobs.length - gcDeleted.size} (referenced)`});

    const dltBeforeReplay = await endOffsets(opts.conn, dltTopic);
    if (!timedOut && !opts.signal?.aborted) {
      await rewind(opts.conn, s.groups.primary, s.topic, start, opts.signal);
      const replay = await startPass('replay');
      timedOut = !(await settle([replay]));
      await replay.stop();
      caughtUp.replay = await committedAtLeast(opts.conn, s.groups.primary, s.topic, end);
    } else caughtUp.replay = false;
    snapshot();

    // Read back: the run's records, its dead letters, the store.
    const records = await readRun(opts.conn, s.topic, runId);
    const recordSize = (r: (typeof records)[number]) =>
      (r.value?.length ?? 0) + (r.key?.length ?? 0) + Object.entries(r.headers).reduce((sum, [k, v]) => sum + k.length + (v === undefined ? 0 : Array.isArray(v) ? v.reduce((a, x) => a + x.length, 0) : v.length), 0);
    const referenced = new Set(records.filter((r) => isClaimCheck(r)).map((r) => parseReference(r.value).sha256));
    const dlt = {primary: new Map<string, string>(), secondary: new Map<string, string>(), replay: new Map<string, string>()};
    for (const d of await readRun(opts.conn, dltTopic, runId)) {
      const group = headerText(d, DltHeader.originalConsumerGroup);
      const pass: Pass = group === s.groups.secondary ? 'secondary' : d.offset < (dltBeforeReplay.get(d.partition) ?? 0) ? 'primary' : 'replay';
      dlt[pass].set(d.key?.toString() ?? '', headerText(d, KpatHeader.reason) ?? '');
    }
    const inStore = await storedShas(store);
    const recordBytes = records.reduce((sum, r) => sum + (r.value?.length ?? 0), 0);
    const storeBytes = [...inStore.values()].reduce((a, b) => a + b, 0);
    const payloadBytes = docs.reduce((sum, d) => sum + d.payload.length, 0);
    const largestRecord = Math.max(0, ...records.map(recordSize));
    opts.events.emit({type: 'claims-audit', at: Date.now(), recordBytes, largestRecord, limit, storeBytes, payloadBytes});

    const outcome: ClaimCheckOutcome = {
      sent,
      faulty,
      passes: {primary: passes.get('primary')!, secondary: passes.get('secondary')!, replay: passes.get('replay') ?? passes.get('primary')!},
      dlt,
      caughtUp,
      orphans,
      gcDeleted,
      storeAfterGc: new Set(inStore.keys()),
      referenced,
      deletedByFault,
      largestRecord,
      limit,
      records: records.length,
    };
    const invariants = claimCheckInvariants(outcome, PASSES);
    if (timedOut) invariants.unshift({name: 'finished-in-time', ok: false, detail: `not every reader was done within ${s.timeout} ms`});
    const counts: Record<string, number> = {
      documents: docs.length,
      records: records.length,
      inline: storeStats.inline,
      uploaded: storeStats.uploaded,
      uploadsSkipped: storeStats.skipped,
      orphans: orphans.size,
      deletedBlobs: deletedByFault.size,
      corruptedBlobs: faulty.size - deletedByFault.size,
      gcDeleted: gcDeleted.size,
      blobsAfterGc: inStore.size,
      recordBytes,
      storeBytes,
      payloadBytes,
      largestRecord,
      maxMessageBytes: limit,
      skippedOtherRuns: skipped(),
    };
    for (const [pass, r] of passes) Object.assign(counts, {[`${pass}.handled`]: r.stats.handled, [`${pass}.resolved`]: r.stats.resolved, [`${pass}.deadLettered`]: r.stats.deadLettered});
    const report = scenarioReport({scenario: s.name, runId, resumed: false, started, signal: opts.signal}, {counts, timings: {gcGraceMs: s.gcGrace}, invariants});
    opts.events.emit(report);
    return report;
  } finally {
    clearInterval(timer);
    await Promise.all([...passes.values()].map((p) => p.stop().catch(() => undefined)));
    await publisher.close();
    await stores.close();
  }
}
