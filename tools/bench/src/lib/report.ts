import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export interface PageMarkers {
  start: string;
  end: string;
  /** The page's title, if the page does not exist yet. */
  title: string;
}

/**
 * Puts `content` between the markers of the page, keeping everything else; a
 * page without markers gets them (with the content) appended. Laid out by
 * Prettier, so the page passes the repository's format check as written.
 */
export async function writeBetweenMarkers(
  file: string,
  content: string,
  markers: PageMarkers,
): Promise<void> {
  const block = `${markers.start}\n\n${content}\n\n${markers.end}`;
  const page = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = page.indexOf(markers.start);
  const end = page.indexOf(markers.end);
  const next =
    start >= 0 && end > start
      ? page.slice(0, start) + block + page.slice(end + markers.end.length)
      : `${page === '' ? `# ${markers.title}\n` : page.replace(/\s*$/, '\n')}\n${block}\n`;
  writeFileSync(file, await formatted(next, file));
}

/** A whole file (Markdown or JSON), laid out by Prettier. */
export async function writePage(file: string, text: string): Promise<void> {
  writeFileSync(file, await formatted(text, file));
}

async function formatted(text: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const config = (await prettier.resolveConfig(file)) ?? {};
    return await prettier.format(text, { ...config, filepath: file });
  } catch (error) {
    console.error(
      `[bench] not formatted with Prettier (${error instanceof Error ? error.message : String(error)})`,
    );
    return text;
  }
}
