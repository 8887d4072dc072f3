/** Phrase pools for thinking processes and their steps. */

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
