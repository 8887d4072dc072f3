import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  type Agent,
  AgentStatus,
  THINKING_STEP_KINDS,
  type ThinkingStepKind,
} from '@orch/contracts';
import { AppConfig } from '../../infra/config/app-config.js';
import { AgentsService } from '../agents/agents.service.js';
import { DashboardService } from '../dashboard/dashboard.service.js';
import { DeliverablesService } from '../deliverables/deliverables.service.js';
import { ThinkingService } from '../thinking/thinking.service.js';
import { UsersService } from '../users/users.service.js';
import { WorkspacesService } from '../workspaces/workspaces.service.js';

const STEP_LINES: Record<ThinkingStepKind, string[]> = {
  observation: [
    'Competitor pricing page changed overnight: the starter tier lost its free trial.',
    'Support tickets about CSV export doubled this week.',
    'Three new papers on retrieval evaluation appeared on the reading list.',
  ],
  reasoning: [
    'If churn follows the price change, the mid tier absorbs most of it.',
    'The export complaints cluster on files over 50 MB: likely a timeout, not a bug.',
    'Two of the papers measure the same benchmark differently; compare on one.',
  ],
  decision: [
    'Prioritise the export timeout over the new chart type.',
    'Summarise only the papers with public code.',
    'Flag the pricing change to the product channel today.',
  ],
  action: [
    'Drafted the weekly brief section and saved revision 3.',
    'Opened a ticket for the export timeout with two reproductions.',
    'Queued the three papers for a structured summary.',
  ],
  result: [
    'Brief section reviewed: 2 comments, both addressed.',
    'The ticket was accepted into the current sprint.',
    'Summaries ready: 3 papers, 2 with reproducible results.',
  ],
};
const ROLES = ['researcher', 'writer', 'analyst', 'reviewer', 'planner'];
const NAMES = ['Atlas', 'Juniper', 'Quill', 'Sable', 'Tern', 'Vega', 'Wren', 'Lumen'];

/**
 * The embedded demo's "something to watch": every few seconds the seeded
 * agents do a little work — think, change status, write and edit
 * deliverables, now and then one is terminated and replaced — through the
 * same services a client's writes use, so every change is stored, announced
 * as a domain event and pushed to connected clients. DEMO_ACTIVITY=off stops it.
 */
@Injectable()
export class DemoActivityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DemoActivity');
  private timer: NodeJS.Timeout | undefined;
  private workspaceId: string | undefined;
  private busy = false;
  private tickCount = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly workspaces: WorkspacesService,
    private readonly dashboard: DashboardService,
    private readonly agents: AgentsService,
    private readonly thinking: ThinkingService,
    private readonly deliverables: DeliverablesService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.demo.activity) return;
    this.timer = setInterval(() => void this.tick(), this.config.demo.activityMs);
    this.timer.unref();
    this.logger.log(
      `simulating agent activity every ${this.config.demo.activityMs} ms (DEMO_ACTIVITY=off stops it)`,
    );
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One step of activity; skipped if the previous one hasn't finished. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const workspaceId = await this.demoWorkspace();
      if (!workspaceId) return;
      this.tickCount += 1;
      const board = await this.dashboard.get(workspaceId);
      const live = board.agents.filter((a) => a.status !== AgentStatus.Terminated);
      if (live.length === 0) return;
      const roll = Math.random();
      if (roll < 0.45) await this.think(workspaceId, live);
      else if (roll < 0.6) await this.startThinking(workspaceId, pick(live));
      else if (roll < 0.75) await this.changeStatus(pick(live));
      else if (roll < 0.85) await this.writeDeliverable(workspaceId, pick(live));
      else if (roll < 0.93 && board.recentDeliverables.length > 0) {
        const d = pick(board.recentDeliverables);
        await this.deliverables.update(workspaceId, d.id, {
          content: `${d.content}\n\n- Update ${new Date().toISOString().slice(11, 19)}: figures re-checked.`,
        });
      } else if (roll < 0.98) await this.finishThinking(workspaceId);
      else await this.replace(workspaceId, pick(live));
    } catch (error) {
      this.logger.warn(
        `activity step failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.busy = false;
    }
  }

  private async demoWorkspace(): Promise<string | undefined> {
    if (this.workspaceId) return this.workspaceId;
    const user = await this.users.findByEmail(this.config.demo.email);
    if (!user) return undefined;
    const page = await this.workspaces.listForUser(user.id, { limit: 1, after: undefined });
    this.workspaceId = page.items[0]?.id;
    return this.workspaceId;
  }

  private async think(workspaceId: string, live: Agent[]): Promise<void> {
    const recent = await this.thinking.listRecentWithSteps(workspaceId, {
      processes: 5,
      stepsPerProcess: 1,
    });
    const running = recent.items.filter((p) => p.status === 'running');
    if (running.length === 0) return this.startThinking(workspaceId, pick(live));
    const process = pick(running);
    const last = process.steps[process.steps.length - 1]?.kind;
    const kind =
      THINKING_STEP_KINDS[
        (last ? THINKING_STEP_KINDS.indexOf(last) + 1 : 0) % THINKING_STEP_KINDS.length
      ];
    await this.thinking.appendStep(workspaceId, process.id, {
      kind,
      content: pick(STEP_LINES[kind]),
    });
  }

  private async startThinking(workspaceId: string, agent: Agent): Promise<void> {
    const topics = [
      'pricing changes',
      'export timeouts',
      'retrieval papers',
      'the weekly brief',
      'onboarding drop-off',
    ];
    await this.thinking.start(workspaceId, {
      agentId: agent.id,
      title: `Look into ${pick(topics)}`,
    });
  }

  private async finishThinking(workspaceId: string): Promise<void> {
    const recent = await this.thinking.listRecentWithSteps(workspaceId, {
      processes: 10,
      stepsPerProcess: 0,
    });
    const running = recent.items.filter((p) => p.status === 'running');
    if (running.length > 3) await this.thinking.update(pick(running).id, { status: 'completed' });
  }

  private async changeStatus(agent: Agent): Promise<void> {
    const next = pick(
      [AgentStatus.Active, AgentStatus.Idle, AgentStatus.Busy].filter((s) => s !== agent.status),
    );
    await this.agents.update(agent.id, { status: next });
  }

  private async writeDeliverable(workspaceId: string, agent: Agent): Promise<void> {
    const n = this.tickCount;
    await this.deliverables.create(workspaceId, {
      title: `${agent.name}: note ${n}`,
      agentId: agent.id,
      content: `# Note ${n}\n\n${pick(STEP_LINES.result)}\n\n## Next\n\n- ${pick(STEP_LINES.decision)}\n- ${pick(STEP_LINES.action)}`,
    });
  }

  /** Terminated is final: the agent is replaced by a new one with the same role. */
  private async replace(workspaceId: string, agent: Agent): Promise<void> {
    await this.agents.update(agent.id, { status: AgentStatus.Terminated });
    await this.agents.create(workspaceId, {
      name: `${pick(NAMES)} ${this.tickCount}`,
      role: ROLES.includes(agent.role) ? agent.role : pick(ROLES),
      model: agent.model,
      settings: agent.settings,
    });
  }
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}
