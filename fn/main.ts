// The process shell: stdin, stdout, stderr, exit code and the environment. Everything else is in run.ts.
import { isUtf8 } from 'node:buffer';
import { createLazyRegistryProbe } from './probe/lazy-probe.js';
import { listKnownImages, runResourceList, MAX_INPUT_BYTES } from './run.js';
import { USAGE } from './usage.js';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = argv[0] === 'known-images' ? listKnownImages : runResourceList;
  const unknown = argv.filter((arg) => arg !== '--' && arg !== 'known-images');
  if (unknown.length > 0) {
    process.stderr.write(`registry-proxy: error: unknown argument ${JSON.stringify(unknown[0])}; see registry-proxy --help\n`);
    return 2;
  }
  const bytes = await readStdin();
  if (bytes === undefined) return 1;
  if (!isUtf8(bytes)) {
    process.stderr.write('registry-proxy: error: input is not UTF-8 text: expected a ResourceList in YAML or JSON\n');
    return 1;
  }
  const output = await command(bytes.toString('utf8'), { env: process.env, createProbe: createLazyRegistryProbe });
  for (const line of output.stderr) process.stderr.write(`${line}\n`);
  if (output.stdout !== '') await writeAll(output.stdout);
  return output.exitCode;
}

/** Reads all of stdin; a stream, since `readFileSync(0)` fails with EAGAIN on non-blocking pipes. */
async function readStdin(): Promise<Buffer | undefined> {
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
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(`registry-proxy: error: cannot read stdin${code ? ` (${code})` : ''}: expected a ResourceList\n`);
    return undefined;
  }
  return Buffer.concat(chunks, size);
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
