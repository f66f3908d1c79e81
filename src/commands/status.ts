import {KpatCommand} from '../cli/base-command.js';
import {stackStatus} from '../kafka/stack-status.js';
import {formatBytes, formatDuration} from '../ui/table.js';

// Counts need SASL credentials on a SASL stack; without them status says how to give them.
const count = (n: number | null) => (n === null ? 'unknown (SASL stack: set KPAT_SASL_MECHANISM, KPAT_SASL_USERNAME, KPAT_SASL_PASSWORD)' : String(n));

export default class Status extends KpatCommand {
  static override summary = 'Show the local stack: address, schema registry, pid, uptime, topics, partitions, bytes on disk, groups.';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json'];

  async run(): Promise<void> {
    await this.parse(Status);
    const status = await stackStatus();
    if (this.outputMode === 'json') {
      this.emitJson({type: 'status', ...status});
      return;
    }
    if (!status.running) {
      const why = status.crashedPid ? `last broker pid ${status.crashedPid} exited without stopping cleanly; ` : '';
      this.out(`no kpat broker is running (${why}KPAT_HOME=${status.home}) — start one with \`kpat up\``);
      return;
    }
    const rows: Array<[string, string]> = [
      ['address', status.bootstrap],
      ['registry', status.registry ?? 'none'],
      ['metrics', status.metrics ?? 'none'],
      ['pid', String(status.pid)],
      ['uptime', formatDuration(status.uptimeMs)],
      ['topics', count(status.topics)],
      ['partitions', count(status.partitions)],
      ['groups', count(status.groups)],
      ['data', `${status.dataDir} (${formatBytes(status.bytesOnDisk)})`],
    ];
    if (status.tls) rows.push(['tls', status.tls.ca ? `CA ${status.tls.ca}` : 'own certificate']);
    if (status.sasl) rows.push(['sasl', status.sasl.join(', ')]);
    if (status.logFile) rows.push(['log', status.logFile]);
    for (const [k, v] of rows) this.out(`${k.padEnd(11)}${v}`);
  }
}
