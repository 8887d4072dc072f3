import { AppCacheModule } from '../../infra/cache/cache.module.js';
import { membershipCache, workspaceCache } from './workspaces.cache.js';
import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { MembershipRepository } from './membership.repository.js';
import { MembershipService } from './membership.service.js';
import { WorkspacesController } from './workspaces.controller.js';
import { WorkspacesRepository } from './workspaces.repository.js';
import { WorkspacesService } from './workspaces.service.js';

@Module({
  imports: [AppCacheModule.forFeature([workspaceCache, membershipCache]), UsersModule],
  controllers: [WorkspacesController],
  providers: [WorkspacesRepository, WorkspacesService, MembershipRepository, MembershipService],
  exports: [WorkspacesService, MembershipService],
})
export class WorkspacesModule {}
