import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {blobStoreFlags, s3Access} from '../../cli/claim-check-flags.js';
import {parseDuration} from '../../core/duration.js';
import {ConfigError} from '../../core/errors.js';
import {collectGarbage} from '../../patterns/claim-check/gc.js';
import {openBlobStore} from '../../patterns/claim-check/open-store.js';
import {gcLines} from '../../ui/claim-check-gc.js';

export default class ClaimCheckGc extends KpatCommand {
  static override summary = 'Delete the blobs no record references any more (a dry run unless --delete).';
  static override description = `Reads the topics (those given with --topic, else all) for claim-check references, lists the blob store, and says for each blob what it does and why:
kept when a record references it, or when it is younger than --grace (its record may still be on its way);
deleted when it is older than --grace and no record references it: an orphan of a produce that failed after the upload, or a blob whose records retention removed.
Consuming never deletes a blob: other groups and replays read the same references.`;
  static override examples = [
    '<%= config.bin %> claim-check gc',
    '<%= config.bin %> claim-check gc --delete --grace 1h',
    '<%= config.bin %> claim-check gc --blob-store s3://claims/prod --topic documents.v1 --delete',
  ];
  static override flags = {
    ...connectionFlags,
    delete: Flags.boolean({summary: 'Delete what it finds; without it, only say what it would delete.'}),
    grace: Flags.string({summary: 'Unreferenced blobs younger than this are kept (their produce may be in flight), e.g. 30m, 1h, 1d.', default: '1h'}),
    topic: Flags.string({char: 't', summary: 'Read only this topic for references (repeatable); blobs uploaded for other topics are then kept. Default: every topic.', multiple: true}),
    ...blobStoreFlags,
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(ClaimCheckGc);
    const graceMs = parseDuration(flags.grace);
    if (graceMs === null) throw new ConfigError(`--grace "${flags.grace}" is not a duration — use e.g. 30m, 1h, 1d`);
    const conn = await this.connection(flags);
    const store = await openBlobStore(flags['blob-store'], s3Access(flags));
    try {
      const now = Date.now();
      const result = await collectGarbage({conn, store, topics: flags.topic, graceMs, delete: flags.delete, now});
      if (this.outputMode === 'json') {
        for (const b of result.blobs) this.emitJson({type: 'blob', ...b});
        const gone = result.blobs.filter((b) => b.verdict === 'orphan-past-grace' || b.verdict === 'records-gone');
        this.emitJson({
          type: 'gc-report',
          store: result.store,
          dryRun: result.dryRun,
          graceMs,
          topics: result.topics,
          topicsWithReferences: result.topicsWithReferences,
          blobs: result.blobs.length,
          deleted: result.blobs.filter((b) => b.deleted).length,
          wouldDelete: result.dryRun ? gone.length : 0,
          kept: result.blobs.length - gone.length,
          unreadableReferences: result.unreadableReferences,
        });
        return;
      }
      for (const line of gcLines(result, now)) this.out(line);
    } finally {
      await store.close();
    }
  }
}
