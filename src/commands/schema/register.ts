import {Args} from '@oclif/core';
import {KpatCommand} from '../../cli/base-command.js';
import {registryClientFor, registryFlags} from '../../cli/registry-flags.js';
import {readSchemaFile} from '../../kafka/schema-tools.js';

export default class SchemaRegister extends KpatCommand {
  static override summary = 'Register an Avro schema file under a subject (checked for compatibility by the registry).';
  static override description = `Answers the schema's global id and its version. A schema already registered under the subject keeps its id and version; the same schema under another subject gets the same id.
An incompatible schema is refused (exit 1): \`kpat schema check\` explains every violation. A missing or invalid file exits 2.`;
  static override examples = ['<%= config.bin %> schema register orders.v1-value order.avsc'];
  static override args = {
    subject: Args.string({description: 'Subject, e.g. orders.v1-value.', required: true}),
    file: Args.string({description: 'Avro schema file (.avsc).', required: true}),
  };
  static override flags = {...registryFlags};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SchemaRegister);
    const file = readSchemaFile(args.file);
    const client = await registryClientFor(flags);
    const before = await client.history(args.subject);
    const {id} = await client.register(args.subject, file.text);
    const {version} = await client.lookup(args.subject, file.text);
    const created = !before.some((v) => v.version === version);
    if (this.outputMode === 'json') {
      this.emitJson({type: 'registered', subject: args.subject, id, version, created});
      return;
    }
    this.out(created ? `registered ${args.subject} version ${version} (id ${id})` : `already registered: ${args.subject} version ${version} (id ${id})`);
  }
}
