import { AppCacheModule } from '../../infra/cache/cache.module.js';
import { agentListCache } from './agents.cache.js';
import { Module } from '@nestjs/common';
import { AgentsController } from './agents.controller.js';
import { AgentsRepository } from './agents.repository.js';
import { AgentsService } from './agents.service.js';
import { AgentsBaselineRepository } from './baseline/agents-baseline.repository.js';
import { AgentListReader } from './agent-list-reader.js';
import { switchedProvider } from '../../infra/optimizations/switched-provider.js';

@Module({
  imports: [AppCacheModule.forFeature([agentListCache])],
  controllers: [AgentsController],
  providers: [
    ...switchedProvider(AgentListReader, 'batching', {
      optimized: AgentsRepository,
      baseline: AgentsBaselineRepository,
    }),
    AgentsService,
  ],
  exports: [AgentsService],
})
export class AgentsModule {}
