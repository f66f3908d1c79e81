import type {ErrorGroup} from '../patterns/dead-letter/dead-letters.js';
import {previewKey, previewValue, recordPosition} from './record-format.js';
import {fit} from './kit/format.js';
import {renderTable} from './table.js';
import {plural} from '../core/plural.js';

/** `kpat dlt inspect` as text: one block per kind of failure, with samples and where they came from. */
export function renderErrorGroups(dltTopic: string, total: number, groups: ErrorGroup[]): string {
  if (total === 0) return `${dltTopic} is empty: nothing has been dead-lettered`;
  const lines = [`${dltTopic}: ${plural(total, 'dead letter')} in ${plural(groups.length, 'group')}`];
  for (const g of groups) {
    const groups = g.originalGroups.length > 0 ? ` by group ${g.originalGroups.join(', ')}` : '';
    lines.push('', `${g.count} × ${g.errorClass} (${g.reason}) from ${g.originalTopics.join(', ') || '?'}${groups} · ${g.firstFailedAt ?? '?'} … ${g.lastFailedAt ?? '?'}`);
    lines.push(
      renderTable(
        ['DLT', 'ORIGINAL', 'GROUP', 'KEY', 'ERROR', 'VALUE'],
        g.samples.map((d) => [
          recordPosition(d.record),
          `${d.original.topic ?? '?'}/${d.original.partition ?? '?'}@${d.original.offset ?? '?'}`,
          d.original.group ?? '?',
          previewKey(d.record.key),
          fit(d.message, 50),
          fit(previewValue(d.record.value), 40),
        ]),
      ),
    );
  }
  return lines.join('\n');
}
