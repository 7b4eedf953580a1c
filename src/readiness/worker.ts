// A scan worker thread (bundled as dist/readiness-worker.js): runs stage 1 on batches of files the
// main thread sends and posts the results back in the same order. The rules come in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import type { FileLanguage } from './languages.js';
import type { ReadinessRule } from './rules.js';
import { analyseText, type FileResult } from './stage1.js';

// One file to analyse, as the main thread read it.
export interface WorkerJob {
  rel: string;
  text: string;
  language: FileLanguage;
}

// A batch's answer: a result per job, or why the batch failed.
export type WorkerReply = { results: FileResult[] } | { error: string };

const rules = (workerData as { rules: ReadinessRule[] }).rules;

parentPort?.on('message', (batch: WorkerJob[]) => {
  let reply: WorkerReply;
  try {
    reply = { results: batch.map((job) => analyseText(job.text, job.rel, job.language, rules)) };
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
