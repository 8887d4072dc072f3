/** Phrase pools for goals. */

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

/** Goal statuses, cycled: mostly active, some at risk, achieved, missed or paused. */
export const GOAL_STATUS_CYCLE = [
  'active',
  'at_risk',
  'achieved',
  'active',
  'missed',
  'paused',
  'active',
  'at_risk',
  'achieved',
  'active',
] as const;

/** The windows a goal counts deliverables over, and how its title says it. */
export const GOAL_WINDOWS: readonly { hours: number; text: string }[] = [
  { hours: 24, text: 'day' },
  { hours: 48, text: '2 days' },
  { hours: 72, text: '3 days' },
  { hours: 168, text: 'week' },
];

/** The deliverable targets a goal picks from. */
export const GOAL_TARGETS: readonly number[] = [3, 5, 8, 10, 12, 20];
