/** The archive's one style sheet, served at /assets/style.css (a file of its own: the CSP allows no inline style). */
export const STYLE_CSS = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --accent: #b3261e; --bg: #fbfbfd; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.55; }
header.site { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; justify-content: space-between;
  padding: .8rem 1.5rem; border-bottom: 3px solid var(--accent); background: #fff; }
header.site .brand { font-weight: 700; font-size: 1.2rem; color: var(--ink); text-decoration: none; }
header.site nav a { margin-left: 1rem; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
footer { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem; color: var(--muted); border-top: 1px solid var(--line); }
a { color: #1a4fa3; }
h1 { font-size: 1.6rem; margin: .6rem 0 1rem; }
h2 { font-size: 1.15rem; margin-top: 1.8rem; }
h3 { font-size: 1.05rem; margin: 0 0 .2rem; }
form.filters { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; padding: .8rem; margin: 1rem 0;
  background: #fff; border: 1px solid var(--line); border-radius: 6px; }
form.filters label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
form.filters input, form.filters select, form.filters button { font: inherit; padding: .25rem .4rem; }
form.filters input[type=search] { min-width: 16rem; }
ol.events, ol.articles, ul.company-list { list-style: none; padding: 0; margin: 0; }
li.event, li.article { padding: .7rem 0; border-bottom: 1px solid var(--line); }
p.meta { margin: 0; color: var(--muted); font-size: .9rem; display: flex; flex-wrap: wrap; gap: .2rem 1rem; }
li.article p.title { margin: 0; }
ul.companies { list-style: none; padding: 0; margin: .3rem 0 0; display: flex; flex-wrap: wrap; gap: .3rem; }
ul.companies li a { display: inline-block; font-size: .8rem; padding: 0 .5rem; border: 1px solid var(--line);
  border-radius: 999px; text-decoration: none; background: #fff; }
ul.company-list li { padding: .3rem 0; border-bottom: 1px solid var(--line); }
ul.company-list .n, p.count, p.aliases, p.id { color: var(--muted); }
p.notice { padding: .6rem .8rem; background: #fff6e0; border: 1px solid #f0d58a; border-radius: 6px; }
p.other-headline { font-size: 1.1rem; color: var(--muted); margin-top: -.5rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
nav.pager { display: flex; gap: 1rem; margin: 1.2rem 0; }
a.suggestion { margin-right: .6rem; }
figure.chart { margin: 1rem 0; padding: .8rem; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart .tick line { stroke: var(--line); }
figure.chart text { font-size: 11px; fill: var(--muted); }
figure.chart polyline { fill: none; stroke-width: 2; }
figure.chart figcaption small { color: var(--muted); }
ul.legend { list-style: none; padding: 0; margin: .3rem 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; }
ul.legend li::before { content: ""; display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  border-radius: 2px; vertical-align: -1px; background: currentColor; }
.s0 { color: #b3261e; } .s1 { color: #1a4fa3; } .s2 { color: #2e7d32; } .s3 { color: #8e44ad; } .s4 { color: #d68910; }
.series.s0 polyline { stroke: #b3261e; } .series.s0 circle { fill: #b3261e; }
.series.s1 polyline { stroke: #1a4fa3; } .series.s1 circle { fill: #1a4fa3; }
.series.s2 polyline { stroke: #2e7d32; } .series.s2 circle { fill: #2e7d32; }
.series.s3 polyline { stroke: #8e44ad; } .series.s3 circle { fill: #8e44ad; }
.series.s4 polyline { stroke: #d68910; } .series.s4 circle { fill: #d68910; }
ul.legend li { color: var(--ink); }
ul.legend li.s0::before { background: #b3261e; } ul.legend li.s1::before { background: #1a4fa3; }
ul.legend li.s2::before { background: #2e7d32; } ul.legend li.s3::before { background: #8e44ad; }
ul.legend li.s4::before { background: #d68910; }
`;
