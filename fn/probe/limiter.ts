// Runs tasks with two limits at once: so many overall and so many per key (a registry host). A task starts
// only when both allow it, and a task waiting for a busy host never holds an overall slot, so one slow
// registry cannot starve the others.

export interface KeyedLimiter {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createKeyedLimiter(limits: { total: number; perKey: number }): KeyedLimiter {
  const total = Math.max(1, Math.floor(limits.total));
  const perKey = Math.max(1, Math.floor(limits.perKey));
  const queue: Array<{ key: string; start: () => void }> = [];
  const activeByKey = new Map<string, number>();
  let active = 0;

  const release = (key: string): void => {
    active -= 1;
    const left = (activeByKey.get(key) ?? 1) - 1;
    if (left === 0) activeByKey.delete(key);
    else activeByKey.set(key, left);
    pump();
  };

  // First come, first served among the tasks whose key has room.
  const pump = (): void => {
    for (let index = 0; index < queue.length && active < total; ) {
      const entry = queue[index];
      if (entry === undefined) break;
      const keyActive = activeByKey.get(entry.key) ?? 0;
      if (keyActive >= perKey) {
        index += 1;
        continue;
      }
      queue.splice(index, 1);
      active += 1;
      activeByKey.set(entry.key, keyActive + 1);
      entry.start();
    }
  };

  return {
    run(key, task) {
      return new Promise((resolve, reject) => {
        queue.push({
          key,
          start: () => {
            // A task that throws synchronously still releases its slot.
            Promise.resolve()
              .then(task)
              .then(resolve, reject)
              .finally(() => release(key));
          },
        });
        pump();
      });
    },
  };
}
