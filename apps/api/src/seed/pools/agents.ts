/**
 * Phrase pools for agents and their settings. Plain data, like every file in
 * pools/: changing an entry changes the seeded text (ids and counts stay the same).
 */

export interface AgentProfile {
  name: string;
  role: string;
  model: string;
}

/** The first agents of every workspace, in order: a believable team. */
export const AGENT_TEAM: readonly AgentProfile[] = [
  { name: 'Atlas', role: 'researcher', model: 'claude-sonnet-4' },
  { name: 'Quill', role: 'writer', model: 'gpt-4o' },
  { name: 'Sigma', role: 'analyst', model: 'gpt-4o-mini' },
  { name: 'Lens', role: 'reviewer', model: 'claude-haiku-3.5' },
  { name: 'Compass', role: 'planner', model: 'llama-3.1-70b' },
  { name: 'Echo', role: 'summarizer', model: 'gpt-4o-mini' },
  { name: 'Ferret', role: 'fact-checker', model: 'claude-sonnet-4' },
  { name: 'Forge', role: 'coder', model: 'gpt-4.1' },
  { name: 'Scout', role: 'researcher', model: 'llama-3.1-70b' },
  { name: 'Ledger', role: 'analyst', model: 'mistral-large' },
  { name: 'Herald', role: 'writer', model: 'claude-sonnet-4' },
  { name: 'Prism', role: 'data-engineer', model: 'gpt-4.1-mini' },
  { name: 'Babel', role: 'translator', model: 'gemini-1.5-pro' },
  { name: 'Sentinel', role: 'reviewer', model: 'gpt-4o' },
  { name: 'Orbit', role: 'planner', model: 'claude-sonnet-4' },
  { name: 'Nova', role: 'researcher', model: 'gemini-1.5-pro' },
];

/** For agents beyond the team: name x role x model combinations. */
export const AGENT_NAMES: readonly string[] = [
  'Aria',
  'Beacon',
  'Cipher',
  'Delta',
  'Ember',
  'Fable',
  'Granite',
  'Harbor',
  'Iris',
  'Juno',
  'Kestrel',
  'Lumen',
  'Meridian',
  'Nimbus',
  'Onyx',
  'Pilot',
  'Quartz',
  'Relay',
  'Sable',
  'Tango',
  'Umber',
  'Vector',
  'Willow',
  'Xenon',
  'Yarrow',
  'Zephyr',
  'Acorn',
  'Bramble',
  'Cobalt',
  'Drift',
];
export const AGENT_ROLES: readonly string[] = [
  'researcher',
  'writer',
  'analyst',
  'reviewer',
  'planner',
  'summarizer',
  'fact-checker',
  'coder',
  'data-engineer',
  'translator',
  'support-triage',
  'editor',
];
export const AGENT_MODELS: readonly string[] = [
  'gpt-4o-mini',
  'gpt-4o',
  'gpt-4.1',
  'gpt-4.1-mini',
  'claude-sonnet-4',
  'claude-haiku-3.5',
  'llama-3.1-70b',
  'llama-3.1-8b',
  'mistral-large',
  'gemini-1.5-pro',
  'qwen2.5-72b',
];

/**
 * Agent statuses, cycled: mostly active/busy/idle, one error and one offline
 * in every eight, one terminated in sixteen.
 */
export const AGENT_STATUS_CYCLE = [
  'active',
  'busy',
  'idle',
  'error',
  'active',
  'busy',
  'offline',
  'idle',
  'active',
  'busy',
  'idle',
  'terminated',
  'active',
  'idle',
  'busy',
  'active',
] as const;

/** Agent settings: key and the values it takes. */
export const SETTING_VALUES: readonly { key: string; values: readonly string[] }[] = [
  { key: 'temperature', values: ['0.1', '0.2', '0.3', '0.5', '0.7', '0.9'] },
  { key: 'max_tokens', values: ['1024', '2048', '4096', '8192', '16384'] },
  {
    key: 'tools',
    values: [
      'web_search',
      'web_search,code_interpreter',
      'sql_query,charts',
      'web_search,file_reader',
      'file_reader,summarize',
      'code_interpreter,git',
      'none',
    ],
  },
  { key: 'system_prompt_version', values: ['v1.4', 'v2.0', 'v2.1', 'v3.0', 'v3.2'] },
  { key: 'top_p', values: ['0.8', '0.9', '0.95', '1.0'] },
  { key: 'timeout_seconds', values: ['30', '60', '120', '300'] },
  { key: 'max_retries', values: ['0', '1', '2', '3'] },
  { key: 'memory_window', values: ['4', '8', '16', '32'] },
  { key: 'response_format', values: ['markdown', 'json', 'text'] },
  { key: 'reasoning_effort', values: ['low', 'medium', 'high'] },
  { key: 'rate_limit_rpm', values: ['20', '60', '120', '300'] },
  { key: 'language', values: ['en', 'en', 'de', 'fr', 'es', 'ja'] },
];
