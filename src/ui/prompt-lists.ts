/** The stored prompts the page samples from: training prompts and held-out evaluation prompts. */
import type { Openings } from './playground-stages';
import type { PromptSplit } from '../storage/records';
import type { Workspace } from './workspace';

async function texts(workspace: Workspace, split: PromptSplit): Promise<string[]> {
  return (await workspace.listPrompts(split)).map((p) => p.text);
}

/** Both lists; the shipped openings are stored once so the person's own prompts sit beside them. */
export async function storedPrompts(workspace: Workspace, openings: Openings): Promise<Openings> {
  await workspace.seedShippedPrompts(openings);
  return { train: await texts(workspace, 'train'), evaluation: await texts(workspace, 'evaluation') };
}

/** Stores a prompt of the person's own for training; the training prompts after it. */
export async function addTrainPrompt(workspace: Workspace, text: string): Promise<string[]> {
  await workspace.addUserPrompt(text, 'train');
  return texts(workspace, 'train');
}
