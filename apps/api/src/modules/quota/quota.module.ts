import { Module } from '@nestjs/common';
import { QuotaRepository } from './quota.repository.js';
import { QuotaService } from './quota.service.js';

@Module({ providers: [QuotaRepository, QuotaService], exports: [QuotaService] })
export class QuotaModule {}
