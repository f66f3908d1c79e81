import {Box, Text} from 'ink';
import {fit} from '../../kit/format.js';
import {consumerText, violationParts} from './lines.js';
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
      <Text dimColor>producers wrote </Text>
      {fit(producers.map(([v, n]) => `${v} ${n}`).join(' · ') || 'nothing yet', w - 16)}
    </Text>,
    <Text key="consumers" wrap="truncate-end">
      <Text dimColor>consumers read  </Text>
      {consumers.map(([v, c], i) => (
        <Text key={v} color={c.unreadable > 0 ? 'yellow' : undefined}>
          {i > 0 ? ' · ' : ''}
          {consumerText(v, c)}
        </Text>
      ))}
      {consumers.length === 0 ? 'none yet' : null}
    </Text>,
  ];
  // Each refusal: what broke and against which version, then its kind and why in the registry's words.
  for (const r of state.refusals) {
    for (const v of r.violations.length > 0 ? r.violations : [{kind: 'no violation named', message: ''}]) {
      const p = violationParts(v);
      const where = `${p.against ? ` vs version ${p.against}` : ''}${p.field ? ` · ${p.field}` : ''}`;
      lines.push(
        <Text key={`${r.version}/${r.level}/${lines.length}`} color={r.expected ? 'red' : 'magenta'} wrap="truncate-end">
          {fit(`✗ ${r.version} refused under ${r.level}${where}`, w)}
        </Text>,
        <Text key={`${r.version}/${r.level}/${lines.length}/why`} wrap="truncate-end">
          <Text color={r.expected ? 'red' : 'magenta'}>{`  ${v.kind}`}</Text>
          <Text dimColor>{fit(p.detail ? `: ${p.detail}` : '', Math.max(0, w - 2 - v.kind.length))}</Text>
        </Text>,
      );
    }
  }
  return <Box flexDirection="column">{lines.slice(0, Math.max(1, rows))}</Box>;
}
