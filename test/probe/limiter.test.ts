import assert from 'node:assert/strict';
import { createKeyedLimiter } from '../../fn/probe/limiter.js';

describe('keyed limiter', () => {
  const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('never exceeds the overall and the per-key limits, and runs everything', async () => {
    const limiter = createKeyedLimiter({ total: 5, perKey: 2 });
    let active = 0;
    let highest = 0;
    const activeByKey = new Map<string, number>();
    let highestPerKey = 0;
    const keys = ['a', 'b', 'c', 'd'];
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => {
        const key = keys[index % keys.length] ?? 'a';
        return limiter.run(key, async () => {
          active += 1;
          activeByKey.set(key, (activeByKey.get(key) ?? 0) + 1);
          highest = Math.max(highest, active);
          highestPerKey = Math.max(highestPerKey, activeByKey.get(key) ?? 0);
          await delay(5);
          active -= 1;
          activeByKey.set(key, (activeByKey.get(key) ?? 1) - 1);
          return index;
        });
      }),
    );
    assert.deepEqual(results, Array.from({ length: 40 }, (_, index) => index));
    assert.equal(highest, 5);
    assert.equal(highestPerKey, 2);
  });

  it('lets other keys pass a key that is full', async () => {
    const limiter = createKeyedLimiter({ total: 2, perKey: 1 });
    const order: string[] = [];
    const slow = limiter.run('busy', async () => {
      await delay(30);
      order.push('busy-1');
    });
    const queued = limiter.run('busy', async () => {
      order.push('busy-2');
    });
    const other = limiter.run('free', async () => {
      order.push('free');
    });
    await Promise.all([slow, queued, other]);
    assert.deepEqual(order, ['free', 'busy-1', 'busy-2']);
  });

  it('releases the slot when a task throws', async () => {
    const limiter = createKeyedLimiter({ total: 1, perKey: 1 });
    await assert.rejects(limiter.run('k', async () => Promise.reject(new Error('boom'))), /boom/);
    await assert.rejects(limiter.run('k', () => {
      throw new Error('sync boom');
    }), /sync boom/);
    assert.equal(await limiter.run('k', async () => 'after'), 'after');
  });
});
