/** Phrase pools for the markdown bodies of deliverables. */

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
