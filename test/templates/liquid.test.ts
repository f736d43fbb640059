import { describe, expect, test } from 'vitest';
import { checkLiquidBalance, splitTemplate } from '../../src/templates/liquid.js';

function liquidTexts(src: string): string[] {
  return splitTemplate(src).liquid.map((s) => src.slice(s.start, s.end));
}

function balance(src: string): string[] {
  const split = splitTemplate(src);
  return [...split.problems, ...checkLiquidBalance(src, split.liquid)].map((p) => `${p.start}-${p.end}: ${p.tag}: ${p.detail}`);
}

describe('splitTemplate classifies by the DESIGN.md rule', () => {
  test.each([
    ['Profile', '{{ Profile.name }}'],
    ['Event', '{{Event.Amount}}'],
    ['ExternalTrigger', '{{ ExternalTrigger.plan }}'],
    ['Linked', '{{ Linked.weather.today.temp }}'],
    ['Campaign', '{{Campaign.campaignId}}'],
    ['Catalog', '{{ Catalog.item.price }}'],
    ['Recommendation', '{{ Recommendation.top.0.name }}'],
  ])('namespace %s is Liquid', (_ns, expr) => {
    expect(liquidTexts(`a ${expr} {{vars.region}} b`)).toEqual([expr]);
  });

  test('a filter makes any output Liquid, a namespace-like word elsewhere does not', () => {
    const src = '{{ "now" | date: "%Y" }} {{ data.Profile }} {{ ProfileX.a }}';
    expect(liquidTexts(src)).toEqual(['{{ "now" | date: "%Y" }}']);
    expect(splitTemplate(src).hasHandlebars).toBe(true);
  });

  test('a `|` inside quotes is not a filter, and `}}` inside a quoted filter argument does not end it', () => {
    expect(liquidTexts('{{ default data.x "a|b" }}')).toEqual([]);
    expect(liquidTexts('{{ Profile.x | default: "}}" }} tail')).toEqual(['{{ Profile.x | default: "}}" }}']);
  });

  test('tags, whitespace control and raw/comment blocks are Liquid; Handlebars sigils are not', () => {
    const src =
      '{%- if Profile.vip -%}{{- Profile.name -}}{% endif %}{% raw %}{{vars.x}}{% endraw %}' +
      '{% comment %}{{#if}}{% endcomment %}{{#each data.items as |it|}}{{it}}{{/each}}{{{data.html}}}{{!-- a | b --}}{{> footer}}';
    expect(liquidTexts(src)).toEqual([
      '{%- if Profile.vip -%}',
      '{{- Profile.name -}}',
      '{% endif %}',
      '{% raw %}{{vars.x}}{% endraw %}',
      '{% comment %}{{#if}}{% endcomment %}',
    ]);
  });

  test('names bound by Liquid tags are Liquid afterwards', () => {
    const src =
      '{% for p in ExternalTrigger.items %}{{ p.name }}{{ forloop.index }}{% endfor %}' +
      '{% assign greeting = "hi" %}{{ greeting }}{% capture c %}x{% endcapture %}{{ c }}{{ vars.region }}';
    expect(liquidTexts(src)).toContain('{{ p.name }}');
    expect(liquidTexts(src)).toContain('{{ forloop.index }}');
    expect(liquidTexts(src)).toContain('{{ greeting }}');
    expect(liquidTexts(src)).toContain('{{ c }}');
    expect(liquidTexts(src)).not.toContain('{{ vars.region }}');
  });

  test('a string of Liquid only has no Handlebars work', () => {
    expect(splitTemplate('{% if Profile.x %}{{ Profile.x | upcase }}{% endif %}').hasHandlebars).toBe(false);
    expect(splitTemplate('\\{{ literal }}').hasHandlebars).toBe(true);
  });
});

describe('Liquid balance', () => {
  test('balanced nesting of every block kind passes', () => {
    expect(
      balance(
        '{% if a %}{% for x in y %}{% unless z %}{% case x %}{% when 1 %}o{% else %}t{% endcase %}{% endunless %}' +
          '{% else %}e{% endfor %}{% elsif b %}{% capture q %}{% endcapture %}{% tablerow r in s %}{% endtablerow %}{% endif %}',
      ),
    ).toEqual([]);
  });

  test('an unclosed block is reported at its opening tag', () => {
    expect(balance('ab {% if Profile.x %}yes')).toEqual(['3-21: if: no matching `{% endif %}`']);
  });

  test('a closer without an opener is reported at the closer', () => {
    expect(balance('x{% endfor %}')).toEqual(['1-13: endfor: no matching `{% for %}` before it']);
  });

  test('crossed blocks blame the inner block that was left open', () => {
    expect(balance('{% if a %}{% for x in y %}{% endif %}')).toEqual([
      '10-26: for: not closed before `{% endif %}`',
    ]);
  });

  test('else/elsif/when outside a block that allows them', () => {
    expect(balance('{% else %}')).toHaveLength(1);
    expect(balance('{% if a %}{% when 1 %}{% endif %}')).toEqual(['10-22: when: outside `{% case %}`']);
  });

  test('unterminated raw, comment and tag delimiters', () => {
    expect(balance('{% raw %}{{x}}')).toEqual(['0-9: raw: no matching `{% endraw %}`']);
    expect(balance('{% comment %}x')).toEqual(['0-13: comment: no matching `{% endcomment %}`']);
    expect(balance('a {% if x')).toEqual(['2-9: {%: the tag is never closed with `%}`']);
  });

  test('block tags inside raw are not counted', () => {
    expect(balance('{% raw %}{% if %}{% endraw %}')).toEqual([]);
  });
});
