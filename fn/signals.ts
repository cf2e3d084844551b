// SIGTERM and SIGINT end the function at once, wherever it is (reading stdin, probing, writing), with the
// shell's exit codes and one line on stderr. Node's own handling of the two re-raises the signal with the
// default action, which the kernel drops for PID 1, so in a container (where kpt and kustomize cannot add
// `--init`) the function would keep running until SIGKILL. Handlers of our own work as PID 1 too.
import { writeStderr } from './stdio-write.js';

/** 128 + the signal number, as a shell reports a process the signal ended. */
export const INTERRUPT_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type InterruptSignal = keyof typeof INTERRUPT_EXIT_CODES;

/** The stderr line of an interrupted run: it says that stdout is not a result, whatever reached it. */
export function formatInterrupted(signal: InterruptSignal): string {
  return `registry-proxy: error: interrupted by ${signal}: stopped before the output was complete\n`;
}

/**
 * Installs the handlers. `exit` is process.exit: it ends the run even with a probe's sockets open or a
 * write pending (what was written so far stays, the exit code says it is incomplete).
 */
export function exitOnInterrupt(exit: (code: number) => never = process.exit): void {
  for (const signal of Object.keys(INTERRUPT_EXIT_CODES) as InterruptSignal[]) {
    process.once(signal, () => {
      // Synchronous, so that the line is out before exit; stderr may be gone: the exit code still tells.
      writeStderr(formatInterrupted(signal));
      exit(INTERRUPT_EXIT_CODES[signal]);
    });
  }
}

