import { Injectable } from '@nestjs/common';
import type { ScopedResource, WorkspaceAccess } from '../auth/access.decorators.js';
import { MembershipRepository } from './membership.repository.js';

@Injectable()
export class MembershipService {
  constructor(private readonly repository: MembershipRepository) {}

  /** The caller's access to the workspace owning `resource` `id`; null when none (or no such id). */
  resolve(resource: ScopedResource, id: string, userId: string): Promise<WorkspaceAccess | null> {
    return this.repository.findAccess(resource, id, userId);
  }
}
