/**
 * Phrase pools the seed builds its text from. Plain data: changing an entry
 * changes the seeded text (ids and counts stay the same).
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

export const WORKSPACE_NAMES: readonly string[] = [
  'Acme Research Lab',
  'Northwind Analytics',
  'Globex Strategy Desk',
  'Initech Content Studio',
  'Umbrella Market Intelligence',
  'Stark Product Ops',
  'Wayne Risk Office',
  'Hooli Growth Team',
  'Soylent Support Center',
  'Cyberdyne Platform Team',
  'Wonka Brand Studio',
  'Tyrell Data Science',
];
export const WORKSPACE_DESCRIPTIONS: readonly string[] = [
  'Market and technology research for the product team, with weekly briefs and a reviewed knowledge base.',
  'Competitive analysis, pricing studies and quarterly forecasts for leadership.',
  'Content pipeline: research, drafting, editing and fact-checking before publication.',
  'Customer-facing analysis: support trends, churn signals and onboarding experiments.',
  'Data quality checks, pipeline reports and incident write-ups for the platform group.',
];

/** Subjects shared by deliverables, thinking processes and goals. */
export const TOPICS: readonly string[] = [
  'vector database pricing',
  'churn drivers in the EU cohort',
  'Q3 competitor launches',
  'onboarding funnel drop-off',
  'LLM inference costs',
  'SOC 2 readiness',
  'enterprise SSO demand',
  'support ticket backlog',
  'usage-based billing',
  'the self-serve trial',
  'APAC expansion',
  'mobile retention',
  'data residency requirements',
  'the public API roadmap',
  'GPU capacity planning',
  'renewal risk in mid-market accounts',
  'warehouse query latency',
  'search relevance',
  'the partner program',
  'open-source adoption',
  'pricing page experiments',
  'agent evaluation benchmarks',
  'prompt injection defenses',
  'document ingestion throughput',
  'the Q4 hiring plan',
  'customer interview themes',
  'release note quality',
  'feature flag debt',
  'cloud spend anomalies',
  'the knowledge base coverage',
  'NPS verbatims',
  'EU AI Act obligations',
];

export const SOURCES: readonly string[] = [
  'the CRM export',
  'the billing warehouse',
  'last week’s support tickets',
  'the analyst notes',
  'the public changelogs',
  'three customer interviews',
  'the product analytics dashboard',
  'the internal wiki',
  'the finance model',
  'recent arXiv papers',
  'the status page history',
  'the sales call transcripts',
  'the survey responses',
  'the competitor pricing pages',
];

export const PROCESS_TITLES: readonly string[] = [
  'Research {topic}',
  'Draft the weekly brief on {topic}',
  'Audit the data behind {topic}',
  'Forecast the impact of {topic}',
  'Review the draft on {topic}',
  'Plan next steps for {topic}',
  'Summarise findings on {topic}',
  'Fact-check claims about {topic}',
  'Compare vendors for {topic}',
  'Investigate the anomaly in {topic}',
  'Prepare board slides on {topic}',
  'Answer the leadership question on {topic}',
];

/**
 * Thinking-step sentences, one list per kind in the order observation,
 * reasoning, decision, action, result; every list has the same length.
 * Placeholders: {topic}, {source}, {n} (2..49), {pct} (5..94), {m} (100..8291).
 */
export const STEP_TEMPLATES: readonly (readonly string[])[] = [
  [
    'Pulled {m} records on {topic} from {source}; {n} of them changed since the last run.',
    'Counted {n} mentions of {topic} in {source} this week, up from last week.',
    'The latest numbers on {topic} in {source} disagree with the previous brief by {pct}%.',
    'Found {n} open questions about {topic} in {source}.',
    'There is no data on {topic} older than {n} days in {source}.',
    'Noticed {n} duplicate entries about {topic} in {source}.',
    'The part of {source} that covers {topic} was last updated {n} days ago.',
    'In {source}, {n} customers raised {topic}.',
  ],
  [
    'If the trend in {topic} holds, the {m} data points point to a {pct}% change next quarter.',
    'The gap on {topic} is more likely a tracking change than a real shift: it starts on one day.',
    'Two explanations fit {topic}; the simpler one needs fewer assumptions, so it comes first.',
    'Weighing {source} against the older notes, the newer source is the more reliable on {topic}.',
    'For {topic}, the {n} largest accounts matter most, so the analysis starts there.',
    'Without a baseline for {topic}, any claim above {pct}% would be speculation.',
    'The {m} rows are enough for a trend on {topic} but not for a per-segment breakdown.',
    'Seasonality explains about {pct}% of the movement in {topic}; the rest needs a closer look.',
  ],
  [
    'Decided to focus on {topic} and drop {n} low-signal leads.',
    'Going with the conservative estimate for {topic} until the figures from {source} are verified.',
    'Will split the work on {topic} and hand the data pull to another agent.',
    'Keeping the current outline for {topic}; adding one section on risks.',
    'Chose {source} as the primary reference for {topic}.',
    'Escalating {topic} to a human reviewer: confidence is below {pct}%.',
    'Skipping the per-region view of {topic} this time; it adds {n} minutes and little signal.',
    'The brief on {topic} will lead with the recommendation, not the method.',
  ],
  [
    'Queried {source} for {topic}; {m} rows came back in {n} ms.',
    'Asked the analyst agent for a second opinion on {topic}.',
    'Drafted a new section on {topic} and saved it as revision {n}.',
    'Ran the comparison script over {m} records about {topic}.',
    'Opened a review request for the draft on {topic}, with {n} comments attached.',
    'Fetched {n} pages from {source} and extracted the passages on {topic}.',
    'Rebuilt the chart for {topic} with the corrected {m}-row dataset.',
    'Sent the summary on {topic} to the planner for scheduling.',
  ],
  [
    'Result: the brief on {topic} is ready with {n} cited sources.',
    'The numbers on {topic} now reconcile with {source}.',
    'Review passed: {n} minor edits, no factual issues in the work on {topic}.',
    'Published the update on {topic}; {n} stakeholders notified.',
    'Confirmed {n} of the findings on {topic}; the rest are marked for follow-up.',
    'The forecast for {topic} was saved with a {pct}% confidence band.',
    'Closed {n} open questions on {topic}; a few remain for the next run.',
    'Handed off the work on {topic} with a short summary and the {m}-row dataset attached.',
  ],
];

/** Appended to some steps, by kind (same order as STEP_TEMPLATES). */
export const STEP_FOLLOW_UPS: readonly (readonly string[])[] = [
  [
    ' The export finished without errors.',
    ' Two fields were empty and were skipped.',
    ' This matches what the support team reported.',
    ' The sample looks representative.',
  ],
  [
    ' Confidence is moderate.',
    ' This is worth checking against last quarter.',
    ' The reviewer flagged the same point earlier.',
    ' It also explains the outliers.',
  ],
  [
    ' The plan was updated accordingly.',
    ' The goal deadline is unaffected.',
    ' This keeps the token budget within limits.',
    ' The change was noted in the log.',
  ],
  [
    ' Latency was within the usual range.',
    ' One retry was needed after a timeout.',
    ' The cache served most of the lookups.',
    ' The tool call cost well under a cent.',
  ],
  [
    ' Next run is scheduled for tomorrow.',
    ' The goal progress was updated.',
    ' No further action needed.',
    ' The team was notified in the workspace channel.',
  ],
];

/** The last step of a failed process. */
export const FAILURE_STEPS: readonly string[] = [
  'Aborted: {source} timed out {n} times while loading {topic}.',
  'Failed: the model refused to continue on {topic} after a policy check.',
  'Stopped: the token budget for {topic} ran out after {m} tokens.',
  'Aborted: the data for {topic} failed validation ({n} malformed rows).',
];

export const DELIVERABLE_KINDS: readonly string[] = [
  'Market brief',
  'Weekly summary',
  'Research memo',
  'Competitive analysis',
  'Risk assessment',
  'Customer insights report',
  'Forecast',
  'Incident review',
  'Decision record',
  'Status update',
];

export const SUMMARY_SENTENCES: readonly string[] = [
  'This report looks at {topic} over the last {n} weeks and what it means for our roadmap.',
  'Demand around {topic} grew faster than expected, mainly in mid-market accounts.',
  'The data behind {topic} is solid for the headline numbers but thin for individual segments.',
  'Most of the movement in {topic} comes from a small number of large customers.',
  'We found no evidence that {topic} is slowing down; if anything, interest is accelerating.',
  'The findings on {topic} were cross-checked against {source} and two independent reviews.',
  'Our recommendation is to invest moderately in {topic} and revisit the numbers next quarter.',
  'Compared to the previous brief, confidence in the estimates for {topic} has improved.',
  'The main risk for {topic} is execution, not demand.',
  'Several assumptions about {topic} from last quarter no longer hold.',
];

export const FINDINGS: readonly string[] = [
  '**{n}%** of surveyed customers mention {topic} unprompted',
  'Spend related to {topic} rose by {n}% quarter over quarter',
  'The top three competitors all shipped something for {topic} this quarter',
  'Support volume tied to {topic} dropped after the last release',
  'Enterprise prospects ask about {topic} in about {n}% of first calls',
  'Metrics on {topic} are noisy below a sample of {m} accounts',
  'Existing tooling covers roughly {n}% of the use cases around {topic}',
  'Churned accounts were {n}% more likely to have raised {topic}',
  'No regulatory blocker was found for {topic} in our current markets',
  'Internal estimates for {topic} were off by {n}% last quarter',
];

export const ANALYSIS_SENTENCES: readonly string[] = [
  'Looking at the raw data from {source}, the pattern is consistent across regions.',
  'The sharpest change happened in the second half of the period, after the pricing update.',
  'Smaller accounts behave differently: they adopt quickly but churn at a higher rate.',
  'When we exclude the {n} largest customers, the trend is flatter but still positive.',
  'The qualitative feedback lines up with the numbers, which raises our confidence.',
  'A few outliers skew the average; the median tells a more useful story.',
  'The comparison with last year is imperfect because the tracking changed in March.',
  'Costs scale roughly linearly with usage up to about {m} requests per day.',
  'Competitors position {topic} as a premium add-on, which leaves room at the low end.',
  'The team that owns {topic} is at capacity, so timing matters as much as scope.',
  'We tested three alternative explanations and none fits the data as well.',
  'The forecast assumes no major change in pricing or packaging over the next two quarters.',
];

export const RECOMMENDATIONS: readonly string[] = [
  'Run a two-week experiment before committing engineering time',
  'Add {topic} to the next quarterly planning cycle',
  'Interview {n} more customers from the affected segment',
  'Set up a weekly dashboard so the trend is visible to everyone',
  'Ask finance to validate the cost assumptions',
  'Share this brief with the sales leadership',
  'Revisit the estimate once a full month of new data is in',
  'Assign an owner and a target date for the follow-up',
];

export const METRICS: readonly string[] = [
  'Active accounts',
  'Weekly sessions',
  'Conversion rate',
  'Avg. response time',
  'Tickets opened',
  'Net revenue retention',
  'Cost per request',
  'Error rate',
];

export const CODE_SNIPPETS: readonly { lang: string; code: string }[] = [
  {
    lang: 'sql',
    code: [
      "SELECT date_trunc('week', created_at) AS week, count(*) AS events",
      '  FROM usage_events',
      " WHERE feature = '{slug}'",
      ' GROUP BY 1',
      ' ORDER BY 1 DESC',
      ' LIMIT {n};',
    ].join('\n'),
  },
  {
    lang: 'python',
    code: [
      'import pandas as pd',
      '',
      'df = pd.read_parquet("exports/{slug}.parquet")',
      'weekly = df.resample("W", on="created_at").size()',
      'print(weekly.tail({n}).describe())',
    ].join('\n'),
  },
  {
    lang: 'ts',
    code: [
      "const rows = await client.query('SELECT account_id, score FROM {slug}_scores');",
      'const atRisk = rows.filter((r) => r.score < 0.{n});',
      'console.log(`${atRisk.length} accounts at risk`);',
    ].join('\n'),
  },
];

export const NEXT_STEPS: readonly string[] = [
  'Schedule a review with the product lead.',
  'Refresh the numbers after the next data export.',
  'Open tickets for the follow-up questions.',
  'Archive the raw data with this report.',
  'Hand the summary to the writer agent for the newsletter.',
];

export const GOAL_TEMPLATES: readonly { title: string; description: string }[] = [
  {
    title: 'Publish {target} research briefs every {window}',
    description:
      'Keep the research pipeline flowing: each brief reviewed and fact-checked before it counts.',
  },
  {
    title: 'Deliver {target} customer insight reports per {window}',
    description: 'Turn support tickets and interviews into reports the product team can act on.',
  },
  {
    title: 'Ship {target} reviewed drafts per {window}',
    description: 'Drafts count once the reviewer agent has signed them off.',
  },
  {
    title: 'Produce {target} competitor updates per {window}',
    description: 'Track launches, pricing changes and hiring signals of the top competitors.',
  },
  {
    title: 'Keep {target} status updates flowing per {window}',
    description: 'A short status update from every active agent, so the dashboard stays current.',
  },
  {
    title: 'Complete {target} forecasts per {window}',
    description: 'Forecasts with a confidence band and the assumptions written down.',
  },
];

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
