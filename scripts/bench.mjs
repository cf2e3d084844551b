#!/usr/bin/env node
// The benchmark of registry-proxy: wall time and peak RSS of the bundled function (dist/registry-proxy.cjs)
// on generated ResourceLists, next to the floor (yaml's CST round trip), kustomize doing the same rewrite,
// start-up cost and the registry probe. Prints a Markdown table with targets (PASS/MISS) and writes
// .bench/results.json. A target miss never fails the run; a measured run that fails does (exit 1).
//
//   node scripts/bundle.mjs && node scripts/bench.mjs [--quick] [--full] [--runs=N]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFloorOutput, checkRegistryProxyOutput } from './bench/check-output.mjs';
import { writeBenchInputs } from './bench/generate-input.mjs';
import { prepareContainerStartup } from './bench/container-startup.mjs';
import { checkKustomizeRewrite, findKustomize, kustomizeCommand } from './bench/kustomize-baseline.mjs';
import { detectRssMethod, measureInterleaved, measureRuns } from './bench/measure.mjs';
import { findProbeBench, runProbeBench } from './bench/probe-bench.mjs';
import { formatTable, measurementRow, noteRow, ratioRow, timeTargetRow } from './bench/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = join(ROOT, '.bench');
const BUNDLE = join(ROOT, 'dist', 'registry-proxy.cjs');
const FLOOR = join(ROOT, 'scripts', 'bench', 'cst-floor.mjs');
const NODE = process.execPath;

const SIZES = [2_000, 10_000];
/** kustomize takes about 20 s for 2,000 Deployments; larger inputs only with --full. */
const KUSTOMIZE_DEFAULT_MAX = 2_000;
const STARTUP_RUNS = 10;
const TARGETS = {
  oursOverFloor: { op: '<=', value: 1.3 },
  kustomizeOverOurs: { op: '>=', value: 10 },
  startupOverNode: { op: '<', value: 1.5 },
  probeSpeedup: { op: '>=', value: 8 },
  probeParallelMs: { op: '<', value: 2_000 },
};

const USAGE = `Usage: node scripts/bench.mjs [--quick] [--full] [--runs=N]
  --quick   1 run per measurement, 2,000 Deployments only (start-up stays a median of ${STARTUP_RUNS})
  --full    also run kustomize on 10,000 Deployments (minutes)
  --runs=N  runs per measurement (default 3); each number is the median
Build first: node scripts/bundle.mjs
`;

function parseOptions(argv) {
  const options = { quick: false, full: false, runs: undefined, help: false };
  for (const arg of argv) {
    if (arg === '--quick') options.quick = true;
    else if (arg === '--full') options.full = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else if (/^--runs=[1-9]\d*$/.test(arg)) options.runs = Number(arg.slice('--runs='.length));
    else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  options.runs ??= options.quick ? 1 : 3;
  options.sizes = options.quick ? SIZES.slice(0, 1) : SIZES;
  return options;
}

const progress = (message) => process.stderr.write(`bench: ${message}\n`);
const formatCount = (count) => count.toLocaleString('en-US');
const deployments = (count) => `${formatCount(count)} Deployment${count === 1 ? '' : 's'}`;

function describeMachine(rssMethod, kustomize) {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    kustomize: kustomize ?? 'not found',
    rssMethod,
  };
}

const GNU_TIME_WARNING = [
  '!!! GNU time (/usr/bin/time) is missing: peak RSS is polled from /proc/<pid>/status (VmHWM) every',
  '!!! millisecond and may miss the last growth. Install it for exact numbers: apt-get install time',
].join('\n');

function formatHeader(machine, options) {
  const kustomizeSizes = options.full ? 'all sizes' : `up to ${formatCount(KUSTOMIZE_DEFAULT_MAX)} (--full for more)`;
  return [
    '## registry-proxy benchmark',
    '',
    `- machine: nproc ${machine.nproc}, ${machine.cpu}, ${machine.memoryGiB} GiB RAM, ${machine.os}`,
    `- node ${machine.node}; kustomize ${machine.kustomize} (kubectl kustomize); peak RSS: ${machine.rssMethod === 'gnu-time' ? "GNU time '%M'" : 'polling /proc (VmHWM)'}`,
    `- each number: median of ${options.runs} run(s), start-up median of ${STARTUP_RUNS}; kustomize: ${kustomizeSizes}`,
    ...(machine.rssMethod === 'gnu-time' ? [] : ['', GNU_TIME_WARNING]),
    '',
  ].join('\n');
}

/** Runs one benchmark step; a failure becomes a FAILED row and a failure entry instead of ending the run. */
async function attempt(bench, benchmark, input, step) {
  try {
    return await step();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    progress(`FAILED ${benchmark} (${input}): ${message}`);
    bench.failures.push({ benchmark, input, message });
    bench.rows.push(noteRow(benchmark, input, 'FAILED'));
    return undefined;
  }
}

/** One unmeasured run to a file (also the warm-up) whose output is checked; resolves to what the check found (an object). */
async function runChecked(program) {
  const spec = { ...program.spec, stdout: program.output, rssMethod: 'none', scratchDir: BENCH_DIR };
  await measureRuns(spec, { runs: 1, label: `${program.label} (checked run)` });
  return program.check(program.output);
}

const FLOOR_NAME = 'CST floor (yaml Parser + CST.stringify)';

/** registry-proxy and the floor on the same input: each checked once, then measured taking turns. */
async function measureAgainstFloor(bench, count, inputs) {
  const input = deployments(count);
  const programs = [
    {
      key: 'ours',
      benchmark: 'registry-proxy',
      label: `registry-proxy, ${input}`,
      spec: { command: NODE, args: [BUNDLE], stdin: inputs.resourceList },
      output: join(BENCH_DIR, `output-${count}.yaml`),
      check: (output) => checkRegistryProxyOutput(output, count),
    },
    {
      key: 'floor',
      benchmark: FLOOR_NAME,
      label: `CST floor, ${input}`,
      spec: { command: NODE, args: [FLOOR], stdin: inputs.resourceList },
      output: join(BENCH_DIR, `floor-output-${count}.yaml`),
      check: (output) => checkFloorOutput(inputs.resourceList, output),
    },
  ];
  const checked = [];
  for (const program of programs) {
    const found = await attempt(bench, program.benchmark, input, () => runChecked(program));
    if (found) checked.push({ ...program, found });
  }
  if (checked.length === 0) return {};
  progress(`${checked.map((program) => program.label).join(' / ')}: output checked; ${bench.options.runs} measured run(s) each, taking turns`);
  const specs = checked.map((program) => ({ ...program.spec, label: program.label, rssMethod: bench.rssMethod, scratchDir: BENCH_DIR }));
  const measured = await attempt(bench, checked.map((program) => program.benchmark).join(' + '), input, () => measureInterleaved(specs, { runs: bench.options.runs }));
  if (!measured) return {};
  return Object.fromEntries(checked.map((program, index) => [program.key, { ...measured[index], checked: program.found }]));
}

async function benchSize(bench, count) {
  const inputs = writeBenchInputs(BENCH_DIR, count);
  const input = deployments(count);
  const results = (bench.results[count] = await measureAgainstFloor(bench, count, inputs));
  if (results.ours) bench.rows.push(measurementRow('registry-proxy', input, results.ours));
  if (results.floor) bench.rows.push(measurementRow(FLOOR_NAME, input, results.floor));
  if (results.ours && results.floor) {
    bench.rows.push(ratioRow('ours / floor, wall', input, results.ours.wallMs / results.floor.wallMs, TARGETS.oursOverFloor));
    if (results.ours.peakRssKiB && results.floor.peakRssKiB) {
      bench.rows.push(ratioRow('ours / floor, peak RSS', input, results.ours.peakRssKiB / results.floor.peakRssKiB, TARGETS.oursOverFloor));
    }
  }
  await benchKustomize(bench, count, inputs, results);
}

async function benchKustomize(bench, count, inputs, results) {
  const input = deployments(count);
  if (!bench.kustomize) return void bench.rows.push(noteRow('kustomize (images: list)', input, 'skipped (kubectl not found)'));
  if (count > KUSTOMIZE_DEFAULT_MAX && !bench.options.full) return void bench.rows.push(noteRow('kustomize (images: list)', input, 'skipped (use --full)'));
  results.kustomize = await attempt(bench, 'kustomize (images: list)', input, async () => {
    bench.results.kustomizeCheck ??= await checkKustomizeRewrite(BENCH_DIR);
    progress(`kustomize, ${input}: ${bench.options.runs} measured run(s) (slow)`);
    const spec = { ...kustomizeCommand(inputs.kustomizeDir), rssMethod: bench.rssMethod, scratchDir: BENCH_DIR };
    return measureRuns(spec, { runs: bench.options.runs, label: `kubectl kustomize, ${input}` });
  });
  if (!results.kustomize) return;
  bench.rows.push(measurementRow('kustomize (images: list)', input, results.kustomize));
  if (results.ours) bench.rows.push(ratioRow('kustomize / ours, wall', input, results.kustomize.wallMs / results.ours.wallMs, TARGETS.kustomizeOverOurs));
}

async function benchStartup(bench) {
  const one = writeBenchInputs(BENCH_DIR, 1);
  const single = {
    label: 'registry-proxy, 1 Deployment',
    spec: { command: NODE, args: [BUNDLE], stdin: one.resourceList },
    output: join(BENCH_DIR, 'output-1.yaml'),
    check: (output) => checkRegistryProxyOutput(output, 1),
  };
  const wallOnly = { rssMethod: 'none', scratchDir: BENCH_DIR };
  const singleWorks = await attempt(bench, 'start-up: registry-proxy', deployments(1), () => runChecked(single));
  progress('start-up: building the image for the container start-up (scripts/container/build-image.sh)');
  const container = prepareContainerStartup(ROOT);
  const containerBenchmark = "start-up: container (podman run, orchestrators' flags)";
  let containerWorks = false;
  if (container.skipped) {
    bench.notes.push(`container start-up: skipped: ${container.skipped}`);
    bench.rows.push(noteRow(containerBenchmark, deployments(1), 'skipped'));
  } else {
    bench.notes.push(...container.notes);
    const checked = { ...single, label: container.spec.label, spec: { ...container.spec, stdin: one.resourceList }, output: join(BENCH_DIR, 'output-container-1.yaml') };
    containerWorks = Boolean(await attempt(bench, containerBenchmark, deployments(1), () => runChecked(checked)));
  }
  const programs = [
    { key: 'node', benchmark: 'start-up: node -e 0', input: '', spec: { command: NODE, args: ['-e', '0'], label: 'node -e 0' } },
    { key: 'help', benchmark: 'start-up: registry-proxy --help', input: '', spec: { command: NODE, args: [BUNDLE, '--help'], label: 'registry-proxy --help' } },
    ...(singleWorks ? [{ key: 'single', benchmark: 'start-up: registry-proxy', input: deployments(1), spec: { ...single.spec, label: single.label } }] : []),
    ...(containerWorks ? [{ key: 'container', benchmark: containerBenchmark, input: deployments(1), spec: { ...container.spec, stdin: one.resourceList } }] : []),
  ];
  progress(`start-up: ${STARTUP_RUNS} runs each, taking turns`);
  const specs = programs.map((program) => ({ ...program.spec, ...wallOnly }));
  const measured = await attempt(bench, 'start-up', '', () => measureInterleaved(specs, { runs: STARTUP_RUNS, warmups: 1 }));
  if (!measured) return;
  bench.results.startup = Object.fromEntries(programs.map((program, index) => [program.key, measured[index]]));
  const node = measured[0];
  programs.forEach(({ key, benchmark, input }, index) => {
    const row = measurementRow(benchmark, input, measured[index]);
    if (key === 'container') return void bench.rows.push(row); // no target: the runtime's cost, not ours
    bench.rows.push(index === 0 ? row : { ...row, ...ratioRow(benchmark, input, measured[index].wallMs / node.wallMs, TARGETS.startupOverNode) });
  });
  const { single: exec, container: image } = bench.results.startup;
  if (exec && image) {
    // The overhead per function call: the difference as wall time, the ratio beside it.
    bench.rows.push({ benchmark: 'start-up: container overhead (container - exec)', input: deployments(1), wallMs: image.wallMs - exec.wallMs, ratio: image.wallMs / exec.wallMs });
  }
}

async function benchProbe(bench) {
  const modulePath = findProbeBench(ROOT);
  if (!modulePath) {
    bench.notes.push('probe benchmark: not built (no build/test/probe/bench-probe.js: npm run bench builds it)');
    return void bench.rows.push(noteRow('probe benchmark', '', 'not built'));
  }
  progress(`probe: ${modulePath}, ${bench.options.runs} run(s)`);
  const probe = await attempt(bench, 'probe benchmark', '', () => runProbeBench(modulePath, bench.options.runs));
  bench.results.probe = probe;
  if (!probe) return;
  const input = `${formatCount(probe.repositories)} repositories`;
  bench.rows.push(timeTargetRow('probe: parallel', input, probe.parallelMs, TARGETS.probeParallelMs));
  bench.rows.push({ benchmark: 'probe: sequential', input, wallMs: probe.sequentialMs });
  bench.rows.push(ratioRow('probe: speed-up (sequential / parallel)', input, probe.speedup, TARGETS.probeSpeedup));
}

function writeResults(bench, machine) {
  const path = join(BENCH_DIR, 'results.json');
  const { options, rows, results, failures, notes } = bench;
  writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), machine, options, targets: TARGETS, rows, results, failures, notes }, null, 2)}\n`);
  return path;
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) return void process.stdout.write(USAGE);
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run node scripts/bundle.mjs first`);
  mkdirSync(BENCH_DIR, { recursive: true });
  const rssMethod = detectRssMethod();
  if (rssMethod !== 'gnu-time') process.stderr.write(`${GNU_TIME_WARNING}\n`);
  const kustomize = findKustomize();
  const machine = describeMachine(rssMethod, kustomize);
  const bench = { options, rssMethod, kustomize, rows: [], results: {}, failures: [], notes: [] };

  for (const count of options.sizes) await benchSize(bench, count);
  await benchStartup(bench);
  await benchProbe(bench);

  const failures = bench.failures.map((failure) => `- FAILED ${failure.benchmark} (${failure.input || 'start-up'}): ${failure.message.split('\n')[0]}`);
  const resultsPath = writeResults(bench, machine);
  const text = [formatHeader(machine, options), formatTable(bench.rows), '', ...bench.notes, ...failures, `results: ${resultsPath}`, ''].join('\n');
  await new Promise((resolve) => process.stdout.write(text, resolve));
  return bench.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code ?? 0),
  (error) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
