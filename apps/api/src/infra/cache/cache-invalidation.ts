import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { type DomainEvent, DomainEvents } from '../events/domain-events.js';
import { cacheTags } from './cache-keys.js';
import { CacheService } from './cache.service.js';

/** Which cached values each domain event makes stale. Steps change nothing that is cached. */
export function tagsFor(event: DomainEvent): string[] {
  const ws = event.workspaceId;
  switch (event.type) {
    case 'workspace.updated':
      return [cacheTags.workspace(ws)];
    case 'workspace.deleted':
      return Object.values(cacheTags).map((tag) => tag(ws));
    case 'workspace.members_changed':
      return [cacheTags.members(ws)];
    case 'agent.updated':
      return [cacheTags.agents(ws)];
    case 'deliverable.created':
    case 'deliverable.updated':
      return [cacheTags.deliverables(ws)];
    case 'thinking.process_changed':
      return [cacheTags.thinking(ws)];
    case 'goal.updated':
      return [cacheTags.goals(ws)];
    case 'quota.used':
      return [cacheTags.quota(ws)];
    case 'thinking.step':
    case 'quota.notification':
      return [];
  }
}

/** Domain events in, cache invalidations out: the only link between writes and the cache. */
@Injectable()
export class CacheInvalidation implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: DomainEvents,
    private readonly cache: CacheService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.events.subscribe((event) => this.cache.invalidate(tagsFor(event)));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
