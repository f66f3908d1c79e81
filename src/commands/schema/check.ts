import {Args, Flags} from '@oclif/core';
import {KpatCommand} from '../../cli/base-command.js';
import {registryClientFor, registryFlags} from '../../cli/registry-flags.js';
import {checkSchemaFile, readSchemaFile} from '../../kafka/schema-tools.js';
import {COMPATIBILITY_LEVELS, type CompatibilityLevel} from '../../registry/compatibility/levels.js';
import {checkLines} from '../../ui/schema.js';

export default class SchemaCheck extends KpatCommand {
  static override summary = 'Check an Avro schema file against a subject\'s versions: every violation, and which side to upgrade first.';
  static override description = `Uses the subject's compatibility level in the registry (or --mode) and Avro's schema resolution rules, listing every violation with its field, path and fix.
Exit 0 when compatible, 1 when not (so a CI step fails, like Confluent's schema-registry:test-compatibility), 2 for a missing or invalid file.`;
  static override examples = ['<%= config.bin %> schema check orders.v1-value order.avsc', '<%= config.bin %> schema check orders.v1-value order.avsc --mode FULL_TRANSITIVE --json'];
  static override args = {
    subject: Args.string({description: 'Subject, e.g. orders.v1-value.', required: true}),
    file: Args.string({description: 'Avro schema file (.avsc).', required: true}),
  };
  static override flags = {
    ...registryFlags,
    mode: Flags.string({summary: 'Compatibility level to check with. Default: the subject\'s level in the registry.', options: [...COMPATIBILITY_LEVELS]}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SchemaCheck);
    const file = readSchemaFile(args.file);
    const result = await checkSchemaFile(await registryClientFor(flags), args.subject, file, flags.mode as CompatibilityLevel | undefined);
    if (this.outputMode === 'json') this.emitJson({type: 'compatibility', ...result});
    else for (const line of checkLines(result)) this.out(line);
    if (!result.compatible) this.exit(1);
  }
}
