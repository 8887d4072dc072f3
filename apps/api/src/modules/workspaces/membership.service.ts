import { Injectable } from '@nestjs/common';
import type { ScopedResource, WorkspaceAccess } from '../auth/access.decorators.js';
import { CacheService } from '../../infra/cache/cache.service.js';
import { MembershipRepository } from './membership.repository.js';
import { membershipCache } from './workspaces.cache.js';
import { type Awaitable } from '../../core/awaitable.js';

@Injectable()
export class MembershipService {
  constructor(
    private readonly repository: MembershipRepository,
    private readonly cache: CacheService,
  ) {}

  /**
   * The caller's access to the workspace owning `resource` `id`; null when
   * none (or no such id). Workspace routes, the most frequent, are answered
   * from the cache (no and yes alike) until membership of that workspace changes;
   * a current in-process entry is answered now (no promise).
   */
  resolve(resource: ScopedResource, id: string, userId: string): Awaitable<WorkspaceAccess | null> {
    if (resource !== 'workspace') return this.repository.findAccess(resource, id, userId);
    return this.cache.get(membershipCache, { workspaceId: id, userId }, () =>
      this.repository.findAccess(resource, id, userId),
    );
  }
}
