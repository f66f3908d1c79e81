import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {parseKeyValues} from '../../core/key-values.js';
import {createTopic} from '../../kafka/topics.js';
import {plural} from '../../core/plural.js';

export default class TopicsCreate extends KpatCommand {
  static override summary = 'Create a topic.';
  static override examples = [
    '<%= config.bin %> topics create orders.v1 --partitions 3',
    '<%= config.bin %> topics create audit.v1 -p 6 --config retention.ms=86400000 --config cleanup.policy=delete',
  ];
  static override args = {name: Args.string({description: 'Topic name: letters, digits, ".", "_" and "-".', required: true})};
  static override flags = {
    ...connectionFlags,
    partitions: Flags.integer({char: 'p', summary: 'Number of partitions.', default: 1, min: 1}),
    'replication-factor': Flags.integer({char: 'r', summary: 'Replicas per partition (the embedded broker has one node). Default: the cluster\'s default.', min: 1}),
    config: Flags.string({char: 'c', summary: 'Topic config key=value (repeatable), e.g. retention.ms=60000.', multiple: true}),
    'if-not-exists': Flags.boolean({summary: 'Succeed without change when the topic exists.'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TopicsCreate);
    const configs = parseKeyValues(flags.config, {flag: '--config', example: 'retention.ms=60000', trim: true});
    const {created} = await createTopic((await this.connection(flags)), {
      name: args.name,
      partitions: flags.partitions,
      replicationFactor: flags['replication-factor'],
      configs,
      ifNotExists: flags['if-not-exists'],
    });
    if (this.outputMode === 'json') this.emitJson({type: 'topic-created', topic: args.name, created, partitions: flags.partitions, configs});
    else this.out(created ? `created ${args.name} (${plural(flags.partitions, 'partition')})` : `${args.name} already exists`);
  }
}
