/**
 * Many findings over worker threads: batches go round-robin to the workers, at most two per
 * worker in flight, and results come back in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CompiledPack } from '../compile/compile-pack.js';
import type { ManyResult } from './engine.js';
import type { Finding } from './finding.js';
import type { ParallelSetup } from './parallel-worker.js';

export async function classifyParallel(
  packs: readonly CompiledPack[],
  today: string,
  findings: Iterable<Finding>,
  options: { workers?: number; batchSize?: number },
): Promise<ManyResult[]> {
  const count = Math.max(1, Math.min(options.workers ?? availableParallelism(), 64));
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const setup: ParallelSetup = { packs: packs.map((p) => p.source), today };
  const workers = Array.from({ length: count }, () => new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData: setup }));
  const batches: ManyResult[][] = [];
  const pending = new Map<number, { resolve: (r: ManyResult[]) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  for (const worker of workers) {
    worker.on('message', ({ seq, results }: { seq: number; results: ManyResult[] }) => {
      pending.get(seq)?.resolve(results);
      pending.delete(seq);
    });
    worker.on('error', (error) => {
      failure = error;
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
  }
  const inFlight: Array<Promise<void>> = [];
  try {
    let seq = 0;
    let batch: Finding[] = [];
    const send = async () => {
      if (failure) throw failure;
      const mine = seq++;
      const findingsOfBatch = batch;
      batch = [];
      const done = new Promise<ManyResult[]>((resolve, reject) => pending.set(mine, { resolve, reject })).then((results) => {
        batches[mine] = results;
      });
      inFlight.push(done);
      workers[mine % count]!.postMessage({ seq: mine, findings: findingsOfBatch });
      // Bounded memory: wait for the oldest batch when 2 per worker are in flight.
      if (inFlight.length >= 2 * count) await inFlight.shift();
    };
    for (const finding of findings) {
      batch.push(finding);
      if (batch.length >= batchSize) await send();
    }
    if (batch.length > 0) await send();
    await Promise.all(inFlight);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return batches.flat();
}
