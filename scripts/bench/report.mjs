// Rows of the benchmark table and their Markdown. A row is a measurement (wall, RSS) or a comparison
// (ratio against a target); a target miss is reported, never fatal.

/** A target such as { op: '<=', value: 1.3 }; `unit` 'x' for ratios, 'ms' for times. */
export function meets(value, target) {
  switch (target.op) {
    case '<=':
      return value <= target.value;
    case '<':
      return value < target.value;
    case '>=':
      return value >= target.value;
    default:
      throw new Error(`unknown target operator ${target.op}`);
  }
}

export function measurementRow(benchmark, input, measured) {
  return { benchmark, input, wallMs: measured.wallMs, peakRssKiB: measured.peakRssKiB };
}

export function ratioRow(benchmark, input, ratio, target) {
  return { benchmark, input, ratio, target, result: meets(ratio, target) ? 'PASS' : 'MISS' };
}

export function timeTargetRow(benchmark, input, wallMs, target) {
  return { benchmark, input, wallMs, target: { ...target, unit: 'ms' }, result: meets(wallMs, target) ? 'PASS' : 'MISS' };
}

/** Peak RSS against a limit; `target.value` in KiB (GNU time's unit), printed in decimal MB. */
export function rssTargetRow(benchmark, input, peakRssKiB, target) {
  return { benchmark, input, peakRssKiB, target, result: meets(peakRssKiB, target) ? 'PASS' : 'MISS' };
}

export function noteRow(benchmark, input, result) {
  return { benchmark, input, result };
}

const formatNumber = (value, digits) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function formatMs(ms) {
  return ms >= 10_000 ? `${formatNumber(ms / 1000, 1)} s` : `${formatNumber(ms, ms >= 100 ? 0 : 1)} ms`;
}

/** Two decimals, more when rounding would land on the target's bound (1.4996 < 1.5 must not read 1.50x). */
function formatRatio(ratio, target) {
  let digits = 2;
  while (digits < 4 && target && Number(ratio.toFixed(digits)) === target.value && ratio !== target.value) digits++;
  return `${formatNumber(ratio, digits)}x`;
}

function formatTarget(target) {
  if (!target) return '';
  const value = target.unit === 'ms' ? formatMs(target.value) : target.unit === 'KiB' ? `${formatNumber((target.value * 1024) / 1e6, 0)} MB` : `${target.value}x`;
  return `${target.op} ${value}`;
}

function cells(row) {
  return [
    row.benchmark,
    row.input ?? '',
    row.wallMs === undefined ? '' : formatMs(row.wallMs),
    row.peakRssKiB === undefined ? '' : `${formatNumber(row.peakRssKiB / 1024, 1)} MiB`,
    row.ratio === undefined ? '' : formatRatio(row.ratio, row.target),
    formatTarget(row.target),
    row.result ?? '',
  ];
}

export function formatTable(rows) {
  const header = ['Benchmark', 'Input', 'Wall (median)', 'Peak RSS (median)', 'Ratio', 'Target', 'Result'];
  const body = rows.map(cells);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => row[column].length)));
  const line = (values) => `| ${values.map((value, column) => value.padEnd(widths[column])).join(' | ')} |`;
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
