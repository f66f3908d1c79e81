import {Args} from '@oclif/core';
import {KpatCommand} from '../../cli/base-command.js';
import {registryClientFor, registryFlags} from '../../cli/registry-flags.js';
import {compatibilityMatrix} from '../../kafka/schema-tools.js';
import {matrixLines} from '../../ui/schema.js';

export default class SchemaMatrix extends KpatCommand {
  static override summary = 'Reader × writer compatibility grid of a subject\'s versions: shows where a transitive break hides.';
  static override description = `Each cell says whether the row's version can read data written with the column's version (Avro schema resolution).
Below the diagonal is backward compatibility (new reads old), above it forward (old reads new). A break between versions whose every step is compatible is marked: only a _TRANSITIVE level refuses it.`;
  static override examples = ['<%= config.bin %> schema matrix orders.v1-value', '<%= config.bin %> schema matrix orders.v1-value --json'];
  static override args = {subject: Args.string({description: 'Subject, e.g. orders.v1-value.', required: true})};
  static override flags = {...registryFlags};

  async run(): Promise<void> {
    const {args, flags} = await this.parse(SchemaMatrix);
    const matrix = await compatibilityMatrix(await registryClientFor(flags), args.subject);
    if (this.outputMode === 'json') {
      for (const c of matrix.cells) this.emitJson({type: 'cell', ...c, transitiveBreak: matrix.hiddenBreaks.includes(c)});
      this.emitJson({type: 'matrix', subject: matrix.subject, versions: matrix.versions, transitiveBreaks: matrix.hiddenBreaks.map(({reader, writer}) => ({reader, writer}))});
      return;
    }
    for (const line of matrixLines(matrix)) this.out(line);
  }
}
