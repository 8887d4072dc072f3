import type { DisplayContent } from '@orch/contracts';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, startFakeOpenAi } from '../../../../test/support/fake-openai.js';
import { TransformFailedError } from './display-transformer.js';
import { LocalTransformer } from './local.transformer.js';
import {
  OpenAiTransformer,
  parseReply,
  retryAfterMs,
  SYSTEM_PROMPT,
} from './openai.transformer.js';

/** A chat completion whose message content is `content`. */
const completion = (content: unknown) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
const display = (value: Record<string, unknown>) => completion(JSON.stringify(value));

/** What parseReply throws for `body`, or 'accepted'. */
function refusal(body: string): { message: string; retryable: boolean } | 'accepted' {
  try {
    parseReply(body);
    return 'accepted';
  } catch (error) {
    expect(error).toBeInstanceOf(TransformFailedError);
    const failure = error as TransformFailedError;
    return { message: failure.message, retryable: failure.retryable };
  }
}

describe('parseReply', () => {
  it('accepts the JSON display form and sanitises it', () => {
    const reply: DisplayContent = parseReply(
      display({
        html: '<h2>Findings</h2><p onclick="x()">Body<script>alert(1)</script></p>',
        summary: '  The <b>short</b> version. ',
        outline: ['Findings', 42, null, 'Next'],
      }),
    );
    expect(reply).toEqual({
      html: '<h2>Findings</h2><p>Body</p>',
      summary: 'The short version.',
      outline: ['Findings', 'Next'],
    });
  });

  it('accepts a reply without an outline (empty outline)', () => {
    expect(parseReply(display({ html: '<p>x</p>', summary: 's' }))).toEqual({
      html: '<p>x</p>',
      summary: 's',
      outline: [],
    });
  });

  it.each([
    ['a body that is not JSON', '<html>Bad Gateway</html>', /not JSON/],
    ['an empty body', '', /not JSON/],
    ['JSON null', 'null', /not JSON|no content/],
    ['no choices', JSON.stringify({ id: 'x', object: 'chat.completion' }), /no content/],
    ['empty choices', JSON.stringify({ choices: [] }), /no content/],
    ['a null content', completion(null), /no content/],
    ['an empty content', completion('   '), /no content/],
    ['a content that is not a string', completion({ html: '<p>x</p>' }), /no content/],
    ['prose instead of JSON', completion('Sure! Here is the HTML: <p>x</p>'), /JSON object/],
    ['a JSON array', completion('[]'), /lacks html/],
    ['no html', display({ summary: 's', outline: [] }), /lacks html/],
    ['no summary', display({ html: '<p>x</p>' }), /lacks html or summary/],
    ['html that is not a string', display({ html: 42, summary: 's' }), /lacks html/],
    ['empty html', display({ html: '', summary: 's' }), /empty html/],
    ['whitespace html', display({ html: ' \n\t ', summary: 's' }), /empty html/],
    ['html that is all script', display({ html: '<script>x()</script>', summary: 's' }), /empty/],
  ])('rejects %s, not retryable', (_name, body, message) => {
    const result = refusal(body);
    expect(result).toEqual({ message: expect.stringMatching(message), retryable: false });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds', () => {
    expect(retryAfterMs('1')).toBe(1000);
    expect(retryAfterMs('0')).toBe(0);
    expect(retryAfterMs('2.5')).toBe(2500);
  });

  it('reads an HTTP date', () => {
    const inThreeSeconds = new Date(Date.now() + 3_000).toUTCString();
    const ms = retryAfterMs(inThreeSeconds);
    // the date has whole seconds: between 2 and 3 s from now
    expect(ms).toBeGreaterThan(1_900);
    expect(ms).toBeLessThanOrEqual(3_000);
    expect(retryAfterMs(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });

  it('caps at 8 s, whether seconds or a date', () => {
    expect(retryAfterMs('9')).toBe(8_000);
    expect(retryAfterMs('86400')).toBe(8_000);
    expect(retryAfterMs(new Date(Date.now() + 3_600_000).toUTCString())).toBe(8_000);
  });

  it('never waits a negative time', () => {
    expect(retryAfterMs('-5')).toBe(0);
  });

  it('ignores a missing or unreadable header (the backoff applies)', () => {
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('')).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('Infinity')).toBeUndefined();
    expect(retryAfterMs('Tomorrow at noon')).toBeUndefined();
  });
});

describe('OpenAiTransformer.version', () => {
  const make = (model: string, baseUrl = 'http://127.0.0.1:1/v1') =>
    new OpenAiTransformer({ baseUrl, apiKey: undefined, model, maxRetries: 0 });

  it('changes with the model', () => {
    expect(make('gpt-4o-mini').version).not.toBe(make('gpt-4o').version);
    expect(make('test-model').version).not.toBe(make('other-model').version);
  });

  it('stays the same for the same model, wherever the provider is', () => {
    expect(make('test-model').version).toBe(make('test-model').version);
    expect(make('test-model', 'https://api.example.com/v1').version).toBe(
      make('test-model').version,
    );
    expect(make('test-model').version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs from the local adapter', () => {
    expect(make('local-markdown').version).not.toBe(new LocalTransformer(0).version);
  });

  it('reports the provider and model', () => {
    expect(make('m')).toMatchObject({ provider: 'openai', model: 'm' });
  });
});

describe('OpenAiTransformer against an OpenAI-compatible server', () => {
  let fake: FakeOpenAi;
  const input = { workspaceId: 'w', title: 'Weekly report', markdown: '## Findings\n\nAll good.' };

  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  beforeEach(() => fake.reset());
  afterAll(() => fake.close());

  const transformer = (maxRetries = 2, baseUrl = fake.baseUrl) =>
    new OpenAiTransformer({ baseUrl, apiKey: 'sk-test', model: 'test-model', maxRetries });

  /** Runs one transformation; what it returned or threw, and the calls it reported. */
  async function run(t: OpenAiTransformer, timeoutMs = 10_000) {
    let reported = 0;
    const started = performance.now();
    try {
      const content = await t.transform(input, {
        signal: AbortSignal.timeout(timeoutMs),
        onProviderCall: async () => {
          reported += 1;
        },
      });
      return { content, error: undefined, reported, ms: performance.now() - started };
    } catch (error) {
      expect(error).toBeInstanceOf(TransformFailedError);
      return {
        content: undefined,
        error: error as TransformFailedError,
        reported,
        ms: performance.now() - started,
      };
    }
  }

  it('sends the model, both messages, JSON mode and the key; returns the display form', async () => {
    const result = await run(transformer());
    expect(result.error).toBeUndefined();
    expect(result.content).toEqual({
      html: '<h2>Findings</h2>\n<p>All good.</p>',
      summary: 'All good.',
      outline: ['Findings'],
    });
    expect(result.reported).toBe(1);
    expect(fake.problems).toEqual([]);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]).toMatchObject({
      model: 'test-model',
      title: 'Weekly report',
      markdown: input.markdown,
      authorization: 'Bearer sk-test',
      status: 200,
    });
    expect(SYSTEM_PROMPT).toContain('JSON');
  });

  it('retries 5xx, reporting every attempt', async () => {
    fake.enqueue({ status: 500 }, { status: 503 });
    const result = await run(transformer(2));
    expect(result.error).toBeUndefined();
    expect(result.content?.html).toContain('All good.');
    expect(fake.calls.map((c) => c.status)).toEqual([500, 503, 200]);
    expect(result.reported).toBe(3);
  });

  it('gives up after AI_MAX_RETRIES retries', async () => {
    fake.enqueue({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const result = await run(transformer(2));
    expect(result.error?.message).toMatch(/500/);
    expect(fake.calls).toHaveLength(3);
    expect(result.reported).toBe(3);
  });

  it('does not retry a 4xx other than 429', async () => {
    for (const status of [400, 401, 404, 422]) {
      fake.reset();
      fake.enqueue({ status });
      const result = await run(transformer(2));
      expect(result.error?.message, `status ${status}`).toMatch(new RegExp(`refused.*${status}`));
      expect(result.error?.retryable).toBe(false);
      expect(fake.calls).toHaveLength(1);
    }
  });

  it('does not retry a reply that is not the JSON asked for', async () => {
    fake.enqueue({ content: 'I cannot do that.' });
    const result = await run(transformer(2));
    expect(result.error?.message).toMatch(/JSON object/);
    expect(fake.calls).toHaveLength(1);
  });

  it('waits what Retry-After says before retrying a 429', async () => {
    fake.enqueue({ status: 429, retryAfter: '1' });
    const result = await run(transformer(2));
    expect(result.error).toBeUndefined();
    expect(fake.calls.map((c) => c.status)).toEqual([429, 200]);
    const waited = fake.calls[1].startedAt - (fake.calls[0].endedAt ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(2_000);
  });

  it('gives up at its deadline while waiting to retry', async () => {
    fake.enqueue({ status: 503, retryAfter: '5' });
    const result = await run(transformer(2), 500);
    expect(result.error?.message).toMatch(/timed out/);
    expect(result.ms).toBeLessThan(1_500);
    expect(fake.calls).toHaveLength(1);
  });

  it('gives up at its deadline on a provider that never answers', async () => {
    fake.enqueue({ hang: true });
    const result = await run(transformer(2), 400);
    expect(result.error?.message).toMatch(/timed out/);
    expect(result.ms).toBeGreaterThanOrEqual(350);
    expect(result.ms).toBeLessThan(1_500);
    expect(result.reported).toBe(1);
    await fake.waitForIdle();
    expect(fake.calls[0].abandoned).toBe(true);
  });

  it('retries a provider it cannot reach, then fails', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const result = await run(transformer(2, `http://127.0.0.1:${port}/v1`));
    expect(result.error?.message).toMatch(/could not be reached/);
    expect(result.reported).toBe(3);
  });
});
