/**
 * The README and the docs/ pages link to each other by relative paths and #anchors; a page moved or
 * a heading renamed would leave a reader at a dead link. Every relative link must name a file that
 * exists, and an anchor into a markdown page must match one of its headings as GitHub spells them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pages = ['README.md', ...readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The text outside fenced code blocks and inline code, where a `[x](y)` is a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function anchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '').match(/^#{1,6} .*$/gm) ?? [];
  return new Set(headings.map((h) => anchor(h.replace(/^#+ /, ''))));
}

function relativeLinks(page: string): { target: string; hash: string | undefined }[] {
  const text = prose(readFileSync(path.join(REPO, page), 'utf8'));
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [file, hash] = href.split('#');
      return { target: file ? path.join(path.dirname(page), file) : page, hash };
    });
}

describe('links between the README and docs/', () => {
  it('the README links to every docs page', () => {
    const linked = new Set(relativeLinks('README.md').map((l) => l.target));
    expect(pages.filter((p) => p !== 'README.md' && !linked.has(p))).toEqual([]);
  });

  it.each(pages)('every relative link in %s resolves, anchors included', (page) => {
    const links = relativeLinks(page);
    const dead = links.filter(({ target, hash }) => {
      const file = path.join(REPO, target);
      if (!existsSync(file)) return true;
      return hash !== undefined && target.endsWith('.md') && !anchorsOf(file).has(hash);
    });
    expect(dead.map((l) => `${l.target}${l.hash ? `#${l.hash}` : ''}`)).toEqual([]);
  });

  it('the anchor spelling matches GitHub for headings with code, colons and parentheses', () => {
    expect(anchor('`campaignctl render ADDRESS`')).toBe('campaignctl-render-address');
    expect(anchor('The sandbox: a local CleverTap')).toBe('the-sandbox-a-local-clevertap');
    expect(anchor('Clock changes (DST)')).toBe('clock-changes-dst');
    expect(anchor('campaignctl.yaml')).toBe('campaignctlyaml');
  });
});
