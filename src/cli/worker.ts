/**
 * A worker thread of `hazard-rules classify --workers N`: it builds its own engine from the same
 * packs, judges the blocks of lines it is sent, and posts back each block's result, tagged with
 * the block's sequence number so that the main thread writes results in input order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../classify/engine.js';
import { formatVerdict } from './pretty.js';
import { judgeBlock, verdictJson, type BlockOptions } from './ndjson.js';

export interface WorkerSetup {
  packFiles: string[];
  today?: string;
  options: BlockOptions;
}

export interface BlockRequest {
  seq: number;
  text: string;
}

const setup = workerData as WorkerSetup;
const engine = createEngine({ packs: setup.packFiles, ...(setup.today ? { today: () => setup.today! } : {}) });
const format = setup.options.pretty ? formatVerdict : verdictJson;

parentPort!.on('message', (request: BlockRequest) => {
  try {
    parentPort!.postMessage({ seq: request.seq, result: judgeBlock(engine, request.text, setup.options, format) });
  } catch (error) {
    parentPort!.postMessage({ seq: request.seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
