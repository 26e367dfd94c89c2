import { govukTable, type TableCell } from './components/content';
import { html, type Html } from './html';

/**
 * Charts as SVG drawn on the server: no script, no external library, styled
 * by classes in console.css (the CSP allows no style attributes). Every chart
 * is an image with a title and description for screen readers, and comes
 * with a table of the figures it draws, so nothing is only in the picture.
 * The table's first column is headed too (what its rows are: months, accounts …):
 * an empty header cell leaves a screen reader nothing to announce for the row names.
 */

export interface BarSeries {
  name: string;
  /** A class of console.css: app-chart__bar, app-chart__bar--alt, app-chart__bar--baseline. */
  className: string;
  values: number[];
}

export interface ChartFrame {
  id: string;
  title: string;
  /** One sentence saying what the chart shows, read out before the table. */
  description: string;
}

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { top: 20, right: 20, bottom: 60, left: 80 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** A round number at or above `max` for the top of the axis, and ticks to it. */
function scale(max: number): { top: number; ticks: number[] } {
  if (max <= 0) return { top: 1, ticks: [0, 1] };
  const magnitude = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].map((m) => (m * magnitude) / 4).find((s) => s * 4 >= max) ?? magnitude;
  return { top: step * 4, ticks: [0, 1, 2, 3, 4].map((i) => i * step) };
}

function svgFrame(frame: ChartFrame, inner: Html): Html {
  return html`<svg class="app-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${frame.id}-title ${frame.id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="${frame.id}-title">${frame.title}</title><desc id="${frame.id}-desc">${frame.description}</desc>${inner}</svg>`;
}

function yAxis(ticks: number[], top: number, format: (n: number) => string): Html {
  return html`${ticks.map((t) => {
    const y = MARGIN.top + PLOT_H - (t / top) * PLOT_H;
    return html`<line class="app-chart__grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"></line><text class="app-chart__label" x="${MARGIN.left - 8}" y="${y + 5}" text-anchor="end">${format(t)}</text>`;
  })}<line class="app-chart__axis" x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}"></line><line class="app-chart__axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + PLOT_H}" y2="${MARGIN.top + PLOT_H}"></line>`;
}

/** Short labels under the axis: every label when few, else every n-th. */
function xLabels(labels: string[], xOf: (i: number) => number): Html {
  const every = Math.ceil(labels.length / 12);
  return html`${labels.map((label, i) => (i % every === 0 ? html`<text class="app-chart__label" x="${xOf(i)}" y="${HEIGHT - MARGIN.bottom + 20}" text-anchor="middle">${label}</text>` : ''))}`;
}

/** Side-by-side bars per category, with the figures' table. */
export function barChart(frame: ChartFrame & { categories: string[]; categoriesHeading: string; series: BarSeries[]; format: (n: number) => string; legend?: boolean }): Html {
  const max = Math.max(0, ...frame.series.flatMap((s) => s.values));
  const { top, ticks } = scale(max);
  const band = PLOT_W / Math.max(1, frame.categories.length);
  const barWidth = (band * 0.7) / frame.series.length;
  const bars = frame.categories.map((_, i) =>
    frame.series.map((s, j) => {
      const value = s.values[i] ?? 0;
      const h = (Math.max(0, value) / top) * PLOT_H;
      const x = MARGIN.left + i * band + band * 0.15 + j * barWidth;
      return html`<rect class="${s.className}" x="${x.toFixed(1)}" y="${(MARGIN.top + PLOT_H - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}"></rect>`;
    }),
  );
  const legend = frame.series.map(
    (s, j) =>
      html`<rect class="${s.className}" x="${MARGIN.left + j * 200}" y="${HEIGHT - 22}" width="14" height="14"></rect><text class="app-chart__label" x="${MARGIN.left + j * 200 + 20}" y="${HEIGHT - 10}">${s.name}</text>`,
  );
  const svg = svgFrame(frame, html`${yAxis(ticks, top, frame.format)}${bars}${xLabels(frame.categories, (i) => MARGIN.left + i * band + band / 2)}${legend}`);
  return chartWithTable(frame, svg, [{ text: frame.categoriesHeading }, ...frame.series.map((s) => ({ text: s.name, format: 'numeric' as const }))], frame.categories.map((c, i) => [{ text: c }, ...frame.series.map((s) => ({ text: frame.format(s.values[i] ?? 0), format: 'numeric' as const }))]));
}

export interface LineSeries {
  name: string;
  className: string;
  /** null: no figure for that point (nothing sellable). */
  values: Array<number | null>;
}

/** Lines over time against a dashed target, with the figures' table. */
export function lineChart(frame: ChartFrame & { labels: string[]; labelsHeading: string; series: LineSeries[]; target?: { name: string; value: number }; format: (n: number) => string; max?: number }): Html {
  const values = frame.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const { top, ticks } = frame.max !== undefined ? { top: frame.max, ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => f * frame.max!) } : scale(Math.max(frame.target?.value ?? 0, ...values));
  const step = PLOT_W / Math.max(1, frame.labels.length - 1);
  const xOf = (i: number) => MARGIN.left + (frame.labels.length === 1 ? PLOT_W / 2 : i * step);
  const yOf = (v: number) => MARGIN.top + PLOT_H - (Math.min(v, top) / top) * PLOT_H;
  const lines = frame.series.map((s) => {
    const points = s.values.flatMap((v, i) => (v === null ? [] : [`${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`]));
    return html`<polyline class="app-chart__line ${s.className}" points="${points.join(' ')}"></polyline>${s.values.map((v, i) => (v === null ? '' : html`<circle class="app-chart__point" cx="${xOf(i).toFixed(1)}" cy="${yOf(v).toFixed(1)}" r="3"></circle>`))}`;
  });
  const target = frame.target
    ? html`<line class="app-chart__target" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${yOf(frame.target.value)}" y2="${yOf(frame.target.value)}"></line><text class="app-chart__label" x="${WIDTH - MARGIN.right}" y="${yOf(frame.target.value) - 6}" text-anchor="end">${frame.target.name}</text>`
    : '';
  const legend = frame.series.map(
    (s, j) =>
      html`<line class="app-chart__line ${s.className}" x1="${MARGIN.left + j * 200}" x2="${MARGIN.left + j * 200 + 24}" y1="${HEIGHT - 15}" y2="${HEIGHT - 15}"></line><text class="app-chart__label" x="${MARGIN.left + j * 200 + 30}" y="${HEIGHT - 10}">${s.name}</text>`,
  );
  const svg = svgFrame(frame, html`${yAxis(ticks, top, frame.format)}${target}${lines}${xLabels(frame.labels, xOf)}${legend}`);
  const head: TableCell[] = [{ text: frame.labelsHeading }, ...frame.series.map((s) => ({ text: s.name, format: 'numeric' as const })), ...(frame.target ? [{ text: frame.target.name, format: 'numeric' as const }] : [])];
  const rows = frame.labels.map((label, i) => [
    { text: label },
    ...frame.series.map((s) => ({ text: s.values[i] === null || s.values[i] === undefined ? 'none' : frame.format(s.values[i]!), format: 'numeric' as const })),
    ...(frame.target ? [{ text: frame.format(frame.target.value), format: 'numeric' as const }] : []),
  ]);
  return chartWithTable(frame, svg, head, rows);
}

function chartWithTable(frame: ChartFrame, svg: Html, head: TableCell[], rows: TableCell[][]): Html {
  return html`<figure class="app-chart-figure" aria-labelledby="${frame.id}-caption"><figcaption class="govuk-heading-s" id="${frame.id}-caption">${frame.title}</figcaption><div class="app-chart-figure__body"><div class="app-chart-figure__chart">${svg}</div><div class="app-chart-figure__table">${govukTable({
    caption: `${frame.title}: the figures`,
    captionClasses: 'govuk-visually-hidden',
    head,
    rows,
    firstCellIsHeader: true,
    classes: 'govuk-table--small-text-until-tablet',
  })}</div></div></figure>`;
}
