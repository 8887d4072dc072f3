import { Global, Module } from '@nestjs/common';
import { CacheInvalidation } from './cache-invalidation.js';
import { CacheService } from './cache.service.js';

@Global()
@Module({ providers: [CacheService, CacheInvalidation], exports: [CacheService] })
export class CacheModule {}
