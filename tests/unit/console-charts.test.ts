/**
 * The console's charts (lib/console/charts.ts): each an SVG image named by its title and description,
 * in a figure with the table of its figures, whose every column is headed (axe's empty-table-header:
 * a screen reader announces the header of the row names' column too).
 */
import { describe, expect, it } from 'vitest';
import { barChart, lineChart } from '#lib/console/charts';

/** The text of each header cell of the chart's table, in order. */
function headers(markup: string): string[] {
  const head = /<thead[^>]*>([\s\S]*?)<\/thead>/.exec(markup)?.[1] ?? '';
  return [...head.matchAll(/<th[^>]*>([\s\S]*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
}

/** Each body row of the chart's table as its cells' text. */
function rows(markup: string): string[][] {
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(markup)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '').trim()));
}

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

describe('a bar chart', () => {
  const markup = barChart({
    id: 'spend',
    title: 'Spend against the baseline',
    description: 'Spend to date beside the baseline, by account.',
    categories: ['Subsistence', 'Travel'],
    categoriesHeading: 'Account',
    series: [
      { name: 'Spend to date', className: 'app-chart__bar', values: [12_345, 500] },
      { name: 'Baseline to date', className: 'app-chart__bar--baseline', values: [20_000, 0] },
    ],
    format: pounds,
  }).toString();

  it('heads every column of its table, the categories’ too', () => {
    expect(headers(markup)).toEqual(['Account', 'Spend to date', 'Baseline to date']);
  });

  it('puts each category’s figures in a row, formatted as the axis is', () => {
    expect(rows(markup)).toEqual([
      ['Subsistence', '£123.45', '£200.00'],
      ['Travel', '£5.00', '£0.00'],
    ]);
  });

  it('is an image named by its title and description, in a figure captioned by the title', () => {
    expect(markup).toMatch(/<figure class="app-chart-figure" aria-labelledby="spend-caption">/);
    expect(markup).toMatch(/<svg [^>]*role="img" aria-labelledby="spend-title spend-desc"/);
    expect(markup).toContain('<title id="spend-title">Spend against the baseline</title>');
  });
});

describe('a line chart with a target', () => {
  const markup = lineChart({
    id: 'occupancy',
    title: 'Occupancy month by month',
    description: 'The share of sellable bed nights occupied in each month.',
    labels: ['April', 'May', 'June'],
    labelsHeading: 'Month',
    series: [{ name: 'Occupied', className: '', values: [75, 82.4, null] }],
    target: { name: 'Target 80%', value: 80 },
    format: (n) => `${n.toFixed(0)}%`,
    max: 100,
  }).toString();

  it('heads every column of its table: the labels, each series and the target', () => {
    expect(headers(markup)).toEqual(['Month', 'Occupied', 'Target 80%']);
  });

  it('says "none" for a month with no figure, and repeats the target on every row', () => {
    expect(rows(markup)).toEqual([
      ['April', '75%', '80%'],
      ['May', '82%', '80%'],
      ['June', 'none', '80%'],
    ]);
  });
});
