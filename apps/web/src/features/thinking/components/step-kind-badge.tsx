import type { ThinkingStepKind } from '@orch/contracts';

import { Badge, type BadgeTone } from '../../../components/badge';

const TONES: Record<ThinkingStepKind, BadgeTone> = {
  observation: 'neutral',
  reasoning: 'purple',
  decision: 'amber',
  action: 'blue',
  result: 'green',
};

export function StepKindBadge({ kind }: { kind: ThinkingStepKind }) {
  return <Badge tone={TONES[kind] ?? 'neutral'}>{kind}</Badge>;
}
