/**
 * The page's whole stylesheet, inline: the status page loads nothing else (no fonts, scripts or
 * images), so it renders the same behind a firewall, and the Content-Security-Policy can forbid
 * everything but inline style. Colours keep a contrast ratio above 4.5:1 on their backgrounds, and
 * every state is also said in words (colour is never the only signal).
 */
export const STYLESHEET = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #57606a; --line: #d0d7de; --head: #f6f8fa;
  --ok-fg: #0f5323; --ok-bg: #dafbe1; --warn-fg: #6a4200; --warn-bg: #fff1c5; --bad-fg: #82071e; --bad-bg: #ffebe9; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9da7b3; --line: #30363d; --head: #161b22;
  --ok-fg: #7ee787; --ok-bg: #0f2d1a; --warn-fg: #f2cc60; --warn-bg: #2e2410; --bad-fg: #ffa198; --bad-bg: #3b1219; } }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem 1.5rem 3rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem 1rem; border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
h1 { font-size: 1.4rem; margin: 0; }
h2 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
main { max-width: 80rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .8rem; font-weight: 600; font-size: .85rem; border: 1px solid currentColor; }
.ok { color: var(--ok-fg); background: var(--ok-bg); }
.warn { color: var(--warn-fg); background: var(--warn-bg); }
.bad { color: var(--bad-fg); background: var(--bad-bg); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 0 2rem; }
table { border-collapse: collapse; width: 100%; margin: .25rem 0; }
caption { text-align: left; color: var(--muted); padding: .2rem 0; }
th, td { text-align: left; vertical-align: top; padding: .3rem .6rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
thead th { background: var(--head); font-weight: 600; }
tbody th { font-weight: 500; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
ul.plain { margin: 0; padding-left: 1.1rem; }
.note { margin: .4rem 0; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
a { color: inherit; }
time { white-space: nowrap; }
`;
