/**
 * HTML built by a tagged template that escapes every interpolated value unless it is markup this
 * module produced. Escaping is the default, not a call each section must remember: a resource name
 * or an error text holding `<script>` can only ever reach the page as text.
 */

/** Markup already escaped (made only by `html` or `raw`). */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function part(value: Part): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]!) + strings[i + 1]!;
  return new Markup(out);
}

/** Trusted constant markup (the stylesheet); never for data. */
export function raw(text: string): Markup {
  return new Markup(text);
}
