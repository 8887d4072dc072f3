import { Rng, seedUuid } from '../random.js';
import { DAY, HOUR } from './durations.js';
import { buildDeliverable } from './markdown.js';
import type { WorkspacePlan } from './workspaces.js';

export interface PlannedDeliverable {
  id: string;
  workspaceId: string;
  agentId: string | null;
  title: string;
  /** Markdown. */
  content: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * deliverablesPerWorkspace deliverables for every workspace, oldest first,
 * spread over up to 14 days before the anchor; most have an author from the
 * workspace's agents, some were edited since. A generator: a large seed's
 * bodies are built as the writer takes them, never all held at once.
 */
export function* planDeliverables(plan: WorkspacePlan): Generator<PlannedDeliverable> {
  const { scale, anchor } = plan;
  const count = scale.deliverablesPerWorkspace;
  const windowMs = Math.min(14 * DAY, count * 12 * HOUR);
  const spacing = count > 0 ? windowMs / count : 0;
  for (const workspace of plan.workspaces) {
    const rng = new Rng(`${plan.contentNamespace}:deliverables:${workspace.index}`);
    const team = plan.agents.filter((a) => a.workspace === workspace);
    for (let d = 1; d <= count; d++) {
      const author = team.length > 0 && !rng.chance(0.08) ? rng.pick(team) : null;
      const createdAt = new Date(
        anchor.getTime() - (count - d + rng.next() * 0.8) * spacing - 10 * 60_000,
      );
      const edited = rng.chance(0.3);
      const updatedAt = edited
        ? new Date(createdAt.getTime() + rng.next() * (anchor.getTime() - createdAt.getTime()))
        : createdAt;
      const text = buildDeliverable(rng, author?.profile ?? null, createdAt);
      yield {
        id: seedUuid(`${plan.idNamespace}:deliverable:${workspace.index}:${d}`),
        workspaceId: workspace.id,
        agentId: author?.id ?? null,
        title: text.title,
        content: text.content,
        createdAt,
        updatedAt,
      };
    }
  }
}
