import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../../cli/base-command.js';
import {redrive} from '../../patterns/dead-letter/redrive.js';
import {plural} from '../../core/plural.js';

export default class DltRedrive extends KpatCommand {
  static override summary = 'Send dead letters back to be processed again, once the cause is fixed.';
  static override description = `Each dead letter goes back to its original topic (from its kafka_dlt-original-topic header) or to --to, with its key, value and original headers, a kpat_dlt-redrive-count header and the identity of the dead letter it came from. Dead letters already sent back are skipped, so running it twice sends nothing twice. Use --dry-run to see what would be sent.`;
  static override examples = [
    '<%= config.bin %> dlt redrive orders.v1.dlt --dry-run',
    '<%= config.bin %> dlt redrive orders.v1.dlt --filter TransientError',
    '<%= config.bin %> dlt redrive orders.v1.dlt --to orders.v1.replay',
  ];
  static override args = {topic: Args.string({description: 'The dead-letter topic, e.g. orders.v1.dlt.', required: true})};
  static override flags = {
    ...connectionFlags,
    to: Flags.string({summary: 'Send to this topic instead of each record\'s original topic.'}),
    filter: Flags.string({summary: 'Only dead letters whose key, value, error or reason contains this text.'}),
    'dry-run': Flags.boolean({summary: 'Show what would be sent; send nothing.'}),
    'skip-invalid': Flags.boolean({summary: 'Leave out dead letters that failed deserialization or validation: unchanged, they fail again unless the consumer was fixed.'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(DltRedrive);
    const result = await redrive((await this.connection(flags)), args.topic, {to: flags.to, filter: flags.filter, dryRun: flags['dry-run'], skipInvalid: flags['skip-invalid']});
    if (result.invalidSent > 0) {
      const verb = flags['dry-run'] ? 'would send' : 'sent';
      this.warning(
        `${verb} ${plural(result.invalidSent, 'dead letter')} that failed deserialization or validation: the same bytes fail the same way again unless the consumer (its parser or schema) was fixed since — if it was not, use --skip-invalid`,
      );
    }
    if (this.outputMode === 'json') {
      for (const s of result.sent) this.emitJson({type: flags['dry-run'] ? 'would-redrive' : 'redriven', deadLetter: s.deadLetter, to: s.to});
      this.emitJson({
        type: 'redrive-summary',
        dryRun: flags['dry-run'],
        considered: result.considered,
        sent: result.sent.length,
        alreadyRedriven: result.alreadyRedriven,
        filteredOut: result.filteredOut,
        noDestination: result.noDestination,
        invalidSent: result.invalidSent,
        invalidSkipped: result.invalidSkipped,
      });
      return;
    }
    if (result.considered === 0) {
      this.out(`${args.topic} is empty: nothing to redrive`);
      return;
    }
    const verb = flags['dry-run'] ? 'would send' : 'sent';
    const targets = [...new Set(result.sent.map((s) => s.to))].join(', ');
    this.out(`${verb} ${result.sent.length} of ${result.considered} dead letters${targets ? ` to ${targets}` : ''}`);
    if (result.alreadyRedriven > 0) this.out(`skipped ${result.alreadyRedriven} already sent back earlier`);
    if (result.filteredOut > 0) this.out(`skipped ${result.filteredOut} not matching --filter`);
    if (result.invalidSkipped > 0) this.out(`skipped ${result.invalidSkipped} that failed deserialization or validation (--skip-invalid)`);
    if (result.noDestination > 0) this.out(`skipped ${result.noDestination} without an original-topic header — pass --to`);
  }
}
