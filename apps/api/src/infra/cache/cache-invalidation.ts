import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type DomainEvent, DomainEvents } from '../events/domain-events.js';
import type { CacheTag } from './cache-declaration.js';
import { CacheService } from './cache.service.js';

/** The tags an event changes, among the registered ones, in the event's workspace. */
export function tagsFor(event: DomainEvent, tags: readonly CacheTag[]): string[] {
  if ('displayOnly' in event && event.displayOnly) return [];
  return tags
    .filter((tag) => tag.changedBy.includes(event.type))
    .map((tag) => tag.of(event.workspaceId));
}

/**
 * Domain events in, cache invalidations out: the only link between writes and
 * the cache. Which event changes which data is declared by the modules' tags.
 */
@Injectable()
export class CacheInvalidation implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: DomainEvents,
    private readonly cache: CacheService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) =>
      this.cache.invalidate(tagsFor(event, this.cache.registeredTags())),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
