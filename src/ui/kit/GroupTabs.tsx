import {Text} from 'ink';
import type {GroupLagSnapshot} from '../../kafka/topic-poller.js';
import {NONE} from '../table.js';
import {HEALTH_COLOR} from './format.js';

export type GroupSummary = Pick<GroupLagSnapshot, 'groupId' | 'totalLag' | 'health'>;

export interface GroupTabsProps {
  groups: readonly GroupSummary[];
  /** The group whose columns the table shows; highlighted. */
  selected?: string;
  /** Shown when there are no groups. */
  empty?: string;
}

/** Every watched group on one line: id, total lag, worst health; the selected one highlighted. */
export function GroupTabs({groups, selected, empty = 'no consumer group has committed on this topic yet'}: GroupTabsProps) {
  if (groups.length === 0) return <Text dimColor wrap="truncate-end">{empty}</Text>;
  return (
    <Text wrap="truncate-end">
      <Text bold>GROUPS </Text>
      {groups.map((g) => (
        <Text key={g.groupId}>
          {' '}
          <Text inverse={g.groupId === selected} bold={g.groupId === selected}>{` ${g.groupId} `}</Text>
          {` lag ${g.totalLag} `}
          <Text color={g.health ? HEALTH_COLOR[g.health] : undefined}>{g.health ?? NONE}</Text>
        </Text>
      ))}
    </Text>
  );
}
