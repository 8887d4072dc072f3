import { Module } from '@nestjs/common';
import { AppConfig } from '../../infra/config/app-config.js';
import { AgentsModule } from '../agents/agents.module.js';
import { QuotaModule } from '../quota/quota.module.js';
import { DisplayContentRepository } from './display-content/display-content.repository.js';
import { DisplayContentService } from './display-content/display-content.service.js';
import { DisplayOnRead } from './display-content/display-on-read.js';
import { DisplayQueueRepository } from './display-content/display-queue.repository.js';
import { DisplayQueueWorker } from './display-content/display-queue.worker.js';
import { DisplayTransformations } from './display-content/display-transformations.js';
import {
  DISPLAY_TRANSFORMER,
  type DisplayTransformer,
} from './display-content/display-transformer.js';
import { LocalTransformer } from './display-content/local.transformer.js';
import { OpenAiTransformer } from './display-content/openai.transformer.js';
import { DeliverablesController } from './deliverables.controller.js';
import { DeliverablesRepository } from './deliverables.repository.js';
import { DeliverablesService } from './deliverables.service.js';

@Module({
  imports: [AgentsModule, QuotaModule],
  controllers: [DeliverablesController],
  providers: [
    DeliverablesRepository,
    DeliverablesService,
    DisplayContentRepository,
    DisplayContentService,
    DisplayTransformations,
    DisplayOnRead,
    DisplayQueueRepository,
    DisplayQueueWorker,
    {
      provide: DISPLAY_TRANSFORMER,
      inject: [AppConfig],
      useFactory: (config: AppConfig): DisplayTransformer =>
        config.ai.provider === 'openai'
          ? new OpenAiTransformer({
              baseUrl: config.ai.baseUrl ?? '',
              apiKey: config.ai.apiKey,
              model: config.ai.model,
              maxRetries: config.ai.maxRetries,
            })
          : new LocalTransformer(config.ai.localCostMs),
    },
  ],
  exports: [DeliverablesService, DisplayContentService],
})
export class DeliverablesModule {}
