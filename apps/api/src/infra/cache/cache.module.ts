import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AnyCacheDeclaration } from './cache-declaration.js';
import { CacheInvalidation } from './cache-invalidation.js';
import { CacheService } from './cache.service.js';

let registrations = 0;

/** One module's registration: a provider that declares its caches when the app starts. */
@Module({})
class AppCacheFeatureModule {}

/**
 * The cache mechanism, global. A module that caches a read imports
 * `AppCacheModule.forFeature([itsCache, ...])` with the declarations from its
 * `<module>.cache.ts`; the service, the invalidation and the settings read them.
 */
@Global()
@Module({ providers: [CacheService, CacheInvalidation], exports: [CacheService] })
export class AppCacheModule {
  static forFeature(declarations: readonly AnyCacheDeclaration[]): DynamicModule {
    const token = Symbol(`caches:${declarations.map((d) => d.name).join(',')}#${++registrations}`);
    return {
      module: AppCacheFeatureModule,
      providers: [
        {
          provide: token,
          inject: [CacheService],
          useFactory: (cache: CacheService) => cache.declare(declarations),
        },
      ],
    };
  }
}
