/**
 * What a benchmark measured, written as JSON under tests/bench/results/ (gitignored) beside the
 * table it prints, so `npm run bench -- all` can put every figure beside its goal in one summary.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

/** A goal as the issue states it: the figure must be below (`<`, `<=`) or above (`>=`) `value`. */
export interface Goal {
  op: '<' | '<=' | '>=';
  value: number;
}

export interface Measure {
  /** What was measured, in words (one line of the summary). */
  measure: string;
  figure: number;
  /** ms, s, KB, ×, RCU/placement … */
  unit: string;
  goal?: Goal;
  /** Anything the figure needs to be read right (how many runs, what it excludes). */
  note?: string;
}

export interface BenchResults {
  bench: string;
  /** ISO instant the results were written. */
  at: string;
  machine: { cpus: number; loadAverage: number[]; node: string };
  measures: Measure[];
  /** Every printed table, by its title. */
  tables: Record<string, Array<Record<string, string | number>>>;
}

/** Collects a bench's tables and measures, printing each table as it comes; `write()` saves them. */
export class BenchRecorder {
  private readonly tables: BenchResults['tables'] = {};
  private readonly measures: Measure[] = [];
  private readonly loadAtStart = loadavg();

  constructor(private readonly bench: string) {}

  table(title: string, rows: Array<Record<string, string | number>>): void {
    console.log(`\n${title}`);
    console.table(rows);
    this.tables[title] = rows;
  }

  measure(measure: Measure): void {
    this.measures.push(measure);
  }

  write(): string {
    const results: BenchResults = {
      bench: this.bench,
      // wall clock: when the figures were measured (benches are not tests: no answer depends on it)
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, loadAverage: [...this.loadAtStart, ...loadavg()].map((l) => Number(l.toFixed(2))), node: process.version },
      measures: this.measures,
      tables: this.tables,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${this.bench}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n(figures written to ${file})`);
    return file;
  }
}

export function readResults(bench: string): BenchResults | undefined {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${bench}.json`), 'utf8')) as BenchResults;
  } catch {
    return undefined;
  }
}

/** figure ÷ goal: at most 1 meets a `<`/`<=` goal, at least 1 meets a `>=` goal. */
export function goalRatio(m: Measure): number | undefined {
  return m.goal && m.goal.value !== 0 ? m.figure / m.goal.value : undefined;
}

export function goalMet(m: Measure): boolean | undefined {
  if (!m.goal) return undefined;
  const { op, value } = m.goal;
  return op === '<' ? m.figure < value : op === '<=' ? m.figure <= value : m.figure >= value;
}
