import {Args, Flags} from '@oclif/core';
import {KpatCommand} from '../../cli/base-command.js';
import {parseVersionArg, registryClientFor, registryFlags} from '../../cli/registry-flags.js';

export default class SchemaShow extends KpatCommand {
  static override summary = 'Show one version of a subject\'s schema (the latest by default).';
  static override examples = ['<%= config.bin %> schema show orders.v1-value', '<%= config.bin %> schema show orders.v1-value --version 2 --json'];
  static override args = {subject: Args.string({description: 'Subject, e.g. orders.v1-value (`kpat schema list` lists them).', required: true})};
  static override flags = {
    ...registryFlags,
    version: Flags.string({summary: 'Version number, or latest.', default: 'latest'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SchemaShow);
    const version = parseVersionArg(flags.version, '--version');
    const v = await (await registryClientFor(flags)).version(args.subject, version);
    const schema = JSON.parse(v.schema) as unknown;
    if (this.outputMode === 'json') {
      this.emitJson({type: 'schema', subject: v.subject, version: v.version, id: v.id, schema});
      return;
    }
    this.note(`${v.subject} version ${v.version} (id ${v.id})`);
    this.out(JSON.stringify(schema, null, 2));
  }
}
