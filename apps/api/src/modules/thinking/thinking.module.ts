import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { ThinkingBaselineRepository } from './baseline/thinking-baseline.repository.js';
import { ThinkingController } from './thinking.controller.js';
import { ThinkingRepository } from './thinking.repository.js';
import { ThinkingService } from './thinking.service.js';
import { ThinkingReader } from './thinking-reader.js';
import { switchedProvider } from '../../infra/optimizations/switched-provider.js';

@Module({
  imports: [AgentsModule],
  controllers: [ThinkingController],
  providers: [
    ...switchedProvider(ThinkingReader, 'batching', {
      optimized: ThinkingRepository,
      baseline: ThinkingBaselineRepository,
    }),
    ThinkingService,
  ],
  exports: [ThinkingService],
})
export class ThinkingModule {}
