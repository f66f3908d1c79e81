import {Box, Text} from 'ink';
import type {ReactNode} from 'react';

export interface PanelProps {
  title: string;
  /** Dim text at the right end of the title rule. */
  right?: string;
  /** Lines including the title rule; or let it grow into the space left. */
  height?: number;
  grow?: boolean;
  children: ReactNode;
}

/** A titled section: a rule with the title (one line), then its content clipped to the space it has. */
export function Panel({title, right, height, grow = false, children}: PanelProps) {
  return (
    <Box flexDirection="column" height={height} flexGrow={grow ? 1 : 0} flexShrink={0} overflow="hidden">
      <Box height={1}>
        <Text bold>{`─ ${title} `}</Text>
        <Box flexGrow={1} height={1} borderStyle="single" borderBottom={false} borderLeft={false} borderRight={false} borderDimColor />
        {right ? <Text dimColor>{` ${right} ─`}</Text> : null}
      </Box>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        {children}
      </Box>
    </Box>
  );
}
