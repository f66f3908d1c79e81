import chalk from 'chalk';
import type {ScenarioReport} from '../scenarios/report.js';
import {renderTable} from './table.js';

/** The final report of a scenario as plain text: verdict (an interrupted run is never OK), counts, timings, each invariant. */
export function renderScenarioReport(r: ScenarioReport): string {
  const verdict = r.interrupted ? chalk.yellow('INTERRUPTED') : r.ok ? chalk.green('OK') : chalk.red('FAILED');
  const lines = [
    `scenario ${r.scenario} · run ${r.runId}${r.resumed ? ' (resumed)' : ''} · ${verdict} ${r.interrupted ? 'after' : 'in'} ${(r.durationMs / 1000).toFixed(1)}s`,
    '',
    renderTable(['COUNT', 'VALUE'], Object.entries(r.counts).map(([k, v]) => [k, v])),
    '',
    renderTable(['TIMING', 'MS'], Object.entries(r.timings).map(([k, v]) => [k, v])),
    '',
    'invariants:',
    ...r.invariants.map((i) => `  ${i.skipped ? chalk.dim('–') : i.ok ? chalk.green('✓') : chalk.red('✗')} ${i.name} — ${i.detail}`),
  ];
  return lines.join('\n');
}
