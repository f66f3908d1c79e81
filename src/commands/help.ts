import {Args, loadHelpClass} from '@oclif/core';
import {KpatCommand} from '../cli/base-command.js';
import {ConfigError} from '../core/errors.js';

/**
 * `kpat help [COMMAND]`: the same page as `kpat COMMAND --help`. oclif prints
 * help for --help by itself, but `help` as a command needs @oclif/plugin-help;
 * this is the small part of it kpat uses.
 */
export default class Help extends KpatCommand {
  static override summary = 'Show help for kpat or for one command, e.g. `kpat help scenario`.';
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help scenario', '<%= config.bin %> help dlt redrive'];
  static override args = {command: Args.string({description: 'The command (and subcommand) to explain.', required: false})};
  // `kpat help dlt redrive`: the command id is every word given.
  static override strict = false;

  async run(): Promise<void> {
    const {argv} = await this.parse(Help);
    const words = (argv as string[]).filter((a) => !a.startsWith('-'));
    const id = words.join(':');
    if (id && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      throw new ConfigError(`no command "${words.join(' ')}" — \`kpat help\` lists them`);
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config).showHelp(words);
  }
}
