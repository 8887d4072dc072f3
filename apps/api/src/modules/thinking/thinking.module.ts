import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { ThinkingBaselineRepository } from './baseline/thinking-baseline.repository.js';
import { ThinkingController } from './thinking.controller.js';
import { ThinkingRepository } from './thinking.repository.js';
import { ThinkingService } from './thinking.service.js';

@Module({
  imports: [AgentsModule],
  controllers: [ThinkingController],
  providers: [ThinkingRepository, ThinkingBaselineRepository, ThinkingService],
  exports: [ThinkingService],
})
export class ThinkingModule {}
