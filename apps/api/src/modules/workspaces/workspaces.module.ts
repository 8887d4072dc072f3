import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { MembershipRepository } from './membership.repository.js';
import { MembershipService } from './membership.service.js';
import { WorkspacesController } from './workspaces.controller.js';
import { WorkspacesRepository } from './workspaces.repository.js';
import { WorkspacesService } from './workspaces.service.js';

@Module({
  imports: [UsersModule],
  controllers: [WorkspacesController],
  providers: [WorkspacesRepository, WorkspacesService, MembershipRepository, MembershipService],
  exports: [WorkspacesService, MembershipService],
})
export class WorkspacesModule {}
