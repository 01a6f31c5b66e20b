// The Tune stage's chart tools, pure parts: the metrics CSV against a hand-written reference, the
// SVG writer (well-formed, one dot per finite point, text escaped), metric grouping, series of
// different runs on one axis, the chart choice and the presentation flag in the page address, and
// the chart state (overlays at most two, only tuning runs listed, CSV of a stored run).
import { describe, expect, it } from 'vitest';
import { MAX_OVERLAYS, ChartState } from '../../src/ui/chart-state.svelte';
import { memoryWorkspace } from '../../src/ui/memory-workspace';
import {
  DEFAULT_METRICS,
  MAX_EXTRA_CHARTS,
  formatChartChoice,
  groupMetrics,
  metricNames,
  parseChartChoice,
} from '../../src/ui/metric-catalog';
import { DEFAULT_SETUP, formatPageSetup, parsePageSetup } from '../../src/ui/page-setup';
import { alignSeries, chartLines, fileStem, metricsCsv, runSettings, toMetricPoints } from '../../src/ui/run-metrics';
import { lineChartSvg, smallMultiplesSvg } from '../../src/ui/svg-chart';
import type { MetricPoint } from '../../src/ui/tune-warnings';

/** Checks that every tag is closed in order and attributes are quoted; returns the element names met. */
function wellFormed(xml: string): string[] {
  const stack: string[] = [];
  const names: string[] = [];
  const body = xml.trim();
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (closing === '/') expect(stack.pop()).toBe(name);
    else {
      names.push(name);
      if (selfClosing !== '/') stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  // Nothing outside the tags looks like markup: every < starts a tag the pattern accepted.
  const tags = [...body.matchAll(/</g)].length;
  const matched = [...body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)].length;
  expect(matched).toBe(tags);
  return names;
}

/** A plain CSV reader for the round trip: quoted fields with doubled quotes, CRLF rows. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').slice(0, -1)) {
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') {
            value += '"';
            i += 2;
          } else if (line[i] === '"') break;
          else value += line[i++];
        }
        fields.push(value);
        i += 2;
      } else {
        const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
        fields.push(line.slice(i, end));
        i = end + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}

const points: MetricPoint[] = [
  { iteration: 1, metrics: { 'objective/kl': 0.5, 'loss/policy': -0.125 } },
  { iteration: 2, metrics: { 'objective/kl': NaN, 'loss/policy': 1 / 3, 'rewards/margins': 2 } },
  { iteration: 3, metrics: { 'objective/kl': 1e-7, 'odd,"name"': 4 } },
];

describe('metrics CSV', () => {
  it('writes iteration then the TRL names in the order first logged, empty fields for missing or non-finite values', () => {
    const reference =
      'iteration,objective/kl,loss/policy,rewards/margins,"odd,""name"""\r\n' +
      '1,0.5,-0.125,,\r\n' +
      '2,,0.3333333333333333,2,\r\n' +
      '3,1e-7,,,4\r\n';
    expect(metricsCsv(points)).toBe(reference);
  });

  it('reads back to the same numbers', () => {
    const rows = readCsv(metricsCsv(points));
    expect(rows[0]).toEqual(['iteration', 'objective/kl', 'loss/policy', 'rewards/margins', 'odd,"name"']);
    expect(rows.slice(1).map((r) => Number(r[2]))).toEqual([-0.125, 1 / 3, 0]);
    expect(Number(rows[3][1])).toBe(1e-7);
  });

  it('is a header alone for a run without points', () => {
    expect(metricsCsv([])).toBe('iteration\r\n');
  });

  it('reads stored points, null as not a number', () => {
    expect(toMetricPoints([{ step: 4, values: { a: 1, b: null } }])).toEqual([
      { iteration: 4, metrics: { a: 1, b: NaN } },
    ]);
  });
});

describe('SVG charts', () => {
  it('draws one well-formed chart with a dot per finite point, a legend and escaped text', () => {
    const svg = lineChartSvg('KL <to> "ref" & more', 'iteration', [
      {
        label: 'live',
        color: '#0a4fa3',
        points: [
          [1, 0.1],
          [2, 0.4],
          [3, NaN],
          [4, 0.9],
        ],
      },
      {
        label: 'run #2 <old>',
        color: '#b3471b',
        dash: '10 6',
        points: [
          [1, 0.2],
          [2, 0.3],
        ],
      },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const names = wellFormed(svg);
    expect(names.filter((n) => n === 'circle')).toHaveLength(5);
    expect(names.filter((n) => n === 'path')).toHaveLength(2);
    expect(svg).toContain('KL &lt;to&gt; &quot;ref&quot; &amp; more');
    expect(svg).toContain('run #2 &lt;old&gt;');
    expect(svg).toContain('stroke-dasharray="10 6"');
  });

  it('places the largest value at the top and the smallest at the bottom of the panel', () => {
    const svg = lineChartSvg('t', 'x', [
      {
        label: 's',
        color: '#000',
        points: [
          [0, 0],
          [1, 10],
        ],
      },
    ]);
    const cy = [...svg.matchAll(/cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cy[1]).toBeLessThan(cy[0]);
  });

  it('draws small multiples, one panel per series, for the CLI', () => {
    const svg = smallMultiplesSvg(
      [
        {
          title: 'proxy',
          color: '#1f6feb',
          points: [
            [1, 1],
            [2, 2],
            [3, 3],
          ],
        },
        {
          title: 'gold',
          color: '#2da44e',
          points: [
            [1, 3],
            [2, NaN],
            [3, 1],
          ],
        },
      ],
      'round',
    );
    const names = wellFormed(svg);
    expect(names.filter((n) => n === 'circle')).toHaveLength(5);
    expect(svg).toContain('height="320"');
  });
});

describe('metric catalog', () => {
  it('groups names by prefix in TRL order, unknown prefixes next, bare names last', () => {
    const groups = groupMetrics([
      'time/update_ms',
      'beta',
      'loss/policy',
      'zeta/x',
      'objective/kl',
      'objective/entropy',
      'rewards/margins',
      'alpha/y',
      'val/clipfrac',
      'loss/policy',
    ]);
    expect(groups).toEqual([
      { prefix: 'objective', names: ['objective/entropy', 'objective/kl'] },
      { prefix: 'loss', names: ['loss/policy'] },
      { prefix: 'val', names: ['val/clipfrac'] },
      { prefix: 'rewards', names: ['rewards/margins'] },
      { prefix: 'time', names: ['time/update_ms'] },
      { prefix: 'alpha', names: ['alpha/y'] },
      { prefix: 'zeta', names: ['zeta/x'] },
      { prefix: '', names: ['beta'] },
    ]);
  });

  it('lists every metric name of the points once, in the order first met', () => {
    expect(metricNames(points)).toEqual(['objective/kl', 'loss/policy', 'rewards/margins', 'odd,"name"']);
  });

  it('reads a chart choice: drops defaults, repeats and names a link cannot carry, keeps at most the limit', () => {
    expect(parseChartChoice('rewards/margins,objective/kl,loss/sft,rewards/margins,<script>,,a b')).toEqual([
      'rewards/margins',
      'loss/sft',
    ]);
    expect(parseChartChoice(null)).toEqual([]);
    const many = Array.from({ length: MAX_EXTRA_CHARTS + 5 }, (_, i) => `m/${i}`);
    expect(parseChartChoice(many.join(','))).toHaveLength(MAX_EXTRA_CHARTS);
    expect(formatChartChoice([...DEFAULT_METRICS])).toBe('');
  });
});

describe('chart choice and presentation in the page address', () => {
  it('round-trips present and the chosen charts, keeping other parameters', () => {
    const setup = {
      ...DEFAULT_SETUP,
      stage: 'tune' as const,
      charts: ['rewards/margins', 'time/update_ms'],
      present: true,
    };
    const query = formatPageSetup(setup, '?backend=wasm&lesson=off');
    expect(new URLSearchParams(query).get('charts')).toBe('rewards/margins,time/update_ms');
    expect(new URLSearchParams(query).get('present')).toBe('1');
    expect(query).toContain('lesson=off');
    expect(parsePageSetup(query)).toEqual(setup);
  });

  it('leaves both out by default and ignores a bad present value', () => {
    expect(formatPageSetup({ ...DEFAULT_SETUP, present: false, charts: [] })).toBe('');
    expect(parsePageSetup('?present=maybe').present).toBe(false);
    expect(parsePageSetup('?present=true').present).toBe(true);
  });
});

describe('series of several runs on one axis', () => {
  it('takes the union of x; a missing value is undefined, a logged non-finite one stays NaN', () => {
    const { x, values } = alignSeries([
      { x: [1, 2, 3], y: [1, NaN, 3] },
      { x: [2, 4], y: [20, 40] },
    ]);
    expect(x).toEqual([1, 2, 3, 4]);
    expect(values[0]).toEqual([1, NaN, 3, undefined]);
    expect(values[1]).toEqual([undefined, 20, undefined, 40]);
  });

  it('puts the live run first and overlays only the metrics a run logged', () => {
    const live: MetricPoint[] = [{ iteration: 1, metrics: { a: 1 } }];
    const old: MetricPoint[] = [
      { iteration: 1, metrics: { a: 5 } },
      { iteration: 2, metrics: { a: 6 } },
    ];
    const { x, lines } = chartLines(
      ['a', 'b'],
      live,
      [{ label: 'old', points: old }],
      (k) => k.toUpperCase(),
      (s, r) => `${s} @ ${r}`,
    );
    expect(x).toEqual([1, 2]);
    expect(lines.map((l) => [l.label, l.key, l.run])).toEqual([
      ['A', 0, 0],
      ['B', 1, 0],
      ['A @ old', 0, 1],
    ]);
    expect(lines[0].values).toEqual([1, undefined]);
    expect(lines[2].values).toEqual([5, 6]);
  });

  it('reads a run’s settings defensively and makes plain file names', () => {
    expect(runSettings({ algorithm: 'dpo', beta: 0.1, learningRate: 'x' })).toEqual({
      algorithm: 'dpo',
      beta: 0.1,
      learningRate: null,
    });
    expect(runSettings(null)).toEqual({ algorithm: null, beta: null, learningRate: null });
    expect(fileStem('KL to the reference (nats per response)')).toBe('kl-to-the-reference-nats-per-response');
    expect(fileStem('***')).toBe('chart');
  });
});

describe('ChartState', () => {
  it('lists tuning runs with points, overlays at most two, and downloads a run as CSV', async () => {
    const workspace = memoryWorkspace();
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await workspace.createRun({ kind: 'policy', name: `run ${i}`, config: { algorithm: 'ppo' } });
      await workspace.appendRunPoints(id, [{ step: 1, values: { 'objective/kl': i, 'loss/policy': NaN } }]);
      ids.push(id);
    }
    await workspace.createRun({ kind: 'policy', name: 'empty', config: {} });
    const reward = await workspace.createRun({ kind: 'reward', name: 'rm', config: {} });
    await workspace.appendRunPoints(reward, [{ step: 1, values: { loss: 1 } }]);
    let changed = 0;
    const charts = new ChartState({ workspace, changed: () => changed++ });
    await charts.refresh();
    expect(charts.runs.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(charts.toggleOverlay(ids[0])).toBe(true);
    expect(charts.toggleOverlay(ids[1])).toBe(true);
    expect(charts.toggleOverlay(ids[2])).toBe(false);
    expect(charts.overlays).toHaveLength(MAX_OVERLAYS);
    expect(charts.overlayRuns.map((r) => r.points[0].metrics['objective/kl'])).toEqual([0, 1]);
    expect(charts.toggleOverlay(ids[0])).toBe(true);
    expect(charts.overlays).toEqual([ids[1]]);
    const file = charts.csv(ids[2]);
    expect(file?.name).toBe(`run-2-${ids[2]}-metrics.csv`);
    expect(file?.bytes).toBe('iteration,objective/kl,loss/policy\r\n1,2,\r\n');
    charts.toggleMetric('rewards/margins');
    charts.toggleMetric('objective/kl');
    expect(charts.extra).toEqual(['rewards/margins']);
    expect(charts.isCharted('objective/kl')).toBe(true);
    expect(changed).toBe(1);
  });
});
