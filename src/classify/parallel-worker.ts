/**
 * A worker thread of `engine.classifyParallel`: builds an engine from the same pack sources and
 * judges the batches it is sent, answering each with its sequence number.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Pack } from '../pack/schema.js';
import { createEngine } from './engine.js';
import type { Finding } from './finding.js';

export interface ParallelSetup {
  packs: Pack[];
  today: string;
}

const setup = workerData as ParallelSetup;
const engine = createEngine({ packs: setup.packs, today: () => setup.today });

parentPort!.on('message', ({ seq, findings }: { seq: number; findings: Finding[] }) => {
  parentPort!.postMessage({ seq, results: engine.classifyMany(findings, { errors: 'collect' }) });
});
