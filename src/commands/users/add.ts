import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {ConfigError} from '../../core/errors.js';
import {upsertScramUser} from '../../kafka/scram-users.js';

export const mechanismFlag = Flags.string({summary: 'Only this SCRAM mechanism (default: both).', options: ['scram-sha-256', 'scram-sha-512'], multiple: true});

export default class UsersAdd extends KpatCommand {
  static override summary = 'Create a SASL/SCRAM user or change its password (kafka-configs --alter --entity-type users).';
  static override description = 'The password comes from --password or KPAT_USER_PASSWORD; only its salted, hashed form reaches the broker. Needs ALTER on the cluster.';
  static override examples = ['KPAT_USER_PASSWORD=secret <%= config.bin %> users add bob'];
  static override args = {user: Args.string({description: 'User name.', required: true})};
  static override flags = {...connectionFlags, password: Flags.string({summary: 'The password (better: KPAT_USER_PASSWORD).'}), mechanism: mechanismFlag};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(UsersAdd);
    const password = flags.password ?? process.env.KPAT_USER_PASSWORD;
    if (!password) throw new ConfigError(`no password for ${args.user} — set KPAT_USER_PASSWORD (or pass --password)`);
    const mechanisms = flags.mechanism?.map((m) => m.toUpperCase() as 'SCRAM-SHA-256' | 'SCRAM-SHA-512');
    await upsertScramUser(await this.connection(flags), args.user, password, mechanisms);
    if (this.outputMode === 'json') this.emitJson({type: 'user-set', user: args.user, mechanisms: mechanisms ?? ['SCRAM-SHA-256', 'SCRAM-SHA-512']});
    else this.out(`user ${args.user} set (${(mechanisms ?? ['SCRAM-SHA-256', 'SCRAM-SHA-512']).join(', ')})`);
  }
}
