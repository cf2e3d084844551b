// The process shell: stdin, stdout, stderr, exit code and the environment. Everything else is in run.ts.
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parseArguments } from './cli-args.js';
import { runImages, runKustomize } from './describe-commands.js';
import { CONFIG_ENV, runPostRenderer } from './post-render.js';
import { createLazyRegistryProbe } from './probe/lazy-probe.js';
import { listKnownImages, runResourceList, MAX_INPUT_BYTES } from './run.js';
import { USAGE } from './usage.js';

async function main(argv: readonly string[]): Promise<number> {
  const invocation = parseArguments(argv);
  if (invocation.mode === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (invocation.mode === 'error') {
    process.stderr.write(`registry-proxy: error: ${invocation.message}\n`);
    return 2;
  }
  let config: { text: string; name: string } | undefined;
  if (invocation.mode === 'post-render') {
    config = readConfig(invocation.configPath ?? process.env[CONFIG_ENV]);
    if (config === undefined) return 1;
  }
  const bytes = await readStdin();
  if (bytes === undefined) return 1;
  if (!isUtf8(bytes)) {
    process.stderr.write('registry-proxy: error: input is not UTF-8 text: expected a ResourceList in YAML or JSON\n');
    return 1;
  }
  const input = bytes.toString('utf8');
  const dependencies = { env: process.env, createProbe: createLazyRegistryProbe };
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
  for (const line of output.stderr) process.stderr.write(`${line}\n`);
  if (output.stdout !== '') await writeAll(output.stdout);
  return output.exitCode;
}

function readConfig(path: string | undefined): { text: string; name: string } | undefined {
  if (path === undefined || path === '') {
    process.stderr.write(`registry-proxy: error: post-render needs a configuration: --config <file> or ${CONFIG_ENV}=<file>\n`);
    return undefined;
  }
  try {
    return { text: readFileSync(path, 'utf8'), name: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    process.stderr.write(`registry-proxy: error: cannot read the configuration ${JSON.stringify(path)} (${code})\n`);
    return undefined;
  }
}

/**
 * Reads all of stdin. `readFileSync(0)` first: it needs no stream machinery (a few ms of start-up); a
 * stream when the descriptor is non-blocking (EAGAIN), as a parent process may leave it.
 */
async function readStdin(): Promise<Buffer | undefined> {
  try {
    const bytes = readFileSync(0);
    if (bytes.length > MAX_INPUT_BYTES) {
      process.stderr.write(`registry-proxy: error: input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB\n`);
      return undefined;
    }
    return bytes;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return reportReadError(error);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of process.stdin) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > MAX_INPUT_BYTES) {
        process.stderr.write(`registry-proxy: error: input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB\n`);
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
  process.stderr.write(`registry-proxy: error: cannot read stdin${code ? ` (${code})` : ''}: expected a ResourceList\n`);
  return undefined;
}

function writeAll(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`registry-proxy: internal error (a bug; please report it): ${message.split('\n')[0]}\n`);
    if (process.env['REGISTRY_PROXY_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
  },
);
