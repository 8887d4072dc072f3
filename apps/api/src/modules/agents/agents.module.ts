import { Module } from '@nestjs/common';
import { AgentsController } from './agents.controller.js';
import { AgentsRepository } from './agents.repository.js';
import { AgentsService } from './agents.service.js';
import { AgentsBaselineRepository } from './baseline/agents-baseline.repository.js';

@Module({
  controllers: [AgentsController],
  providers: [AgentsRepository, AgentsBaselineRepository, AgentsService],
  exports: [AgentsService],
})
export class AgentsModule {}
