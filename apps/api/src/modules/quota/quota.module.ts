import { AppCacheModule } from '../../infra/cache/cache.module.js';
import { quotaStatusCache } from './quota.cache.js';
import { Module } from '@nestjs/common';
import { QuotaController } from './quota.controller.js';
import { QuotaRepository } from './quota.repository.js';
import { QuotaService } from './quota.service.js';

@Module({
  imports: [AppCacheModule.forFeature([quotaStatusCache])],
  controllers: [QuotaController],
  providers: [QuotaRepository, QuotaService],
  exports: [QuotaService],
})
export class QuotaModule {}
