import { describe, expect, it } from 'vitest';
import { outlineOf, renderMarkdown, sanitizeHtml, summaryOf, transformLocally } from './render.js';

/** The tags the sanitiser lets through, and the attributes each may keep. */
const ALLOWED: Record<string, string[]> = {
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  p: [],
  br: [],
  hr: [],
  blockquote: [],
  ul: [],
  ol: ['start'],
  li: [],
  strong: [],
  em: [],
  del: [],
  code: [],
  pre: [],
  a: ['href', 'title'],
  img: ['src', 'alt', 'title'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
};
const SAFE_URL = /^(https?:\/\/|mailto:|\/|#|\.{1,2}\/)/i;

interface Element {
  tag: string;
  attributes: Record<string, string>;
}

/** Every real element in the HTML (escaped text such as `&lt;script&gt;` is not one). */
function elementsOf(html: string): Element[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)].map(
    ([, tag, rest]) => ({
      tag: tag.toLowerCase(),
      attributes: Object.fromEntries(
        [...rest.matchAll(/([^\s=>]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [
          name.toLowerCase(),
          value ?? '',
        ]),
      ),
    }),
  );
}

/** The problems a piece of HTML would have in a browser; [] when it is safe. */
function dangersIn(html: string): string[] {
  const problems: string[] = [];
  if (/<\s*(script|iframe|style|object|embed|svg|math|form|input|link|meta)\b/i.test(html)) {
    problems.push('a dangerous element');
  }
  for (const { tag, attributes } of elementsOf(html)) {
    const allowed = ALLOWED[tag];
    if (!allowed) {
      problems.push(`<${tag}> is not allowed`);
      continue;
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (!allowed.includes(name)) problems.push(`<${tag} ${name}> is not allowed`);
      if ((name === 'href' || name === 'src') && !SAFE_URL.test(value)) {
        problems.push(`<${tag} ${name}="${value}"> is not a safe URL`);
      }
    }
  }
  return problems;
}

const ATTACKS: Record<string, string> = {
  'script block': '<script>alert(1)</script>',
  'inline script': 'Hello <script>alert("xss")</script> world',
  'script with attributes': '<script src="https://evil.example/x.js" async></script>',
  'img onerror': '<img src=x onerror=alert(1)>',
  'img onerror quoted': 'before <img src="https://ok.example/a.png" onerror="alert(1)"> after',
  'javascript link (markdown)': '[click](javascript:alert(document.cookie))',
  'javascript link (mixed case)': '[click](JaVaScRiPt:alert(1))',
  'javascript link (html)': '<a href="javascript:alert(1)">click</a>',
  'javascript link (entity)': '<a href="&#106;avascript:alert(1)">click</a>',
  'javascript image (markdown)': '![x](javascript:alert(1))',
  'vbscript and data urls':
    '<a href="vbscript:msgbox(1)">v</a> <img src="data:image/svg+xml,<svg>">',
  iframe: '<iframe src="https://evil.example"></iframe>',
  'iframe inline': 'see <iframe src="https://evil.example">inner</iframe> here',
  'style attribute': '<p style="position:fixed;top:0">styled</p>',
  'style element': '<style>body { display: none }</style>',
  'svg onload': '<svg onload="alert(1)"><circle r="1"/></svg>',
  'onclick on an allowed tag': '<a href="https://ok.example" onclick="alert(1)">ok</a>',
  'event handler in a table': '| a |\n|---|\n| <td onmouseover=alert(1)>x |',
  'object and embed': '<object data="x.swf"></object><embed src="x.swf">',
  'comment hiding a script': '<!-- x --><script>alert(1)</script>',
};

describe('renderMarkdown', () => {
  it('renders headings, emphasis, lists, tables, code, quotes, links and images', () => {
    const html = renderMarkdown(
      [
        '# Title',
        '',
        '## Section *one*',
        '',
        'Some **bold**, _em_ and ~~gone~~ text with `inline code`.',
        '',
        '- first',
        '- second',
        '',
        '3. third',
        '4. fourth',
        '',
        '| Name | Score |',
        '|------|:-----:|',
        '| a    | 1     |',
        '',
        '```ts',
        'const x = 1 < 2;',
        '```',
        '',
        '> quoted',
        '',
        '[site](https://example.com "Example") [mail](mailto:a@example.com) [rel](/docs) [anchor](#top)',
        '',
        '![chart](https://example.com/chart.png)',
        '',
        '---',
      ].join('\n'),
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<h2>Section <em>one</em></h2>');
    expect(html).toContain(
      '<p>Some <strong>bold</strong>, <em>em</em> and <del>gone</del> text with <code>inline code</code>.</p>',
    );
    expect(html).toMatch(/<ul>\s*<li>first<\/li>\s*<li>second<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<ol start="3">\s*<li>third<\/li>\s*<li>fourth<\/li>\s*<\/ol>/);
    expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>Name<\/th>\s*<th align="center">Score/);
    expect(html).toMatch(/<td>a<\/td>\s*<td align="center">1<\/td>/);
    expect(html).toContain('<pre><code>const x = 1 &lt; 2;\n</code></pre>');
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
    expect(html).toContain('<a href="https://example.com" title="Example">site</a>');
    expect(html).toContain('<a href="mailto:a@example.com">mail</a>');
    expect(html).toContain('<a href="/docs">rel</a>');
    expect(html).toContain('<a href="#top">anchor</a>');
    expect(html).toContain('<img src="https://example.com/chart.png" alt="chart">');
    expect(html).toContain('<hr>');
    expect(dangersIn(html)).toEqual([]);
  });

  it('shows raw HTML in the markdown as text, never as markup', () => {
    expect(renderMarkdown('a <b>bold</b> word')).toBe('<p>a &lt;b&gt;bold&lt;/b&gt; word</p>');
    expect(renderMarkdown('Hello <script>alert(1)</script> world')).toBe(
      '<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; world</p>',
    );
    expect(renderMarkdown('Tom & Jerry, 5 < 6')).toBe('<p>Tom &amp; Jerry, 5 &lt; 6</p>');
  });

  it.each(Object.entries(ATTACKS))('lets nothing executable through: %s', (_name, markdown) => {
    const html = renderMarkdown(`Intro.\n\n${markdown}\n\nOutro.`);
    expect(dangersIn(html)).toEqual([]);
    expect(elementsOf(html).map((e) => e.tag)).not.toContain('script');
    expect(html).not.toMatch(/href="\s*javascript:/i);
    expect(html).toContain('<p>Intro.</p>');
    expect(html).toContain('<p>Outro.</p>');
  });

  it('drops the target of a javascript: link but keeps its text', () => {
    expect(renderMarkdown('[click](javascript:alert(1))')).toBe('<p><a>click</a></p>');
  });

  it('is deterministic: the same markdown gives the same HTML, whatever ran in between', () => {
    const markdown = '# A\n\n- x\n- y\n\n<script>x</script>\n\n| a |\n|---|\n| b |';
    const first = renderMarkdown(markdown);
    renderMarkdown('# Something else\n\n> with a quote and `code`');
    expect(renderMarkdown(markdown)).toBe(first);
    expect(transformLocally('T', markdown)).toEqual(transformLocally('T', markdown));
  });
});

/** The attacks written as HTML (a model's reply is HTML, not markdown). */
const HTML_ATTACKS = Object.entries(ATTACKS).filter(([, text]) => /<[a-z!]/i.test(text));

describe('sanitizeHtml', () => {
  it.each(HTML_ATTACKS)('removes everything executable: %s', (_name, html) => {
    const clean = sanitizeHtml(html);
    expect(dangersIn(clean)).toEqual([]);
    expect(clean).not.toMatch(/<script|onerror|onload|onclick|onmouseover|javascript:|style=/i);
  });

  it('drops script, style and iframe elements with their content', () => {
    expect(sanitizeHtml('<script>alert(1)</script>')).toBe('');
    expect(sanitizeHtml('<p>a</p><style>p { color: red }</style><p>b</p>')).toBe(
      '<p>a</p><p>b</p>',
    );
    expect(sanitizeHtml('x<iframe src="https://evil.example">inner</iframe>y')).toBe('xy');
  });

  it('strips event handlers, style and unsafe URLs, and keeps the text', () => {
    expect(sanitizeHtml('<p style="color:red" onclick="x()">a</p>')).toBe('<p>a</p>');
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeHtml('<a href=" JAVASCRIPT:alert(1)">x</a>')).toBe('<a>x</a>');
    expect(sanitizeHtml('<img src=x onerror=alert(1)>')).toBe('<img>');
    expect(sanitizeHtml('<div><span class="c">text</span></div>')).toBe('text');
  });

  it('keeps the allowed tags and safe attributes', () => {
    const html =
      '<h2>T</h2><p><a href="https://example.com/a?b=1&amp;c=2" title="t">l</a> ' +
      '<a href="mailto:x@example.com">m</a> <a href="/rel">r</a> <a href="#x">h</a> ' +
      '<a href="./here">d</a></p><ol start="2"><li>i</li></ol>' +
      '<table><thead><tr><th align="left">h</th></tr></thead><tbody><tr><td align="right">c</td></tr></tbody></table>' +
      '<img src="https://example.com/i.png" alt="a" title="t"><pre><code>x</code></pre>';
    expect(sanitizeHtml(html)).toBe(html);
  });

  it('trims, so markup that is all unsafe sanitises to the empty string', () => {
    expect(sanitizeHtml('  <p>x</p>\n')).toBe('<p>x</p>');
    expect(sanitizeHtml('  \n <script>x</script> ')).toBe('');
  });
});

describe('summaryOf', () => {
  it('is the first paragraph as plain text', () => {
    expect(
      summaryOf(
        '# Heading\n\nFirst *para* with **bold**, `code` and a [link](https://e.com).\n\nSecond.',
        'Title',
      ),
    ).toBe('First para with bold, code and a link.');
  });

  it('collapses whitespace and drops inline tags', () => {
    expect(summaryOf('one\ntwo   three\n<b>four</b>', 'Title')).toBe('one two three four');
  });

  it('falls back to the title when there is no paragraph', () => {
    expect(summaryOf('# Only a heading\n\n- a list', 'The *title*')).toBe('The title');
    expect(summaryOf('', 'Empty')).toBe('Empty');
  });

  it('keeps text of up to 280 characters whole', () => {
    const text = `${'abcd '.repeat(55)}abcd`; // 279 characters
    expect(text.length).toBe(279);
    expect(summaryOf(text, 'T')).toBe(text);
  });

  it('cuts long text at a word near 280 characters, with an ellipsis', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const summary = summaryOf(words, 'T');
    expect(summary.endsWith('…')).toBe(true);
    const kept = summary.slice(0, -1);
    expect(kept.length).toBeLessThanOrEqual(280);
    expect(kept.length).toBeGreaterThan(260);
    // cut between words: what is kept is a prefix followed by a space in the original
    expect(words.startsWith(kept)).toBe(true);
    expect(words[kept.length]).toBe(' ');
  });

  it('cuts a text without spaces too, and never returns more than 281 characters', () => {
    const summary = summaryOf('x'.repeat(1000), 'T');
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(281);
  });
});

describe('outlineOf', () => {
  it('lists the headings in order, as plain text', () => {
    expect(
      outlineOf(
        '# Intro\n\ntext\n\n## Method `v2` and **results**\n\nSetext heading\n---\n\n### Deep [link](https://e.com)\n\n#### <i>Tagged</i>',
      ),
    ).toEqual(['Intro', 'Method v2 and results', 'Setext heading', 'Deep link', 'Tagged']);
  });

  it('ignores headings inside code and empty headings', () => {
    expect(outlineOf('```\n# not a heading\n```\n\n#\n\n## Real')).toEqual(['Real']);
    expect(outlineOf('no headings at all')).toEqual([]);
  });
});

describe('transformLocally', () => {
  it('returns the rendered HTML, the summary and the outline', () => {
    expect(transformLocally('T', '# A\n\nBody <script>x</script>.\n\n## B')).toEqual({
      html: '<h1>A</h1>\n<p>Body &lt;script&gt;x&lt;/script&gt;.</p>\n<h2>B</h2>',
      summary: 'Body x.',
      outline: ['A', 'B'],
    });
  });
});
