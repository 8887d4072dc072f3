import type { DisplayContent } from '@orch/contracts';
import { marked, type Token, type Tokens } from 'marked';
import { FilterXSS, escapeAttrValue } from 'xss';

/**
 * The HTML that may reach the browser: a fixed set of tags and attributes, no
 * event handlers, no style, and links/images only to http(s), mailto or
 * relative URLs. Script and style elements are dropped with their content.
 * Every adapter's output goes through this, whatever produced it.
 */
const sanitizer = new FilterXSS({
  whiteList: {
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
  },
  stripIgnoreTag: true,
  stripIgnoreTagBody: ['script', 'style', 'iframe', 'object', 'embed', 'noscript'],
  allowCommentTag: false,
  onTagAttr(tag, name, value) {
    if ((tag === 'a' && name === 'href') || (tag === 'img' && name === 'src')) {
      return SAFE_URL.test(value.trim()) ? `${name}="${escapeAttrValue(value.trim())}"` : '';
    }
    return undefined;
  },
});

const SAFE_URL = /^(https?:\/\/|mailto:|\/(?!\/)|#|\.{1,2}\/)/i;

export function sanitizeHtml(html: string): string {
  return sanitizer.process(html).trim();
}

/** Markdown to sanitised HTML; raw HTML in the markdown is escaped, never passed through. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, {
    async: false,
    gfm: true,
    walkTokens: (token) => {
      if (token.type === 'html') {
        const raw = token as Tokens.HTML;
        // Shown as text: what the author typed, not markup the browser runs.
        (token as unknown as Tokens.Text).type = 'text';
        (token as unknown as Tokens.Text).text = escapeHtml(raw.text);
      }
    },
  });
  return sanitizeHtml(html);
}

export function outlineOf(markdown: string): string[] {
  return marked
    .lexer(markdown)
    .filter((t): t is Tokens.Heading => t.type === 'heading')
    .map((t) => plainText(t.text))
    .filter(Boolean);
}

/** The first real paragraph, as plain text, cut at a word near 280 characters. */
export function summaryOf(markdown: string, title: string): string {
  const paragraph = marked
    .lexer(markdown)
    .find((t): t is Tokens.Paragraph => t.type === 'paragraph');
  const text = plainText(paragraph ? paragraph.text : title)
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= 280) return text;
  const cut = text.slice(0, 280);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 200))}…`;
}

/** A local, deterministic transformation: what the `local` adapter returns. */
export function transformLocally(title: string, markdown: string): DisplayContent {
  return {
    html: renderMarkdown(markdown),
    summary: summaryOf(markdown, title),
    outline: outlineOf(markdown),
  };
}

function plainText(inline: string): string {
  const tokens: Token[] = marked.Lexer.lexInline(inline);
  const text = (list: Token[]): string =>
    list
      .map((t) =>
        'tokens' in t && Array.isArray(t.tokens)
          ? text(t.tokens)
          : 'text' in t
            ? String(t.text)
            : '',
      )
      .join('');
  return text(tokens)
    .replace(/<[^>]*>/g, '')
    .trim();
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
