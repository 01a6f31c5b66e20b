/** Saving a file the page made, and reading one the person chose: the DOM side of the Data stage. */
import type { Download } from './data-state.svelte';

export function saveDownload(file: Download): void {
  const part: BlobPart = typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes);
  const url = URL.createObjectURL(new Blob([part], { type: file.type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  // The click has started the download; the URL is only needed until then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The files of a chosen folder by their base name (config.json, model.safetensors, ...). */
export async function readFolder(files: FileList): Promise<{ name: string; files: Map<string, Uint8Array> }> {
  const out = new Map<string, Uint8Array>();
  for (const file of Array.from(files)) out.set(file.name, new Uint8Array(await file.arrayBuffer()));
  const first = files[0]?.webkitRelativePath.split('/')[0];
  return { name: first !== undefined && first !== '' ? first : 'imported model', files: out };
}
