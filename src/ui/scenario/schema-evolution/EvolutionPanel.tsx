import {Box, Text} from 'ink';
import {fit} from '../../kit/format.js';
import {consumerText, violationText} from './lines.js';
import type {EvolutionViewState, VersionView} from './state.js';

const versionColor = (v: VersionView) => (v.outcome === 'accepted' ? 'green' : v.outcome === 'refused' ? 'red' : 'cyan');
const versionText = (v: VersionView) => (v.outcome === 'accepted' ? `${v.version} ✓ #${v.registryVersion} id ${v.id}` : v.outcome === 'refused' ? `${v.version} ✗ refused` : `${v.version} ▸`);

/**
 * The schema-evolution run as it goes: the subject and its level, each schema
 * version as the registry answered it, the records each version's producers
 * wrote and each version's consumers read, then every refusal with its reasons.
 */
export function EvolutionPanel({state, width, rows}: {state: EvolutionViewState; width: number; rows: number}) {
  const w = width - 2;
  const producers = Object.entries(state.producers);
  const consumers = Object.entries(state.consumers);
  const lines = [
    <Text key="subject" wrap="truncate-end">
      {fit(`subject ${state.subject || '…'} · ${state.level ?? '…'} · sent ${state.produced}/${state.expected}`, w)}
    </Text>,
    <Text key="versions" wrap="truncate-end">
      <Text dimColor>versions </Text>
      {state.versions.map((v, i) => (
        <Text key={v.version} color={versionColor(v)}>
          {i > 0 ? '   ' : ''}
          {versionText(v)}
        </Text>
      ))}
    </Text>,
    <Text key="producers" wrap="truncate-end">
      <Text dimColor>producers </Text>
      {fit(producers.map(([v, n]) => `${v} wrote ${n}`).join(' · ') || 'none yet', w - 10)}
    </Text>,
    <Text key="consumers" wrap="truncate-end">
      <Text dimColor>consumers </Text>
      {consumers.map(([v, c], i) => (
        <Text key={v} color={c.unreadable > 0 ? 'yellow' : undefined}>
          {i > 0 ? ' · ' : ''}
          {consumerText(v, c)}
        </Text>
      ))}
      {consumers.length === 0 ? 'none yet' : null}
    </Text>,
  ];
  for (const r of state.refusals) {
    for (const v of r.violations.length > 0 ? r.violations : [{kind: 'refused', message: ''}]) {
      lines.push(
        <Text key={`${r.version}/${r.level}/${lines.length}`} color={r.expected ? 'red' : 'magenta'} wrap="truncate-end">
          {fit(`✗ ${r.version} under ${r.level}: ${violationText(v)}`, w)}
        </Text>,
      );
    }
  }
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, rows))}</Box>;
}
