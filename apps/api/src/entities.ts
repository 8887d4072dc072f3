import { AgentSettingEntity } from './modules/agents/entities/agent-setting.entity.js';
import { AgentEntity } from './modules/agents/entities/agent.entity.js';
import { DeliverableEntity } from './modules/deliverables/entities/deliverable.entity.js';
import { DisplayJobEntity } from './modules/deliverables/entities/display-job.entity.js';
import { AiUsageEntity } from './modules/quota/entities/ai-usage.entity.js';
import { QuotaNotificationEntity } from './modules/quota/entities/quota-notification.entity.js';
import { GoalScheduleEntity } from './modules/goals/entities/goal-schedule.entity.js';
import { GoalEntity } from './modules/goals/entities/goal.entity.js';
import { ThinkingProcessEntity } from './modules/thinking/entities/thinking-process.entity.js';
import { ThinkingStepEntity } from './modules/thinking/entities/thinking-step.entity.js';
import { UserEntity } from './modules/users/entities/user.entity.js';
import { WorkspaceMemberEntity } from './modules/workspaces/entities/workspace-member.entity.js';
import { WorkspaceEntity } from './modules/workspaces/entities/workspace.entity.js';

/** Every entity; the schema-drift test checks them against the migrations. */
export const ENTITIES = [
  UserEntity,
  WorkspaceEntity,
  WorkspaceMemberEntity,
  AgentEntity,
  AgentSettingEntity,
  DeliverableEntity,
  DisplayJobEntity,
  ThinkingProcessEntity,
  ThinkingStepEntity,
  GoalEntity,
  GoalScheduleEntity,
  AiUsageEntity,
  QuotaNotificationEntity,
];
