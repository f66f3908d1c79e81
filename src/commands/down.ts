import {Flags} from '@oclif/core';
import {KpatCommand} from '../cli/base-command.js';
import {stackDown} from '../stack/control.js';

export default class Down extends KpatCommand {
  static override summary = 'Stop the local stack started by `kpat up`.';
  static override description = 'Stops gracefully: the broker stops accepting, finishes in-flight requests and flushes its logs. Data is kept unless --purge.';
  static override examples = ['<%= config.bin %> down', '<%= config.bin %> down --purge'];
  static override flags = {
    purge: Flags.boolean({summary: 'Also delete the broker\'s data (topics, offsets).'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Down);
    const {stopped, purged} = await stackDown({purge: flags.purge});
    if (this.outputMode === 'json') {
      this.emitJson({type: 'down', stopped: stopped ? {pid: stopped.pid, bootstrap: `${stopped.host}:${stopped.port}`} : null, purged});
      return;
    }
    this.out(stopped ? `stopped kpat broker at ${stopped.host}:${stopped.port} (pid ${stopped.pid})` : 'no kpat broker was running');
    if (purged) this.out(`deleted ${purged}`);
  }
}
