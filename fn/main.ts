// The process shell: stdin, stdout, stderr, exit code and the environment. Everything else is in run.ts.
import { isUtf8 } from 'node:buffer';
import { fstatSync, readFileSync } from 'node:fs';
import { parseArguments } from './cli-args.js';
import type { PiecedText } from './lazy-text.js';
import { importKots } from './license/import-kots.js';
import { runImages, runKustomize } from './describe-commands.js';
import { CONFIG_ENV, runPostRenderer } from './post-render.js';
import { createLazyRegistryProbe } from './probe/lazy-probe.js';
import { listKnownImages } from './known-images.js';
import { MAX_INPUT_BYTES } from './resource-list/read-input.js';
import { runResourceList } from './run.js';
import { exitOnInterrupt } from './signals.js';
import { encodeChunks, isWriteSyncSafe, writeAllSync, writeStderr } from './stdio-write.js';
import { USAGE } from './usage.js';

async function main(argv: readonly string[]): Promise<number> {
  const invocation = parseArguments(argv);
  if (invocation.mode === 'help') return writeStdout(USAGE);
  if (invocation.mode === 'error') {
    writeStderr(`registry-proxy: error: ${invocation.message}\n`);
    return 2;
  }
  if (invocation.mode === 'import-kots') {
    const imported = importKots(invocation.dir, new Date());
    for (const line of imported.stderr) writeStderr(`${line}\n`);
    if (imported.stdout === '') return imported.exitCode;
    const written = await writeStdout(imported.stdout);
    return written === 0 ? imported.exitCode : written;
  }
  let config: { text: string; name: string } | undefined;
  if (invocation.mode === 'post-render') {
    config = readConfig(invocation.configPath ?? process.env[CONFIG_ENV], invocation.configPath !== undefined ? '--config' : CONFIG_ENV);
    if (config === undefined) return 1;
  }
  const input = await readInputText();
  if (input === undefined) return 1;
  const dependencies = { env: process.env, createProbe: createLazyRegistryProbe, now: () => new Date() };
  const output =
    invocation.mode === 'known-images'
      ? await listKnownImages(input, dependencies)
      : invocation.mode === 'images'
        ? await runImages(input, dependencies, invocation.format)
        : invocation.mode === 'kustomize'
          ? await runKustomize(input, dependencies)
          : config !== undefined
            ? await runPostRenderer(input, config.text, config.name, dependencies)
            : await runResourceList(input, dependencies, { check: invocation.mode === 'check' });
  for (const line of output.stderr) writeStderr(`${line}\n`);
  if (output.stdout === '') return output.exitCode;
  const written = await writeStdout(output.stdout);
  return written === 0 ? output.exitCode : written;
}

/** Stdin as text; its bytes are not kept (at 10,000 Deployments they are 11 MB of the peak). */
async function readInputText(): Promise<string | undefined> {
  const bytes = await readStdin();
  if (bytes === undefined) return undefined;
  if (!isUtf8(bytes)) {
    writeStderr('registry-proxy: error: input is not UTF-8 text: expected a ResourceList in YAML or JSON\n');
    return undefined;
  }
  return bytes.toString('utf8');
}

function readConfig(path: string | undefined, source: string): { text: string; name: string } | undefined {
  if (path === undefined || path === '') {
    writeStderr(`registry-proxy: error: post-render needs a configuration: --config <file> or ${CONFIG_ENV}=<file>\n`);
    return undefined;
  }
  try {
    return { text: readFileSync(path, 'utf8'), name: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    writeStderr(`registry-proxy: error: cannot read the configuration ${describeConfigPath(path, source)} (${code})\n`);
    return undefined;
  }
}

/**
 * The file name as given, when it is plausibly one: a value without a `/` or a `.` may be the license
 * ID itself, passed by mistake, and a credential is never echoed.
 */
function describeConfigPath(path: string, source: string): string {
  const plausible = /[/.]/.test(path) && !/[\u0000-\u001f\u007f]/.test(path) && path.length <= 4096;
  return plausible ? JSON.stringify(path) : `file named by ${source} (not shown: it does not look like a file path)`;
}

/**
 * Reads all of stdin. A regular file with `readFileSync(0)`: it needs no stream machinery (a few ms of
 * start-up) and cannot block. Anything else (the pipe kpt and kustomize give) as a stream, so that the event
 * loop stays free for the signal handlers: a blocking read would hold off SIGTERM until the writer closes.
 */
async function readStdin(): Promise<Buffer | undefined> {
  try {
    if (fstatSync(0).isFile()) {
      const bytes = readFileSync(0);
      if (bytes.length > MAX_INPUT_BYTES) {
        writeStderr(`registry-proxy: error: input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB\n`);
        return undefined;
      }
      return bytes;
    }
  } catch (error) {
    return reportReadError(error);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of process.stdin) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) {
        writeStderr(`registry-proxy: error: input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB\n`);
        return undefined;
      }
      chunks.push(buffer);
    }
  } catch (error) {
    return reportReadError(error);
  }
  return Buffer.concat(chunks, size);
}

function reportReadError(error: unknown): undefined {
  const code = (error as NodeJS.ErrnoException).code;
  writeStderr(`registry-proxy: error: cannot read stdin${code ? ` (${code})` : ''}: expected a ResourceList\n`);
  return undefined;
}

/**
 * Writes the whole output. A reader that went away (EPIPE, as `| head` does) or a full disk (ENOSPC) is
 * one error line and exit 1, not an unhandled 'error' event and its stack trace.
 */
function writeStdout(text: PiecedText): Promise<number> {
  if (isWriteSyncSafe(1)) {
    try {
      writeAllSync(1, text);
      return Promise.resolve(0);
    } catch (error) {
      return Promise.resolve(reportWriteError(error));
    }
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (error: unknown): void => {
      if (settled) return;
      settled = true;
      resolve(error ? reportWriteError(error) : 0);
    };
    // Later errors of the same broken stream (more EPIPEs) have been reported once already.
    process.stdout.on('error', settle);
    // A chunk at a time, the next once the stream is done with it: the chunks share one buffer.
    const chunks = encodeChunks(text);
    const writeNext = (): void => {
      if (settled) return;
      try {
        const chunk = chunks.next();
        if (chunk.done) settle(undefined);
        else process.stdout.write(chunk.value, (error) => (error ? settle(error) : writeNext()));
      } catch (error) {
        settle(error);
      }
    };
    writeNext();
  });
}

function reportWriteError(error: unknown): number {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'EPIPE' ? 'the reader closed it early' : code === 'ENOSPC' ? 'no space left on the device' : 'write failed';
  writeStderr(`registry-proxy: error: cannot write the output to stdout: ${why}${code ? ` (${code})` : ''}\n`);
  return 1;
}

exitOnInterrupt();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    writeStderr(`registry-proxy: internal error (a bug; please report it): ${message.split('\n')[0]}\n`);
    if (process.env['REGISTRY_PROXY_DEBUG'] && error instanceof Error) writeStderr(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
