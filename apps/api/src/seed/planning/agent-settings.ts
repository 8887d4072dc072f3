import { SETTING_VALUES, type AgentProfile } from '../pools/agents.js';
import { Rng } from '../random.js';
import type { WorkspacePlan } from './workspaces.js';

export interface PlannedSetting {
  agentId: string;
  key: string;
  value: string;
  updatedAt: Date;
}

/**
 * settingsPerAgent settings for every agent: the known keys first, in pool
 * order, then `custom_setting_<n>`; each changed at some time since its
 * agent was created.
 */
export function planAgentSettings(plan: WorkspacePlan): PlannedSetting[] {
  const settings: PlannedSetting[] = [];
  for (const agent of plan.agents) {
    const rng = new Rng(
      `${plan.contentNamespace}:settings:${agent.workspace.index}:${agent.index}`,
    );
    for (let k = 0; k < plan.scale.settingsPerAgent; k++) {
      const setting = SETTING_VALUES[k];
      const key = setting ? setting.key : `custom_setting_${k + 1}`;
      const value = setting
        ? settingValue(rng, setting.key, setting.values, agent.profile)
        : `value-${rng.int(1, 99)}`;
      const span = plan.anchor.getTime() - agent.createdAt.getTime();
      const updatedAt = new Date(agent.createdAt.getTime() + Math.floor(rng.next() * span));
      settings.push({ agentId: agent.id, key, value, updatedAt });
    }
  }
  return settings;
}

function settingValue(
  rng: Rng,
  key: string,
  values: readonly string[],
  profile: AgentProfile,
): string {
  // Writers run warmer than reviewers: the temperature follows the role.
  if (key === 'temperature') {
    const creative = ['writer', 'translator', 'planner', 'editor'].includes(profile.role);
    return creative ? rng.pick(values.slice(3)) : rng.pick(values.slice(0, 3));
  }
  if (key === 'system_prompt_version') return `${profile.role}-${rng.pick(values)}`;
  return rng.pick(values);
}
