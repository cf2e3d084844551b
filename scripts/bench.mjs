#!/usr/bin/env node
// The benchmark of registry-proxy: wall time and peak RSS of the bundled function (dist/registry-proxy.cjs)
// on generated ResourceLists (the bench's and an image-dense one), next to the floor (yaml's CST round
// trip) and kustomize doing the same rewrite; a small real manifest next to kustomize; start-up cost and
// the registry probe. Every comparison is measured side by side in one run, the programs taking turns.
// Prints a Markdown table with targets (PASS/MISS) and writes .bench/results.json. A target miss never
// fails the run; a measured run that fails does (exit 1).
//
//   node scripts/bundle.mjs && node scripts/bench.mjs [--quick] [--full] [--runs=N]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFloorOutput, checkRegistryProxyOutput, checkStreamOutput } from './bench/check-output.mjs';
import { benchExpectation, denseExpectation, writeBenchInputs, writeDenseInput } from './bench/generate-input.mjs';
import { prepareContainerStartup } from './bench/container-startup.mjs';
import { checkKustomizeRewrite, findKustomize, kustomizeCommand } from './bench/kustomize-baseline.mjs';
import { detectRssMethod, measureInterleaved, measureRuns } from './bench/measure.mjs';
import { findProbeBench, runProbeBench } from './bench/probe-bench.mjs';
import { formatTable, measurementRow, noteRow, ratioRow, rssTargetRow, timeTargetRow } from './bench/report.mjs';
import { SMALL_EXPECTATION, SMALL_FILE, SMALL_KUSTOMIZE_EXPECTATION, writeSmallInputs } from './bench/small-input.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = join(ROOT, '.bench');
const BUNDLE = join(ROOT, 'dist', 'registry-proxy.cjs');
const FLOOR = join(ROOT, 'scripts', 'bench', 'cst-floor.mjs');
const NODE = process.execPath;

const SIZES = [2_000, 10_000];
/** kustomize next to registry-proxy: 500 (the target's size: start-up still counts there) and 2,000. */
const KUSTOMIZE_SIZES = [500, 2_000];
/** kustomize takes minutes for 10,000 Deployments: only with --full. */
const KUSTOMIZE_FULL_SIZES = [...KUSTOMIZE_SIZES, 10_000];
const STARTUP_RUNS = 10;
/** Peak RSS at the largest size, in bytes (300 MB, decimal). */
const RSS_LIMIT_BYTES = 300e6;
const TARGETS = {
  oursOverFloor: { op: '<=', value: 1.2 },
  kustomizeOverOurs: { op: '>=', value: 10 },
  smallOverKustomize: { op: '<=', value: 1 },
  startupOverNode: { op: '<=', value: 1.3 },
  peakRss: { op: '<=', value: RSS_LIMIT_BYTES / 1024, unit: 'KiB' },
  probeSpeedup: { op: '>=', value: 8 },
  probeParallelMs: { op: '<', value: 2_000 },
};

const USAGE = `Usage: node scripts/bench.mjs [--quick] [--full] [--runs=N]
  --quick   1 run per measurement, the floor at 2,000 Deployments only, kustomize at 500 only
            (start-up and the small input stay a median of ${STARTUP_RUNS})
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
  options.kustomizeSizes = options.quick ? KUSTOMIZE_SIZES.slice(0, 1) : options.full ? KUSTOMIZE_FULL_SIZES : KUSTOMIZE_SIZES;
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
  const kustomizeSizes = `${options.kustomizeSizes.map(formatCount).join(' and ')} Deployments${options.full ? '' : ' (--full adds 10,000)'}`;
  return [
    '## registry-proxy benchmark',
    '',
    `- machine: nproc ${machine.nproc}, ${machine.cpu}, ${machine.memoryGiB} GiB RAM, ${machine.os}`,
    `- node ${machine.node}; kustomize ${machine.kustomize} (kubectl kustomize); peak RSS: ${machine.rssMethod === 'gnu-time' ? "GNU time '%M'" : 'polling /proc (VmHWM)'}`,
    `- each number: median of ${options.runs} run(s), start-up and the small input median of ${STARTUP_RUNS}; kustomize: ${kustomizeSizes}`,
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

/** registry-proxy on a generated ResourceList: checked image by image against its input. */
function registryProxyProgram(label, resourceList, output, expected) {
  return {
    key: 'ours',
    benchmark: 'registry-proxy',
    label: `registry-proxy, ${label}`,
    spec: { command: NODE, args: [BUNDLE], stdin: resourceList },
    output,
    check: (path) => checkRegistryProxyOutput(resourceList, path, expected),
  };
}

/**
 * Programs on the same input: each checked once (the output to a file, also the warm-up), then measured
 * taking turns. Resolves to { [key]: measured } for the programs that worked.
 */
async function measureSideBySide(bench, input, programs, { runs = bench.options.runs, rssMethod = bench.rssMethod, warmups = 0 } = {}) {
  const checked = [];
  for (const program of programs) {
    const found = program.found ?? (await attempt(bench, program.benchmark, input, () => runChecked(program)));
    if (found) checked.push({ ...program, found });
  }
  if (checked.length === 0) return {};
  progress(`${checked.map((program) => program.label).join(' / ')}: output checked; ${runs} measured run(s) each, taking turns`);
  const specs = checked.map((program) => ({ ...program.spec, label: program.label, rssMethod, scratchDir: BENCH_DIR }));
  const measured = await attempt(bench, checked.map((program) => program.benchmark).join(' + '), input, () => measureInterleaved(specs, { runs, warmups }));
  if (!measured) return {};
  return Object.fromEntries(checked.map((program, index) => [program.key, { ...measured[index], checked: program.found }]));
}

const INPUT_KINDS = {
  bench: { suffix: '', write: (count) => writeBenchInputs(BENCH_DIR, count), expect: benchExpectation },
  dense: { suffix: ', image-dense', write: (count) => writeDenseInput(BENCH_DIR, count), expect: denseExpectation },
};

/** registry-proxy and the floor on one input: wall and RSS ratios, and the RSS limit at the largest size. */
async function benchFloor(bench, count, kind) {
  const { suffix, write, expect } = INPUT_KINDS[kind];
  const inputs = write(count);
  const input = `${deployments(count)}${suffix}`;
  const name = `${kind}-${count}`;
  const programs = [
    registryProxyProgram(input, inputs.resourceList, join(BENCH_DIR, `output-${name}.yaml`), expect(count)),
    {
      key: 'floor',
      benchmark: FLOOR_NAME,
      label: `CST floor, ${input}`,
      spec: { command: NODE, args: [FLOOR], stdin: inputs.resourceList },
      output: join(BENCH_DIR, `floor-output-${name}.yaml`),
      check: (output) => checkFloorOutput(inputs.resourceList, output),
    },
  ];
  const results = await measureSideBySide(bench, input, programs);
  (bench.results.floor ??= {})[name] = results;
  if (results.ours) bench.rows.push(measurementRow('registry-proxy', input, results.ours));
  if (results.floor) bench.rows.push(measurementRow(FLOOR_NAME, input, results.floor));
  if (results.ours && results.floor) {
    bench.rows.push(ratioRow('ours / floor, wall', input, results.ours.wallMs / results.floor.wallMs, TARGETS.oursOverFloor));
    if (results.ours.peakRssKiB && results.floor.peakRssKiB) {
      bench.rows.push({ benchmark: 'ours / floor, peak RSS', input, ratio: results.ours.peakRssKiB / results.floor.peakRssKiB });
    }
  }
  if (count === SIZES.at(-1) && results.ours?.peakRssKiB) bench.rows.push(rssTargetRow('registry-proxy, peak RSS', input, results.ours.peakRssKiB, TARGETS.peakRss));
}

/** registry-proxy and `kubectl kustomize` with an `images:` list on the same Deployments, taking turns. */
async function benchKustomize(bench, count) {
  const input = deployments(count);
  if (!bench.kustomize) return void bench.rows.push(noteRow('kustomize (images: list)', input, 'skipped (kubectl not found)'));
  const kustomizeCheck = await attempt(bench, 'kustomize (images: list)', input, async () => (bench.results.kustomizeCheck ??= await checkKustomizeRewrite(BENCH_DIR)));
  if (!kustomizeCheck) return;
  const inputs = writeBenchInputs(BENCH_DIR, count);
  const programs = [
    registryProxyProgram(input, inputs.resourceList, join(BENCH_DIR, `output-kustomize-${count}.yaml`), benchExpectation(count)),
    // Checked on a small directory from the same generator (a checked run at this size would cost as much as a measured one).
    { key: 'kustomize', benchmark: 'kustomize (images: list)', label: `kubectl kustomize, ${input}`, spec: kustomizeCommand(inputs.kustomizeDir), found: kustomizeCheck },
  ];
  progress(`kustomize, ${input}: slow`);
  const results = await measureSideBySide(bench, input, programs);
  (bench.results.kustomize ??= {})[count] = results;
  if (results.ours) bench.rows.push(measurementRow('registry-proxy', input, results.ours));
  if (results.kustomize) bench.rows.push(measurementRow('kustomize (images: list)', input, results.kustomize));
  if (results.ours && results.kustomize) bench.rows.push(ratioRow('kustomize / ours, wall', input, results.kustomize.wallMs / results.ours.wallMs, TARGETS.kustomizeOverOurs));
}

/** A 16 KB release manifest: registry-proxy as a KRM function and as the Helm post-renderer, next to kustomize. */
async function benchSmall(bench) {
  const small = writeSmallInputs(ROOT, BENCH_DIR);
  const input = `${SMALL_FILE.split('/').pop()} (${formatCount(small.bytes)} B, ${small.objects} objects)`;
  bench.notes.push(`small input: ${SMALL_FILE}, unchanged (${formatCount(small.bytes)} bytes, ${small.objects} objects, 3 images in 2 repositories)`);
  const programs = [
    {
      key: 'ours',
      benchmark: 'small: registry-proxy (ResourceList)',
      label: 'registry-proxy, small ResourceList',
      spec: { command: NODE, args: [BUNDLE], stdin: small.resourceList },
      output: join(BENCH_DIR, 'output-small.yaml'),
      check: (output) => checkRegistryProxyOutput(small.resourceList, output, SMALL_EXPECTATION),
    },
    {
      key: 'postRender',
      benchmark: 'small: registry-proxy post-render',
      label: 'registry-proxy post-render, small file',
      spec: { command: NODE, args: [BUNDLE, 'post-render', '--config', small.config], stdin: small.file },
      output: join(BENCH_DIR, 'output-small-post-render.yaml'),
      check: (output) => checkStreamOutput(small.file, output, SMALL_EXPECTATION, 'post-render'),
    },
    ...(bench.kustomize
      ? [
          {
            key: 'kustomize',
            benchmark: 'small: kustomize (images: list)',
            label: 'kubectl kustomize, small file',
            spec: kustomizeCommand(small.kustomizeDir),
            output: join(BENCH_DIR, 'kustomize-output-small.yaml'),
            check: (output) => checkStreamOutput(small.file, output, SMALL_KUSTOMIZE_EXPECTATION, 'kustomize'),
          },
        ]
      : []),
  ];
  const results = await measureSideBySide(bench, input, programs, { runs: STARTUP_RUNS, warmups: 1 });
  bench.results.small = results;
  for (const program of programs) if (results[program.key]) bench.rows.push(measurementRow(program.benchmark, input, results[program.key]));
  if (!results.kustomize) return;
  for (const key of ['ours', 'postRender']) {
    if (results[key]) bench.rows.push(ratioRow(`small: ${key === 'ours' ? 'ResourceList' : 'post-render'} / kustomize, wall`, input, results[key].wallMs / results.kustomize.wallMs, TARGETS.smallOverKustomize));
  }
}

async function benchStartup(bench) {
  const one = writeBenchInputs(BENCH_DIR, 1);
  const single = {
    label: 'registry-proxy, 1 Deployment',
    spec: { command: NODE, args: [BUNDLE], stdin: one.resourceList },
    output: join(BENCH_DIR, 'output-1.yaml'),
    check: (output) => checkRegistryProxyOutput(one.resourceList, output, benchExpectation(1)),
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

  for (const count of options.sizes) {
    for (const kind of Object.keys(INPUT_KINDS)) await benchFloor(bench, count, kind);
  }
  for (const count of options.kustomizeSizes) await benchKustomize(bench, count);
  await benchSmall(bench);
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
