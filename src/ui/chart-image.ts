/** A chart as an image file: the DOM side of a chart download (the SVG itself comes from svg-chart.ts). */
import type { Download } from './data-state.svelte';

/**
 * The chart's canvas as a PNG on a white background with its title above, at the canvas's own
 * resolution (uPlot draws at the screen's pixel ratio). Null when the browser cannot encode it.
 */
export async function chartPng(title: string, canvas: HTMLCanvasElement, name: string): Promise<Download | null> {
  const scale = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
  const titleHeight = Math.round(28 * scale);
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height + titleHeight;
  const ctx = out.getContext('2d');
  if (ctx === null) return null;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#111418';
  ctx.font = `600 ${Math.round(16 * scale)}px sans-serif`;
  ctx.fillText(title, Math.round(8 * scale), Math.round(20 * scale));
  ctx.drawImage(canvas, 0, titleHeight);
  const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  if (blob === null) return null;
  return { name, type: 'image/png', bytes: new Uint8Array(await blob.arrayBuffer()) };
}
