import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {groupByError, matchesFilter, readDeadLetters} from '../../patterns/dead-letter/dead-letters.js';
import {renderErrorGroups} from '../../ui/dead-letters.js';

export default class DltInspect extends KpatCommand {
  static override summary = 'Look at a dead-letter topic: dead letters grouped by error, with samples and where they came from.';
  static override description = `Reads the whole topic (committing nothing). Each group shows how many records failed that way, when, from which topic and which consumer group, and a few samples with their original topic/partition@offset — read from the Spring-compatible kafka_dlt-* headers, so dead letters written by Spring services are understood too.`;
  static override examples = ['<%= config.bin %> dlt inspect orders.v1.dlt', '<%= config.bin %> dlt inspect orders.v1.dlt --filter ValidationError --json'];
  static override args = {topic: Args.string({description: 'The dead-letter topic, e.g. orders.v1.dlt.', required: true})};
  static override flags = {
    ...connectionFlags,
    filter: Flags.string({summary: 'Only dead letters whose key, value, error or reason contains this text.'}),
    samples: Flags.integer({summary: 'Samples per group.', default: 3, min: 0}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(DltInspect);
    const letters = (await readDeadLetters((await this.connection(flags)), args.topic)).filter((d) => matchesFilter(d, flags.filter));
    const groups = groupByError(letters, flags.samples);
    if (this.outputMode !== 'json') {
      this.out(renderErrorGroups(args.topic, letters.length, groups));
      return;
    }
    for (const g of groups) {
      this.emitJson({
        type: 'dead-letter-group',
        topic: args.topic,
        errorClass: g.errorClass,
        reason: g.reason,
        count: g.count,
        firstFailedAt: g.firstFailedAt,
        lastFailedAt: g.lastFailedAt,
        originalTopics: g.originalTopics,
        originalGroups: g.originalGroups,
        samples: g.samples.map((d) => ({partition: d.record.partition, offset: d.record.offset, key: d.record.key?.toString('utf8') ?? null, value: d.record.value?.toString('utf8') ?? null, message: d.message, original: d.original, attempts: d.attempts, redriveCount: d.redriveCount})),
      });
    }
    this.emitJson({type: 'dead-letter-summary', topic: args.topic, total: letters.length, groups: groups.length});
  }
}
