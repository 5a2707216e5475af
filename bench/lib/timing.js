// Runs timing cases in worker threads (worker.js) under a hard time budget.
import { Worker } from "node:worker_threads";

/** Longest wait for a worker to load its modules (mathjs takes seconds on a loaded machine). */
const STARTUP_MS = 120_000;

export const median = (xs) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A worker thread for `side`, resolved once its modules are loaded. */
function startWorker(side) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData: { side } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`worker did not start within ${STARTUP_MS} ms`));
    }, STARTUP_MS);
    const onMessage = (m) => {
      if (m.type !== "ready") return;
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      resolve(worker);
    };
    const onError = (err) => {
      clearTimeout(timer);
      reject(err);
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
  });
}

/**
 * Times cases on one side. `fresh`: a new worker per case (ours: empty memo tables every case);
 * otherwise one worker is reused until a case has to be stopped.
 *
 * time(caseId, {hardMs, softMs}) resolves (never rejects) with
 * {first, cold: number[], warm: number[], sizes?, renameInvariant?, timedOut, error?}: a case still
 * running `hardMs` after it started is stopped (its worker terminated) and the samples it sent
 * so far are kept. Loading the modules is not part of a case's time.
 */
export function timer(side, { fresh }) {
  let current;
  const release = async (worker, keep) => {
    if (keep && !fresh) return;
    current = undefined;
    await worker.terminate();
  };
  const time = async (caseId, { hardMs, softMs = hardMs * 0.6 }) => {
    const result = { first: NaN, cold: [], warm: [], timedOut: false };
    let worker;
    try {
      worker = current ?? (await startWorker(side));
    } catch (err) {
      return { ...result, error: err instanceof Error ? err.message : String(err) };
    }
    current = worker;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (keep) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        void release(worker, keep).then(() => resolve(result));
      };
      const timeout = setTimeout(() => {
        result.timedOut = true;
        finish(false);
      }, hardMs);
      const onMessage = (m) => {
        if (m.type === "first") result.first = m.ms;
        else if (m.type === "sample") result[m.phase].push(m.ms);
        else if (m.type === "done") {
          result.sizes = m.sizes;
          result.renameInvariant = m.renameInvariant;
          finish(true);
        } else if (m.type === "error") {
          result.error = m.message;
          finish(false);
        }
      };
      const onError = (err) => {
        result.error = err.stack ?? String(err);
        finish(false);
      };
      const onExit = () => {
        result.error ??= "worker exited without a result";
        finish(false);
      };
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage({ caseId, softBudgetMs: softMs });
    });
  };
  const close = async () => {
    if (current) await release(current, false);
  };
  return { time, close };
}

/** Milliseconds with three significant digits (at most two decimals). */
export function ms(x) {
  if (!Number.isFinite(x)) return "-";
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A ratio with two or three significant digits. */
export function ratio(x) {
  if (!Number.isFinite(x)) return "-";
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  return x.toFixed(2);
}
