import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { DeliverablesController } from './deliverables.controller.js';
import { DeliverablesRepository } from './deliverables.repository.js';
import { DeliverablesService } from './deliverables.service.js';

@Module({
  imports: [AgentsModule],
  controllers: [DeliverablesController],
  providers: [DeliverablesRepository, DeliverablesService],
  exports: [DeliverablesService],
})
export class DeliverablesModule {}
