// A scan worker thread (bundled as dist/readiness-worker.js): runs stage 1 on batches of files the
// main thread sends (reading them itself when the main thread sent only paths) and posts the
// outcomes back in the same order. The rules come in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import type { FileLanguage } from './languages.js';
import type { ReadinessRule } from './rules.js';
import { analyseText, type FileResult } from './stage1.js';
import { readSourceSync, type SkippedFile } from './walker.js';

// One file to analyse: its text as the main thread read it, or its path for the worker to read.
export interface WorkerJob {
  rel: string;
  language: FileLanguage;
  text?: string;
  abs?: string;
  /** Extract every fact now (ScanOptions.eagerFacts, or stage 2 asked for a deferred file's). */
  eager?: true;
}

// What became of one file: its stage-1 result, or why it was not scanned (`skipped`: unreadable,
// vanished, undecodable; `unscannable`: generated or minified, skipped quietly).
export type WorkerOutcome = { result: FileResult } | { skipped: SkippedFile } | { unscannable: true };

// A batch's answer: an outcome per job, or why the batch failed.
export type WorkerReply = { outcomes: WorkerOutcome[] } | { error: string };

function outcome(job: WorkerJob): WorkerOutcome {
  let skipped: SkippedFile | undefined;
  const text = job.text ?? readSourceSync({ abs: job.abs ?? '', rel: job.rel }, (entry) => (skipped = entry));
  if (text === undefined) return skipped ? { skipped } : { unscannable: true };
  return { result: analyseText(text, job.rel, job.language, rules, true, job.eager) };
}

const rules = (workerData as { rules: ReadinessRule[] }).rules;

// Batches wait here and are analysed one per event-loop turn. @ast-grep/napi frees a parsed tree
// in a finalizer that runs on a later turn after V8 collects the tree's wrapper; a worker that
// handled every queued message in one go rarely got there, and a 1M-line scan held about 1 GB of
// dead trees (0.77 GB this way, with a fifth fewer page faults).
const waiting: WorkerJob[][] = [];

function analyseNext(): void {
  const batch = waiting.shift();
  if (!batch) return;
  let reply: WorkerReply;
  try {
    reply = { outcomes: batch.map(outcome) };
  } catch (error) {
    reply = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
  if (waiting.length > 0) setImmediate(analyseNext);
}

parentPort?.on('message', (batch: WorkerJob[]) => {
  waiting.push(batch);
  if (waiting.length === 1) setImmediate(analyseNext);
});
