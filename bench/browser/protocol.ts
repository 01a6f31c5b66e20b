/**
 * The browser bench's contract: what the Node driver asks the page for, what the page's worker
 * posts back, and the two functions the page and the driver put on `window` for each other.
 */
import type { BackendName } from '../../src/engine/backend';
import type { BenchReport } from '../bench';
import type { CaseName } from '../types';

/** One bench run, as the driver asks for it. */
export interface BrowserBenchRequest {
  /** The one backend to start, or null for the engine's own ladder, as the app would choose. */
  backend: BackendName | null;
  /** The quick sizes (bench/sizes.ts) rather than the full ones. */
  quick: boolean;
  /** Run only these cases; undefined runs all. */
  only?: CaseName[];
}

/** From the bench worker to its page. */
export type BenchWorkerMessage =
  { type: 'log'; line: string } | { type: 'done'; report: BenchReport } | { type: 'failed'; message: string };

declare global {
  interface Window {
    /** Set by the bench page (bench/browser/page.ts): runs the bench in a worker. */
    runBench?: (request: BrowserBenchRequest) => Promise<BenchReport>;
    /** Set by the driver (page.exposeFunction): receives the progress lines. */
    benchLog?: (line: string) => void;
  }
}
