import { Injectable } from '@nestjs/common';
import {
  AgentStatus,
  ErrorCode,
  type Page,
  THINKING_PROCESSES_DEFAULT,
  THINKING_STEPS_PER_PROCESS_DEFAULT,
  type ThinkingProcess,
  type ThinkingProcessWithSteps,
  type ThinkingStep,
} from '@orch/contracts';
import { DomainEvents } from '../../infra/events/domain-events.js';
import { DomainException } from '../../core/domain.exception.js';
import { decodeCursor, type PageRequest, toPage, toPageByIso } from '../../core/pagination.js';
import { AgentsService } from '../agents/agents.service.js';
import type {
  AppendStepDto,
  StartThinkingDto,
  ThinkingQueryDto,
  UpdateThinkingProcessDto,
} from './dto/thinking.dto.js';
import { toThinkingProcess, toThinkingStep } from './thinking.mapper.js';
import { ThinkingReader } from './thinking-reader.js';
import { ThinkingRepository } from './thinking.repository.js';

@Injectable()
export class ThinkingService {
  constructor(
    private readonly thinking: ThinkingRepository,
    private readonly reader: ThinkingReader,
    private readonly agents: AgentsService,
    private readonly events: DomainEvents,
  ) {}

  /** The most recent processes with their latest steps: two queries whatever the counts. */
  async listRecentWithSteps(
    workspaceId: string,
    query: ThinkingQueryDto,
  ): Promise<Page<ThinkingProcessWithSteps>> {
    const limit = query.processes ?? THINKING_PROCESSES_DEFAULT;
    const stepsEach = query.stepsPerProcess ?? THINKING_STEPS_PER_PROCESS_DEFAULT;
    const processes = await this.reader.listRecentProcesses(workspaceId, {
      limit,
      after: decodeCursor(query.cursor),
    });
    const steps = await this.reader.latestStepsOf(
      processes.slice(0, limit).map((p) => p.id),
      stepsEach,
    );
    return toPageByIso(processes, limit, (p) => ({ ...p, steps: steps.get(p.id) ?? [] }));
  }

  async get(id: string): Promise<ThinkingProcess> {
    const process = await this.thinking.findProcess(id);
    if (!process)
      throw DomainException.notFound(ErrorCode.ThinkingProcessNotFound, 'Thinking process');
    return toThinkingProcess(process);
  }

  async start(workspaceId: string, dto: StartThinkingDto): Promise<ThinkingProcess> {
    const agents = await this.agents.assertInWorkspace(workspaceId, [dto.agentId], 'agentId');
    const agent = agents.get(dto.agentId.toLowerCase())!;
    if (agent.status === AgentStatus.Terminated) {
      throw new DomainException(
        ErrorCode.AgentTerminated,
        'A terminated agent cannot start thinking',
      );
    }
    const process = await this.thinking.createProcess(workspaceId, agent.id, dto.title.trim());
    await this.events.publish({ type: 'thinking.process_changed', workspaceId });
    return toThinkingProcess(process);
  }

  async update(id: string, dto: UpdateThinkingProcessDto): Promise<ThinkingProcess> {
    const process = dto.status
      ? await this.thinking.updateStatus(id, dto.status)
      : await this.thinking.findProcess(id);
    if (!process)
      throw DomainException.notFound(ErrorCode.ThinkingProcessNotFound, 'Thinking process');
    if (dto.status && process.status !== dto.status) {
      throw new DomainException(
        ErrorCode.ThinkingProcessClosed,
        `The process has ${process.status}; a closed process keeps its status`,
      );
    }
    if (dto.status) {
      await this.events.publish({
        type: 'thinking.process_changed',
        workspaceId: process.workspaceId,
      });
    }
    return toThinkingProcess(process);
  }

  async appendStep(
    workspaceId: string,
    processId: string,
    dto: AppendStepDto,
  ): Promise<ThinkingStep> {
    const [step] = await this.appendSteps(workspaceId, processId, [dto]);
    return step;
  }

  /** Any number of steps, one statement. */
  async appendSteps(
    workspaceId: string,
    processId: string,
    steps: AppendStepDto[],
  ): Promise<ThinkingStep[]> {
    const stored = await this.thinking.appendSteps(processId, steps);
    if (!stored) {
      throw new DomainException(
        ErrorCode.ThinkingProcessClosed,
        'Steps can only be added to a running process',
      );
    }
    const appended = stored.map(toThinkingStep);
    for (const step of appended) {
      await this.events.publish({
        type: 'thinking.step',
        workspaceId,
        payload: { workspaceId, processId, step },
      });
    }
    return appended;
  }

  async listSteps(processId: string, page: PageRequest): Promise<Page<ThinkingStep>> {
    return toPage(await this.thinking.listSteps(processId, page), page.limit, toThinkingStep);
  }
}
