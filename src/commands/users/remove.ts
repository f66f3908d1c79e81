import {Args} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {removeScramUser} from '../../kafka/scram-users.js';
import {mechanismFlag} from './add.js';

export default class UsersRemove extends KpatCommand {
  static override summary = 'Remove a SASL/SCRAM user (all its mechanisms, or those named).';
  static override examples = ['<%= config.bin %> users remove bob'];
  static override args = {user: Args.string({description: 'User name.', required: true})};
  static override flags = {...connectionFlags, mechanism: mechanismFlag};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersRemove);
    const gone = await removeScramUser(await this.connection(flags), args.user, flags.mechanism?.map((m) => m.toUpperCase() as 'SCRAM-SHA-256' | 'SCRAM-SHA-512'));
    if (this.outputMode === 'json') this.emitJson({type: 'user-removed', user: args.user, mechanisms: gone});
    else this.out(`user ${args.user} removed (${gone.join(', ')})`);
  }
}
