import { z } from 'zod';

import type { Agent, CreateAgentRequest, UpdateAgentRequest } from '@orch/contracts';

/** The API's rules for an agent (modules/agents/dto), checked before anything is sent. */
export const SETTINGS_MAX = 50;
const SETTING_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

const required = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is at most ${max} characters`);

export const agentFormSchema = z
  .object({
    name: required('Name', 100),
    role: required('Role', 200),
    model: z.string().trim().max(100, 'Model is at most 100 characters'),
    settings: z
      .array(
        z.object({
          key: z
            .string()
            .trim()
            .regex(SETTING_KEY, 'Letters, digits, _ . - only, up to 64 characters'),
          value: z.string().max(2000, 'At most 2000 characters'),
        }),
      )
      .max(SETTINGS_MAX, `At most ${SETTINGS_MAX} settings`),
  })
  .superRefine((values, context) => {
    const seen = new Set<string>();
    values.settings.forEach((setting, index) => {
      const key = setting.key.trim();
      if (seen.has(key)) {
        context.addIssue({
          code: 'custom',
          path: ['settings', index, 'key'],
          message: `"${key}" is set twice`,
        });
      }
      seen.add(key);
    });
  });

export type AgentFormInput = z.input<typeof agentFormSchema>;
export type AgentFormValues = z.output<typeof agentFormSchema>;

export function agentFormDefaults(agent?: Agent): AgentFormInput {
  return {
    name: agent?.name ?? '',
    role: agent?.role ?? '',
    model: agent?.model ?? '',
    settings: Object.entries(agent?.settings ?? {}).map(([key, value]) => ({ key, value })),
  };
}

function settingsMap(values: AgentFormValues): Record<string, string> {
  return Object.fromEntries(values.settings.map(({ key, value }) => [key.trim(), value]));
}

export function toCreateAgentRequest(values: AgentFormValues): CreateAgentRequest {
  return {
    name: values.name,
    role: values.role,
    ...(values.model ? { model: values.model } : {}),
    settings: settingsMap(values),
  };
}

/** Only what changed; settings as the API's merge patch (a removed key is sent as null). */
export function toUpdateAgentRequest(agent: Agent, values: AgentFormValues): UpdateAgentRequest {
  const changes: UpdateAgentRequest = {};
  if (values.name !== agent.name) changes.name = values.name;
  if (values.role !== agent.role) changes.role = values.role;
  if (values.model && values.model !== agent.model) changes.model = values.model;
  const next = settingsMap(values);
  const settings: Record<string, string | null> = {};
  for (const key of Object.keys(agent.settings)) if (!(key in next)) settings[key] = null;
  for (const [key, value] of Object.entries(next)) {
    if (agent.settings[key] !== value) settings[key] = value;
  }
  if (Object.keys(settings).length > 0) changes.settings = settings;
  return changes;
}
