// The one table printed at the end of `npm run bench`, and bench/results/latest.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PartId, PartResult } from './bench-kit';

/** The keys latest.json must have per part (numbers, or null when not measured). */
export const REQUIRED_KEYS: Record<PartId, readonly string[]> = {
  P1: ['decisions_per_s', 'p99_ms', 'nats_echo_per_s', 'ratio'],
  P2: ['booked', 'capacity', 'overbooked'],
  P3: ['commits_per_s', 'pg_insert_per_s', 'ratio'],
  P4: ['p50_ms', 'p99_ms', 'early', 'lost', 'duplicated'],
  P5: ['p99_ms'],
  P6: ['recovery_s', 'lost'],
};

export const TARGETS: Record<PartId, string> = {
  P1: '>= 3,000/s, p99 <= 5 ms, >= 50% of echo',
  P2: '50 booked, 0 over, losers told full',
  P3: '>= 3,000/s, >= 60% of raw inserts',
  P4: 'p50 <= 20, p99 <= 100 ms, 0/0/0',
  P5: 'p99 <= 250 ms',
  P6: '<= 10 s, nothing lost',
};

const WHAT: Record<PartId, string> = {
  P1: 'routing over NATS, 8 in flight',
  P2: 'hot slot, 64 bookers, cap 50',
  P3: 'booking commits, 20 writers',
  P4: 'callback firing, 10,000',
  P5: 'config change -> routing',
  P6: 'kill -9 under load',
};

/** Every required key present (null when missing), in the contract's order, then the part's extras. */
export function normalise(part: PartId, result: PartResult): PartResult {
  const row: PartResult = {};
  for (const key of REQUIRED_KEYS[part]) row[key] = typeof result[key] === 'number' ? result[key] : null;
  for (const [key, value] of Object.entries(result)) if (!(key in row)) row[key] = value;
  return row;
}

const fmt = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
  return String(value);
};

function measured(part: PartId, r: PartResult): string {
  switch (part) {
    case 'P1':
      return `${fmt(r.decisions_per_s)}/s, p99 ${fmt(r.p99_ms)} ms; echo ${fmt(r.nats_echo_per_s)}/s; ratio ${fmt(r.ratio)}`;
    case 'P2':
      return `${fmt(r.booked)} booked of ${fmt(r.capacity)}, ${fmt(r.overbooked)} over, ${fmt(r.losers_told_other ?? null)} losers not told full`;
    case 'P3':
      return `${fmt(r.commits_per_s)}/s; raw inserts ${fmt(r.pg_insert_per_s)}/s; ratio ${fmt(r.ratio)}`;
    case 'P4':
      return `p50 ${fmt(r.p50_ms)} ms, p99 ${fmt(r.p99_ms)} ms; early ${fmt(r.early)}, lost ${fmt(r.lost)}, twice ${fmt(r.duplicated)}`;
    case 'P5':
      return `p99 ${fmt(r.p99_ms)} ms`;
    case 'P6':
      return `back and caught up in ${fmt(r.recovery_s)} s; lost ${fmt(r.lost)}`;
    default: {
      const _exhaustive: never = part;
      return _exhaustive;
    }
  }
}

export function printTable(results: Partial<Record<PartId, PartResult>>): void {
  const rows = (Object.keys(results) as PartId[]).map((part) => {
    const r = results[part]!;
    const pass = r.pass === true ? 'yes' : r.pass === false ? 'NO' : '—';
    return [part, WHAT[part], measured(part, r), TARGETS[part], pass];
  });
  const header = ['id', 'what', 'measured', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)];
  process.stdout.write(`\n${out.join('\n')}\n`);
  const notes = (Object.keys(results) as PartId[]).flatMap((part) => {
    const r = results[part]!;
    return ['note', 'finding', 'error'].filter((k) => typeof r[k] === 'string').map((k) => `  ${part} ${k}: ${String(r[k])}`);
  });
  if (notes.length) process.stdout.write(`\n${notes.join('\n')}\n`);
}

/**
 * Writes latest.json. A run of some parts only (`npm run bench -- P2`) replaces those parts and keeps the
 * others from the file (each part carries its own `measured_at`).
 */
export function writeResults(file: string, results: Partial<Record<PartId, PartResult>>): Record<string, PartResult> {
  let previous: Record<string, PartResult> = {};
  if (existsSync(file)) {
    try {
      previous = JSON.parse(readFileSync(file, 'utf8')) as Record<string, PartResult>;
    } catch {
      previous = {};
    }
  }
  const merged: Record<string, PartResult> = {};
  for (const part of Object.keys(REQUIRED_KEYS) as PartId[]) {
    const row = results[part] ?? previous[part];
    merged[part] = normalise(part, row ?? { note: 'not measured yet' });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
