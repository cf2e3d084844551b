// Wall time and peak RSS of one whole child process, stdin from a file and stdout to a file (or /dev/null).
// Wall time: process.hrtime around spawn..close. Peak RSS: GNU time's %M (max resident set, KiB); without GNU
// time, polling VmHWM in /proc/<pid>/status (a lower bound: growth after the last poll is missed).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** 'gnu-time' when /usr/bin/time is GNU time, else 'proc-polling'. */
export function detectRssMethod() {
  if (!existsSync(GNU_TIME)) return 'proc-polling';
  const probe = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  const last = String(probe.stderr ?? '').trim().split('\n').pop() ?? '';
  return probe.status === 0 && /^\d+$/.test(last) ? 'gnu-time' : 'proc-polling';
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `command args` once. Resolves to { wallMs, peakRssKiB, exitCode, stderr }; never rejects for a non-zero
 * exit (the caller decides). `rssMethod` 'none' skips the RSS measurement (start-up runs: wall time only).
 */
export function measureOnce({ command, args = [], stdin, stdout = '/dev/null', env = process.env, rssMethod, scratchDir }) {
  const stdinFd = stdin ? openSync(stdin, 'r') : 'ignore';
  const stdoutFd = openSync(stdout, 'w');
  const timeFile = join(scratchDir, `time-${process.pid}.txt`);
  const [file, argv] = rssMethod === 'gnu-time' ? [GNU_TIME, ['-f', '%M', '-o', timeFile, command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: [stdinFd, stdoutFd, 'pipe'], env });
    const stopPolling = rssMethod === 'proc-polling' ? pollPeakRss(child.pid) : () => undefined;
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on('error', (error) => {
      stopPolling();
      closeFds(stdinFd, stdoutFd);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const polledKiB = stopPolling();
      closeFds(stdinFd, stdoutFd);
      const peakRssKiB = rssMethod === 'gnu-time' ? readGnuTime(timeFile) : polledKiB;
      resolve({ wallMs, peakRssKiB, exitCode: signal ? `signal ${signal}` : code, stderr });
    });
  });
}

function closeFds(...fds) {
  for (const fd of fds) if (typeof fd === 'number') closeSync(fd);
}

/** GNU time writes "Command exited with non-zero status N" before the format line when the child fails. */
function readGnuTime(timeFile) {
  try {
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    return /^\d+$/.test(last) ? Number(last) : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(timeFile, { force: true });
  }
}

/** Samples VmHWM (the kernel's own peak) every millisecond; returns a stop function giving the last value. */
function pollPeakRss(pid) {
  let peak;
  const sample = () => {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) peak = Math.max(peak ?? 0, Number(match[1]));
    } catch {
      // the process is gone
    }
  };
  const timer = setInterval(sample, 1);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

function summarize(samples) {
  const rss = samples.map((sample) => sample.peakRssKiB).filter((value) => value !== undefined);
  return {
    wallMs: median(samples.map((sample) => sample.wallMs)),
    peakRssKiB: rss.length === samples.length && rss.length > 0 ? median(rss) : undefined,
    runs: samples.map(({ wallMs, peakRssKiB }) => ({ wallMs, peakRssKiB })),
  };
}

/**
 * Runs each command `runs` times (after `warmups` unmeasured runs), taking turns (A B A B ...) so that load
 * drifting over time hits all of them alike; returns each one's medians and runs, in the order given.
 * Throws when any run exits non-zero: a benchmark of a failing run is worthless. `spec.label` names it.
 */
export async function measureInterleaved(specs, { runs, warmups = 0 }) {
  const samples = specs.map(() => []);
  for (let n = 0; n < warmups + runs; n++) {
    for (const [index, spec] of specs.entries()) {
      const sample = await measureOnce(spec);
      if (sample.exitCode !== 0) {
        const tail = sample.stderr.trim().split('\n').slice(-5).join('\n');
        throw new Error(`${spec.label}: exit code ${sample.exitCode}${tail ? `\n${tail}` : ''}`);
      }
      if (n >= warmups) samples[index].push(sample);
    }
  }
  return samples.map(summarize);
}

/** One command: see measureInterleaved. */
export async function measureRuns(spec, { runs, warmups = 0, label }) {
  const [result] = await measureInterleaved([{ ...spec, label }], { runs, warmups });
  return result;
}
