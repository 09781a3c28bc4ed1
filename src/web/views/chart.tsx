/** Events per week for the most active companies: an inline SVG line chart, drawn on the server. */
import type { EntityRegistry } from '../../core/entities.ts';
import type { Lang } from '../../core/types.ts';
import type { Chart } from '../archive.ts';
import { webMessages } from '../messages.ts';
import { companyName } from './parts.tsx';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 36, right: 24, top: 12, bottom: 28 };
/** One class per series; the colours are in the style sheet. */
const SERIES = 5;

function weekLabel(start: number, lang: Lang): string {
  const d = new Date(start);
  return lang === 'ja' ? `${d.getUTCMonth() + 1}/${d.getUTCDate()}` : d.toISOString().slice(5, 10);
}

export function WeeklyChart({
  chart,
  lang,
  entities,
}: {
  chart: Chart;
  lang: Lang;
  entities: EntityRegistry;
}) {
  const m = webMessages(lang);
  const weeks = chart.weeks.length;
  if (!chart.series.length) return <p class="chart-empty">{m.chartEmpty}</p>;
  const max = Math.max(1, ...chart.series.flatMap((s) => s.counts));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (weeks > 1 ? (i / (weeks - 1)) * plotW : plotW / 2);
  const y = (n: number) => PAD.top + plotH - (n / max) * plotH;
  const ticks = [0, Math.round(max / 2), max].filter((t, i, all) => all.indexOf(t) === i);
  const title = m.chartTitle(weeks);
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-labelledby="chart-title"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="chart-title">{title}</title>
        {ticks.map((t) => (
          <g key={`t${t}`} class="tick">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {String(t)}
            </text>
          </g>
        ))}
        {chart.weeks.map((start, i) =>
          i % 2 === weeks % 2 ? null : (
            <text key={`w${start}`} class="week" x={x(i)} y={HEIGHT - 8} text-anchor="middle">
              {weekLabel(start, lang)}
            </text>
          ),
        )}
        {chart.series.map((s, i) => (
          <g key={s.company} class={`series s${i % SERIES}`}>
            <polyline points={s.counts.map((n, w) => `${x(w).toFixed(1)},${y(n).toFixed(1)}`).join(' ')} />
            {s.counts.map((n, w) => (
              <circle key={w} cx={x(w).toFixed(1)} cy={y(n).toFixed(1)} r="3">
                <title>{`${companyName(entities, s.company, lang)} ${weekLabel(chart.weeks[w]!, lang)}: ${n}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        <strong>{title}</strong>
        <ul class="legend">
          {chart.series.map((s, i) => (
            <li key={s.company} class={`s${i % SERIES}`}>
              {companyName(entities, s.company, lang)} ({s.counts.reduce((a, b) => a + b, 0)})
            </li>
          ))}
        </ul>
        <small>{m.chartNote}</small>
      </figcaption>
    </figure>
  );
}
