/**
 * The Tune stage's chart choices: which metrics are charted beyond the default charts, the
 * workspace's earlier tuning runs, and up to two of them drawn over the live charts. The choice of
 * metrics is kept in the page address (see page-setup.ts), so a reload or a shared link shows the
 * same charts.
 */
import type { RunRecord } from '../storage/records';
import type { Download } from './data-state.svelte';
import { DEFAULT_METRICS, MAX_EXTRA_CHARTS } from './metric-catalog';
import { toProblem, type Problem } from './problem';
import { fileStem, metricsCsv, toMetricPoints } from './run-metrics';
import type { MetricPoint } from './tune-warnings';
import type { RunWorkspace } from './workspace';

/** Earlier runs drawn over the live charts at once: more would hide the live run. */
export const MAX_OVERLAYS = 2;
/** The kind of run the Tune stage stores (see tune-state.svelte.ts). */
const POLICY_RUN = 'policy';

export interface OverlayRun {
  id: number;
  name: string;
  points: MetricPoint[];
}

export interface ChartDeps {
  workspace: Pick<RunWorkspace, 'listRuns'>;
  /** Called when the choice of metrics changed, so the page address follows. */
  changed: () => void;
}

export class ChartState {
  /** Metrics charted beyond the defaults, in the order chosen. */
  extra = $state.raw<string[]>([]);
  /** The workspace's tuning runs that logged at least one point, newest first. */
  runs = $state.raw<RunRecord[]>([]);
  /** Ids of the runs drawn over the live charts, at most MAX_OVERLAYS. */
  overlays = $state.raw<number[]>([]);
  problem = $state.raw<Problem | null>(null);
  readonly overlayRuns: OverlayRun[] = $derived(
    this.overlays.flatMap((id) => {
      const run = this.runs.find((r) => r.id === id);
      return run === undefined ? [] : [{ id, name: run.name, points: toMetricPoints(run.points) }];
    }),
  );

  constructor(private readonly deps: ChartDeps) {}

  isCharted(name: string): boolean {
    return DEFAULT_METRICS.includes(name) || this.extra.includes(name);
  }

  /** Adds or removes an extra chart for a metric; the default charts stay. */
  toggleMetric(name: string): void {
    if (DEFAULT_METRICS.includes(name)) return;
    if (this.extra.includes(name)) this.extra = this.extra.filter((n) => n !== name);
    else if (this.extra.length < MAX_EXTRA_CHARTS) this.extra = [...this.extra, name];
    else return;
    this.deps.changed();
  }

  /** Draws an earlier run over the charts, or stops drawing it; refused beyond MAX_OVERLAYS. */
  toggleOverlay(id: number): boolean {
    if (this.overlays.includes(id)) {
      this.overlays = this.overlays.filter((o) => o !== id);
      return true;
    }
    if (this.overlays.length >= MAX_OVERLAYS) return false;
    this.overlays = [...this.overlays, id];
    return true;
  }

  /** Reads the run list again (after a run was saved, or when the stage is shown). */
  async refresh(): Promise<void> {
    try {
      const runs = (await this.deps.workspace.listRuns()).filter((r) => r.kind === POLICY_RUN && r.points.length > 0);
      this.runs = runs;
      this.overlays = this.overlays.filter((id) => runs.some((r) => r.id === id));
    } catch (err) {
      this.problem = toProblem(err);
    }
  }

  /** A stored run's metrics as a CSV file. */
  csv(id: number): Download | null {
    const run = this.runs.find((r) => r.id === id);
    if (run === undefined) return null;
    return {
      name: `${fileStem(run.name)}-${run.id}-metrics.csv`,
      type: 'text/csv',
      bytes: metricsCsv(toMetricPoints(run.points)),
    };
  }
}
