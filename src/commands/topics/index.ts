import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {listTopics} from '../../kafka/topics.js';
import {renderTable} from '../../ui/table.js';

export default class Topics extends KpatCommand {
  static override summary = 'List topics with their partitions and end offsets.';
  static override examples = ['<%= config.bin %> topics', '<%= config.bin %> topics --json', '<%= config.bin %> topics create orders.v1 --partitions 3'];
  static override flags = {
    ...connectionFlags,
    internal: Flags.boolean({summary: 'Include internal topics (names starting with __).'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Topics);
    const topics = await listTopics((await this.connection(flags)), {includeInternal: flags.internal});
    if (this.outputMode === 'json') {
      for (const t of topics) this.emitJson({type: 'topic', ...t});
      return;
    }
    if (topics.length === 0) {
      this.out('no topics yet — create one with `kpat topics create NAME --partitions 3`, or just `kpat produce NAME`');
      return;
    }
    this.out(
      renderTable(
        ['TOPIC', 'PARTITIONS', 'RECORDS', 'END OFFSETS'],
        topics.map((t) => [t.name, t.partitions, t.records, t.endOffsets.join(',')]),
      ),
    );
  }
}
