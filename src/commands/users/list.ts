import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {listScramUsers} from '../../kafka/scram-users.js';

export default class UsersList extends KpatCommand {
  static override summary = 'List SASL/SCRAM users and their mechanisms (kafka-configs --describe --entity-type users).';
  static override examples = ['<%= config.bin %> users list'];
  static override flags = {...connectionFlags};

  async run(): Promise<void> {
    const {flags} = await this.parse(UsersList);
    const users = await listScramUsers(await this.connection(flags));
    if (this.outputMode === 'json') {
      for (const u of users) this.emitJson({type: 'user', ...u});
      return;
    }
    if (users.length === 0) this.out('no users');
    for (const u of users) this.out(`${u.user.padEnd(20)} ${u.mechanisms.map((m) => `${m.mechanism} (${m.iterations} iterations)`).join(', ')}`);
  }
}
