import {Args} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {deleteTopic} from '../../kafka/topics.js';

export default class TopicsDelete extends KpatCommand {
  static override summary = 'Delete a topic and all its records.';
  static override examples = ['<%= config.bin %> topics delete orders.v1'];
  static override args = {name: Args.string({description: 'Topic to delete.', required: true})};
  static override flags = {...connectionFlags};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(TopicsDelete);
    await deleteTopic((await this.connection(flags)), args.name);
    if (this.outputMode === 'json') this.emitJson({type: 'topic-deleted', topic: args.name});
    else this.out(`deleted ${args.name}`);
  }
}
