import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {describeTopic} from '../../kafka/topics.js';
import {formatBytes, renderTable} from '../../ui/table.js';

export default class TopicsDescribe extends KpatCommand {
  static override summary = 'Show a topic\'s partitions (leader, replicas, offsets) and its configs.';
  static override examples = ['<%= config.bin %> topics describe orders.v1', '<%= config.bin %> topics describe orders.v1 --all-configs'];
  static override args = {name: Args.string({description: 'Topic to describe.', required: true})};
  static override flags = {
    ...connectionFlags,
    'all-configs': Flags.boolean({summary: 'Show every config, not only those set on the topic.'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TopicsDescribe);
    const topic = await describeTopic((await this.connection(flags)), args.name);
    if (this.outputMode === 'json') {
      this.emitJson({type: 'topic', ...topic});
      return;
    }
    this.out(`topic ${topic.name} · ${topic.partitions.length} partition(s)\n`);
    this.out(
      renderTable(
        ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'START', 'END', 'RECORDS'],
        topic.partitions.map((p) => [p.partition, p.leader, p.replicas.join(','), p.isr.join(','), p.startOffset, p.endOffset, p.endOffset - p.startOffset]),
      ),
    );
    if (topic.cleaner) {
      const {dirtyBytes, dirtyRatio, lastCleanedMs} = topic.cleaner;
      const last = lastCleanedMs === null ? 'never cleaned' : `last cleaned ${new Date(lastCleanedMs).toISOString()}`;
      this.out(`\ncompaction: ${formatBytes(dirtyBytes)} dirty (ratio ${dirtyRatio.toFixed(2)}) · ${last}`);
    }
    const configs = flags['all-configs'] ? topic.configs : topic.configs.filter((c) => !c.isDefault);
    this.out('');
    if (configs.length === 0) this.out('configs: all defaults (--all-configs to list them)');
    else this.out(renderTable(['CONFIG', 'VALUE', 'SOURCE'], configs.map((c) => [c.name, c.value ?? '', c.isDefault ? 'default' : 'topic'])));
  }
}
