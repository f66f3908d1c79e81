import {KpatCommand} from '../../cli/base-command.js';
import {registryClientFor, registryFlags} from '../../cli/registry-flags.js';
import {listSubjects} from '../../kafka/schema-tools.js';
import {renderTable} from '../../ui/table.js';

export default class SchemaList extends KpatCommand {
  static override summary = 'List the schema registry\'s subjects with their versions, latest id and compatibility level.';
  static override examples = ['<%= config.bin %> schema list', '<%= config.bin %> schema list --registry http://localhost:8081 --json'];
  static override flags = {...registryFlags};

  async run(): Promise<void> {
    const {flags} = await this.parse(SchemaList);
    const subjects = await listSubjects(await registryClientFor(flags));
    if (this.outputMode === 'json') {
      for (const s of subjects) this.emitJson({type: 'subject', ...s});
      return;
    }
    if (subjects.length === 0) {
      this.out('no subjects yet — register one with `kpat schema register SUBJECT FILE.avsc`');
      return;
    }
    this.out(renderTable(['SUBJECT', 'VERSIONS', 'LATEST', 'ID', 'COMPATIBILITY'], subjects.map((s) => [s.subject, s.versions.join(','), s.latest.version, s.latest.id, s.compatibility])));
  }
}
