import { describe, expect, test } from 'vitest';
import { createTemplateEngine, isAvailable, TemplateError, type TemplateProblem } from '../../src/templates/engine.js';

const scope = {
  vars: { region: 'eu1', brand: 'Tunes' },
  data: { name: 'Ann', orderId: 'A-17', items: [{ n: 'one' }, { n: 'two' }], html: '<b>&</b>', empty: '', nothing: null },
};

function problemsOf(fn: () => unknown): TemplateProblem[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateError) return err.problems;
    throw err;
  }
  throw new Error('expected a TemplateError');
}

describe('Liquid passes through byte for byte', () => {
  const engine = createTemplateEngine({ partials: {} });
  const liquid = [
    '{{ Profile.name | default: "there" }}',
    '{{Profile.name|default:"there"}}',
    '{{ ExternalTrigger.plan }}',
    '{{ Campaign.campaignId | default:"0_0" }}',
    '{{ Linked.weather.today.temp | round: 1 }}',
    '{{ "now" | date: "%Y-%m-%d %H:%M" }}',
    '{{ Profile.x | default: "}}" }}',
    '{% if Profile.tier == "gold" %}Gold{% elsif Profile.tier == "silver" %}Silver{% else %}Hi{% endif %}',
    '{%- if Profile.vip -%}  VIP  {%- endif -%}',
    '{{- Profile.name -}}',
    '{% for p in ExternalTrigger.productDetails %}{% if p.price > 5 %}{{ p.productName }}{% endif %}{% endfor %}',
    '{% for p in ExternalTrigger.items limit:2 offset:1 %}{{ forloop.index }}{% else %}none{% endfor %}',
    '{% raw %}{{vars.region}} {{#if x}} {{> p}}{% endraw %}',
    '{% comment %} {{data.name}} {% endcomment %}',
    '{% assign first = Profile.name | split: " " | first %}{{ first }}',
    '{% capture greet %}Hi {{ Profile.name }}{% endcapture %}{{ greet | upcase }}',
    '{% case Profile.lang %}{% when "de" %}Hallo{% when "fr" %}Salut{% else %}Hello{% endcase %}',
    '{% unless Profile.optout %}x{% endunless %}',
    '{{ Profile.name | default: "🎉 ünïcødé \' & <tag>" }}',
    // Not valid Liquid (no escapes in Liquid strings) but must still pass through untouched.
    '{{ Profile.name | default: "🎉 ünïcødé \\" \' & <tag>" }}',
    '{% if\n  Profile.x\n%}\nmulti-line\n{% endif %}',
  ];

  test.each(liquid)('alone: %s', (l) => {
    expect(engine.render(l, scope)).toBe(l);
  });

  test.each(liquid)('mixed with Handlebars on both sides: %s', (l) => {
    const src = `{{vars.region}}|${l}|{{data.name}}\n${l}\n{{#if data.name}}${l}{{/if}}`;
    expect(engine.render(src, scope)).toBe(`eu1|${l}|Ann\n${l}\n${l}`);
  });

  test('Liquid-only strings are never compiled', () => {
    const fresh = createTemplateEngine({ partials: {} });
    for (const l of liquid) fresh.render(l, scope);
    expect(fresh.compiledCount).toBe(0);
  });

  test('standalone Liquid lines keep their newlines and indentation around Handlebars', () => {
    const src = 'Hello\n  {% if Profile.vip %}\n  {{vars.brand}} VIP\n  {% endif %}\nBye\n';
    expect(engine.render(src, scope)).toBe('Hello\n  {% if Profile.vip %}\n  Tunes VIP\n  {% endif %}\nBye\n');
  });

  test('HTML escaping applies to Handlebars values only, never to Liquid', () => {
    const src = '<p>{{ Profile.name | default: "<you> & co" }} {{data.html}} {{{data.html}}}</p>';
    expect(engine.render(src, scope, { html: true })).toBe('<p>{{ Profile.name | default: "<you> & co" }} &lt;b&gt;&amp;&lt;/b&gt; <b>&</b></p>');
    expect(engine.render(src, scope)).toBe('<p>{{ Profile.name | default: "<you> & co" }} <b>&</b> <b>&</b></p>');
  });

  test('Handlebars comments and the \\{{ escape are Handlebars', () => {
    expect(engine.render('a{{!-- Profile | x --}}b', scope)).toBe('ab');
    expect(engine.render('\\{{data.name}} {{data.name}}', scope)).toBe('{{data.name}} Ann');
  });
});

describe('Handlebars is strict', () => {
  const engine = createTemplateEngine({ partials: {} });

  test('an unknown variable is an error with its place, never an empty string', () => {
    const [p] = problemsOf(() => engine.render('Hi\n  {{data.nme}}!', scope));
    expect(p).toMatchObject({ code: 'template.missing-value', line: 2, column: 5, endColumn: 13 });
    expect(p.message).toBe('template variable `data.nme` has no value in the data given');
  });

  test('a missing nested value is an error too', () => {
    const [p] = problemsOf(() => engine.render('{{ Profile.x | a }} {{data.nothing.deep}}', scope));
    expect(p.code).toBe('template.missing-value');
    expect(p.message).toContain('`data.nothing.deep`');
    expect(p.column).toBe(23);
  });

  test('helpers refuse a missing value instead of printing "UNDEFINED"', () => {
    const [p] = problemsOf(() => engine.render('{{upper data.missing}}', scope));
    expect(p.code).toBe('template.invalid-argument');
    expect(p.message).toContain('`upper`: got no value');
  });

  test('#if on an optional value is allowed (that is what it is for)', () => {
    expect(engine.render('{{#if data.coupon}}C{{else}}none{{/if}}', scope)).toBe('none');
  });

  test('syntax errors carry a position inside the string, after Liquid of another length', () => {
    const [p] = problemsOf(() => engine.render('{{ Profile.name | default: "a long default" }}\nx {{#if data.name}}y{{/each}}', scope));
    expect(p.code).toBe('template.syntax');
    expect(p.line).toBe(2);
    expect(p.column).toBe(6);
    expect(p.message).toContain("if doesn't match each");
  });

  test('an unterminated mustache is a syntax error at its line', () => {
    const [p] = problemsOf(() => engine.render('ok\n {{data.name', scope));
    expect(p).toMatchObject({ code: 'template.syntax', line: 2 });
  });

  test('an unknown helper is refused before compiling', () => {
    const [p] = problemsOf(() => engine.render('{{shout data.name}}', scope));
    expect(p.code).toBe('template.unknown-helper');
    expect(p.hint).toContain('helpers: `upper`, `lower`, `default`, `date`, `json`');
  });

  test('unbalanced Liquid fails the render', () => {
    const [p] = problemsOf(() => engine.render('{{data.name}} {% if Profile.x %}', scope));
    expect(p).toMatchObject({ code: 'liquid.unbalanced', column: 15 });
  });
});

describe('helpers', () => {
  const engine = createTemplateEngine({ partials: {} });
  test('upper, lower, json', () => {
    expect(engine.render('{{upper data.name}} {{lower vars.brand}} {{json data.items}}', scope)).toBe('ANN tunes [{"n":"one"},{"n":"two"}]');
  });

  test('default covers undefined, null and the empty string, and keeps 0/false', () => {
    expect(engine.render('{{default data.missing "x"}}|{{default data.nothing "y"}}|{{default data.empty "z"}}|{{default data.name "w"}}', scope))
      .toBe('x|y|z|Ann');
    expect(engine.render('{{default data.zero "n"}}', { data: { zero: 0 } })).toBe('0');
  });

  test('date formats in the named zone, across a DST change', () => {
    const src = '{{date data.at "dddd D MMMM YYYY HH:mm Z" "Europe/Berlin"}}';
    expect(engine.render(src, { data: { at: '2026-03-29T00:59:00Z' } })).toBe('Sunday 29 March 2026 01:59 +01:00');
    expect(engine.render(src, { data: { at: '2026-03-29T01:00:00Z' } })).toBe('Sunday 29 March 2026 03:00 +02:00');
  });

  test('date uses the render time zone when the template names none', () => {
    const src = '{{date data.at "YYYY-MM-DD HH:mm"}}';
    expect(engine.render(src, { data: { at: '2026-01-01T03:00:00Z' } }, { timeZone: 'America/New_York' })).toBe('2025-12-31 22:00');
    expect(engine.render(src, { data: { at: '2026-01-01T03:00:00Z' } })).toBe('2026-01-01 03:00');
  });

  test('date refuses an impossible date and an unknown zone', () => {
    expect(problemsOf(() => engine.render('{{date data.at "YYYY"}}', { data: { at: '2026-02-30' } }))[0].message).toContain('not a date');
    expect(problemsOf(() => engine.render('{{date data.at "YYYY" data.zone}}', { data: { at: '2026-02-03', zone: 'Mars/Base' } }))[0].message)
      .toContain('unknown time zone `Mars/Base`');
  });
});

describe('partials', () => {
  const engine = createTemplateEngine({
    partials: {
      footer: '-- {{vars.brand}} {{ Profile.name | default: "friend" }}',
      link: '<a href="{{data.url}}">{{data.label}}</a>',
      broken: '{{#if vars.brand}}',
    },
  });

  test('a partial renders with the caller context and keeps its Liquid', () => {
    expect(engine.render('Hi {{data.name}}\n{{> footer}}', scope)).toBe('Hi Ann\n-- Tunes {{ Profile.name | default: "friend" }}');
  });

  test('the same partial escapes in HTML mode and not in text mode', () => {
    const s = { data: { url: 'https://x.test/?a=1&b=2', label: 'A & B' } };
    expect(engine.render('{{> link}}', s, { html: true })).toBe('<a href="https://x.test/?a&#x3D;1&amp;b&#x3D;2">A &amp; B</a>');
    expect(engine.render('{{> link}}', s)).toBe('<a href="https://x.test/?a=1&b=2">A & B</a>');
  });

  test('unknown partial and a partial with a syntax error are reported at the call', () => {
    const [u] = problemsOf(() => engine.render('x {{> foter}}', scope));
    expect(u).toMatchObject({ code: 'template.unknown-partial', column: 3 });
    expect(u.hint).toContain('did you mean `footer`?');
    const [b] = problemsOf(() => engine.render('{{> broken}}', scope));
    expect(b.code).toBe('template.syntax');
    expect(b.message).toContain('in partial `broken`');
  });

  test('check() follows partials for variables', () => {
    const problems = engine.check('{{> footer}}', ['data.*']);
    expect(problems.map((p) => p.code)).toEqual(['template.unknown-variable']);
    expect(problems[0].message).toBe('in partial `footer` (line 1, column 6): unknown template variable `vars.brand`');
  });
});

describe('only strings are compiled, and compiled once', () => {
  test('renderValue returns non-strings unchanged and renders strings deep inside objects', () => {
    const engine = createTemplateEngine({ partials: {} });
    expect(engine.renderValue(42, scope)).toBe(42);
    expect(engine.renderValue(true, scope)).toBe(true);
    expect(engine.renderValue(null, scope)).toBe(null);
    const value = { n: 5, list: [1, '{{data.name}}', { deep: '{{vars.region}}', f: false }], plain: 'no braces' };
    expect(engine.renderValue(value, scope)).toEqual({ n: 5, list: [1, 'Ann', { deep: 'eu1', f: false }], plain: 'no braces' });
    expect(engine.compiledCount).toBe(2);
  });

  test('strings without {{ are returned as they are without compiling', () => {
    const engine = createTemplateEngine({ partials: {} });
    expect(engine.render('plain text with { braces } and %}', scope)).toBe('plain text with { braces } and %}');
    expect(engine.compiledCount).toBe(0);
  });

  test('compiled templates are cached by source (and escaping mode)', () => {
    const engine = createTemplateEngine({ partials: {} });
    engine.render('{{data.name}}', scope);
    engine.render('{{data.name}}', { data: { name: 'Bo' } });
    expect(engine.compiledCount).toBe(1);
    expect(engine.render('{{data.name}}', { data: { name: 'Bo' } })).toBe('Bo');
    engine.render('{{data.name}}', scope, { html: true });
    expect(engine.compiledCount).toBe(2);
  });

  test('render() refuses a non-string by construction', () => {
    const engine = createTemplateEngine({ partials: {} });
    expect(() => engine.render(7 as unknown as string, scope)).toThrow(TypeError);
  });
});

describe('check() without data', () => {
  const engine = createTemplateEngine({ partials: { footer: 'x' } });

  test('unknown variables name the available ones and the closest', () => {
    const problems = engine.check('Order {{data.ordrId}} in {{vars.region}}', ['vars.region', 'data.orderId', 'data.trackingUrl']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'template.unknown-variable', line: 1, column: 9, endColumn: 20 });
    expect(problems[0].message).toBe('unknown template variable `data.ordrId`');
    expect(problems[0].hint).toBe('did you mean `data.orderId`? available: `vars.region`, `data.orderId`, `data.trackingUrl`');
  });

  test('wildcards, prefixes and deeper paths', () => {
    expect(engine.check('{{data.a.b}} {{#with data.customer}}{{name}}{{/with}}', ['data.*'])).toEqual([]);
    expect(engine.check('{{vars.region.code}} {{vars}}', ['vars.region'])).toEqual([]);
    expect(engine.check('{{schedule.date}}', ['vars.region'])[0].code).toBe('template.unknown-variable');
  });

  test('a variable matches at a dot boundary only', () => {
    const known = ['vars.region', 'data.*'];
    const matched = ['vars.region', 'vars.region.code', 'vars', 'data', 'data.a', 'data.a.b'];
    const unmatched = ['vars.regions', 'vars.regio', 'var', 'vars.regionX.code', 'datum', 'dat', 'data2', ''];
    expect(matched.filter((p) => !isAvailable(p, known))).toEqual([]);
    expect(unmatched.filter((p) => isAvailable(p, known))).toEqual([]);
    expect(isAvailable('a.b', [])).toBe(false);
  });

  test('inside #each only root paths are checked; block params and @ variables are fine', () => {
    const src = '{{#each data.items as |it|}}{{it.n}}{{n}}{{@index}}{{@root.vars.nope}}{{../vars.region}}{{/each}}';
    const problems = engine.check(src, ['vars.region', 'data.items']);
    expect(problems.map((p) => p.message)).toEqual(['unknown template variable `vars.nope`']);
  });

  test('helpers, partials, literal zones, Liquid and syntax, each located', () => {
    expect(engine.check('{{nope 1}}', [])[0].code).toBe('template.unknown-helper');
    expect(engine.check('{{> header}}', [])[0].code).toBe('template.unknown-partial');
    expect(engine.check('{{date "2026-01-01" "YYYY" "Europe/Berln"}}', [])[0]).toMatchObject({ code: 'template.invalid-argument' });
    expect(engine.check('a\nb {% for x in Profile.y %}', [])[0]).toMatchObject({ code: 'liquid.unbalanced', line: 2, column: 3 });
    expect(engine.check('a\n\n  {{#if x}}', [])[0]).toMatchObject({ code: 'template.syntax', line: 3 });
  });

  test('variables() lists what a template reads', () => {
    expect(engine.variables('{{data.a}} {{ Profile.b | x }} {{upper vars.c}} {{#if schedule.date}}{{/if}}')).toEqual([
      'data.a',
      'vars.c',
      'schedule.date',
    ]);
  });
});
