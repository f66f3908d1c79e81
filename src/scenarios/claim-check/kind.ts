import {choiceFlag, durationFlag, integerFlag, type KindFlag} from '../flags.js';
import type {ScenarioKind} from '../kinds.js';
import type {ClaimCheckKindEvent} from './events.js';
import {runClaimCheckScenario} from './run.js';
import {ClaimCheckScenarioSchema, type ClaimCheckScenario} from './schema.js';

const blobStoreFlag: KindFlag<string> = {
  summary: 'Blob store for the run (s3://bucket/prefix, file:///path or a folder); the run writes under runs/<run id>/ in it.',
  example: 's3://claims/kpat',
  parse: (values) => values.at(-1)!,
};

const s3EndpointFlag: KindFlag<string> = {
  summary: 'With an s3:// --blob-store: the endpoint of an S3-compatible service (path-style addressing).',
  example: 'http://localhost:9000',
  parse: (values) => values.at(-1)!,
};

const flags = {
  orphans: integerFlag('Uploads whose produce never happens (a crash in between): orphans gc must remove.', {min: 0, max: 20, example: '2'}),
  deleted: integerFlag('Blobs deleted before the consumers read them (their records must be dead-lettered as blob-missing).', {min: 0, max: 10, example: '1'}),
  corrupted: integerFlag('Blobs corrupted before the consumers read them (dead-lettered as sha256-mismatch).', {min: 0, max: 10, example: '1'}),
  faults: choiceFlag('off: no faults at all, the baseline; on: the faults of the file and flags.', ['on', 'off'] as const),
  'gc-grace': durationFlag('gc keeps unreferenced blobs younger than this (the run\'s orphans are seconds old).', '0s'),
  'blob-store': blobStoreFlag,
  's3-endpoint': s3EndpointFlag,
};

/** Large documents through a blob store, read by two groups and a replay, with orphans, a deleted and a corrupted blob. */
export const claimCheckKind: ScenarioKind<ClaimCheckScenario, typeof flags, ClaimCheckKindEvent> = {
  kind: 'claim-check',
  label: 'claim-check',
  schema: ClaimCheckScenarioSchema,
  flags,
  applyFlags(s, o) {
    const given = {orphans: o.orphans ?? s.faults.orphans, deleted: o.deleted ?? s.faults.deleted, corrupted: o.corrupted ?? s.faults.corrupted};
    return {
      ...s,
      workload: {...s.workload, documents: o.count ?? s.workload.documents, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
      faults: o.faults === 'off' ? {orphans: 0, deleted: 0, corrupted: 0} : given,
      gcGrace: o['gc-grace'] ?? s.gcGrace,
      blobStore: o['blob-store'] ?? s.blobStore,
      s3: o['s3-endpoint'] !== undefined ? {...s.s3, endpoint: o['s3-endpoint']} : s.s3,
      timeout: o.timeout ?? s.timeout,
    };
  },
  run: runClaimCheckScenario,
  resumable: false,
};
