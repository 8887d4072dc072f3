import type { AgentStatus, GoalStatus, ThinkingProcessStatus } from '@orch/contracts';

import { Badge, type BadgeTone } from './badge';

export type Status = AgentStatus | ThinkingProcessStatus | GoalStatus;

const TONES: Record<Status, BadgeTone> = {
  active: 'green',
  idle: 'neutral',
  busy: 'blue',
  error: 'red',
  offline: 'amber',
  terminated: 'dark',
  running: 'blue',
  completed: 'green',
  failed: 'red',
  at_risk: 'amber',
  achieved: 'green',
  missed: 'red',
  paused: 'neutral',
};

/** A status of an agent, a thinking process or a goal, coloured by meaning. */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <Badge tone={TONES[status] ?? 'neutral'} title={`Status: ${status}`}>
      {status.replace('_', ' ')}
    </Badge>
  );
}
