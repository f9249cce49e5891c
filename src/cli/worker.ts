/**
 * A worker thread of `hazard-rules classify --workers N`: it builds its own engine from the same
 * packs, judges the blocks of lines it is sent, and posts back each block's result, tagged with
 * the block's sequence number so that the main thread writes results in input order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine } from '../classify/engine.js';
import { formatVerdict } from './pretty.js';
import { byteSink, judgeBytes, verdictJson, type BlockOptions, type BlockResult } from './ndjson.js';

export interface WorkerSetup {
  packFiles: string[];
  today?: string;
  options: BlockOptions;
}

/** A block of whole lines as UTF-8 bytes (transferred, not copied). */
export interface BlockRequest {
  seq: number;
  bytes: Uint8Array;
}

/** The result, its output as UTF-8 bytes (transferred back). */
export interface BlockReply {
  seq: number;
  result?: Omit<BlockResult, 'output'> & { output: Uint8Array };
  error?: string;
}

const setup = workerData as WorkerSetup;
// The main thread loaded (and checked the examples of) the same packs already.
const engine = createEngine({ packs: setup.packFiles, checkExamples: false, ...(setup.today ? { today: () => setup.today! } : {}) });
const format = setup.options.pretty ? formatVerdict : verdictJson;

// Bytes in and bytes out: decoding and encoding happen here, in parallel, and the buffers move
// between threads without a copy, so the main thread only cuts and writes.
parentPort!.on('message', (request: BlockRequest) => {
  let reply: BlockReply;
  try {
    // Verdicts are a few times larger than findings: start the output at 4× the input.
    reply = { seq: request.seq, result: judgeBytes(engine, request.bytes, setup.options, format, byteSink(request.bytes.length * 4)) };
  } catch (error) {
    reply = { seq: request.seq, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply, reply.result ? [reply.result.output.buffer as ArrayBuffer] : []);
});
