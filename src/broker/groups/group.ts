/** The classic consumer group model: members, generations and the state machine's states. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: Array<{memberId: string; groupInstanceId: string | null; metadata: Buffer}>;
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: Array<{name: string; metadata: Buffer}>;
  assignment: Buffer;
  /** Set while the member's JoinGroup is parked until the join phase completes. */
  awaitingJoin: ((r: JoinResult) => void) | null;
  /** Set while the member's SyncGroup is parked until the leader's assignment arrives. */
  awaitingSync: ((r: SyncResult) => void) | null;
  sessionTimer: NodeJS.Timeout | null;
}

export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string | null;
  commitTimestamp: number;
}

export interface Group {
  groupId: string;
  state: GroupState;
  protocolType: string | null;
  protocol: string | null;
  generation: number;
  leader: string | null;
  members: Map<string, Member>;
  /** Member ids handed out with MEMBER_ID_REQUIRED, expiring if the member never rejoins. */
  pending: Map<string, NodeJS.Timeout>;
  joinTimer: NodeJS.Timeout | null;
  /** "topic\u0000partition" → committed offset */
  offsets: Map<string, CommittedOffset & {topic: string; partition: number}>;
}

export function newGroup(groupId: string): Group {
  return {
    groupId,
    state: 'Empty',
    protocolType: null,
    protocol: null,
    generation: 0,
    leader: null,
    members: new Map(),
    pending: new Map(),
    joinTimer: null,
    offsets: new Map(),
  };
}

const sameProtocols = (a: Member['protocols'], b: Member['protocols']) =>
  a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata));

export function protocolsChanged(member: Member, protocols: Member['protocols']): boolean {
  return !sameProtocols(member.protocols, protocols);
}

/** Protocol names every member supports (the group can only pick one of these). */
export function candidateProtocols(group: Group): Set<string> {
  const members = [...group.members.values()];
  if (members.length === 0) return new Set();
  const names = (m: Member) => new Set(m.protocols.map((p) => p.name));
  const [first, ...rest] = members;
  return new Set([...names(first!)].filter((n: string) => rest.every((m) => names(m).has(n))));
}

/** Each member votes for its most preferred candidate; most votes wins (ties: first seen). */
export function selectProtocol(group: Group): string {
  const candidates = candidateProtocols(group);
  const votes = new Map<string, number>();
  for (const m of group.members.values()) {
    const choice = m.protocols.find((p) => candidates.has(p.name))?.name;
    if (choice) votes.set(choice, (votes.get(choice) ?? 0) + 1);
  }
  let best = '';
  let bestVotes = -1;
  for (const [name, n] of votes) {
    if (n > bestVotes) {
      best = name;
      bestVotes = n;
    }
  }
  return best;
}

export function metadataFor(member: Member, protocol: string): Buffer {
  return member.protocols.find((p) => p.name === protocol)?.metadata ?? Buffer.alloc(0);
}
