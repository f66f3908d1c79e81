import {Args} from '@oclif/core';
import {KpatCommand} from '../../cli/base-command.js';
import {parseVersionArg, registryClientFor, registryFlags} from '../../cli/registry-flags.js';
import {diffVersions} from '../../kafka/schema-tools.js';
import {diffTable} from '../../ui/schema.js';

export default class SchemaDiff extends KpatCommand {
  static override summary = 'Compare two versions of a subject field by field: added, removed, retyped, new defaults.';
  static override examples = ['<%= config.bin %> schema diff orders.v1-value 1 2', '<%= config.bin %> schema diff orders.v1-value 1 latest --json'];
  static override args = {
    subject: Args.string({description: 'Subject, e.g. orders.v1-value.', required: true}),
    from: Args.string({description: 'The older version (number or latest).', required: true}),
    to: Args.string({description: 'The newer version (number or latest).', required: true}),
  };
  static override flags = {...registryFlags};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SchemaDiff);
    const from = parseVersionArg(args.from, 'V1');
    const to = parseVersionArg(args.to, 'V2');
    const diff = await diffVersions(await registryClientFor(flags), args.subject, from, to);
    if (this.outputMode === 'json') {
      for (const c of diff.changes) this.emitJson({type: 'change', ...c});
      this.emitJson({type: 'diff', subject: diff.subject, from: diff.from, to: diff.to, changes: diff.changes.length});
      return;
    }
    this.out(`${diff.subject}: version ${diff.from.version} (id ${diff.from.id}) → version ${diff.to.version} (id ${diff.to.id})\n`);
    this.out(diffTable(diff.changes));
  }
}
