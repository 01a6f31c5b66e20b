/**
 * The name a person labels under: written on every label they give, kept in the settings so it
 * survives a reload and travels in backups and exports. "human" until they set one; two people
 * at one machine each set theirs before labelling, and their agreement can then be measured.
 */
import { cleanLabelerName, DEFAULT_LABELER_NAME } from '../storage/settings';
import { toProblem, type Problem } from './problem';
import type { LabelWorkspace } from './workspace';

export class LabelerName {
  value = $state(DEFAULT_LABELER_NAME);
  /** Why the last name typed was refused, or null. */
  refused = $state<'empty' | 'tooLong' | null>(null);
  problem = $state.raw<Problem | null>(null);

  constructor(private readonly workspace: Pick<LabelWorkspace, 'labelerName' | 'setLabelerName'>) {}

  /** Loads the saved name (at start, and after a backup is restored). */
  async load(): Promise<void> {
    this.value = await this.workspace.labelerName();
  }

  /** Sets and saves the name; an empty or overlong one is refused. True when the name changed. */
  async set(typed: string): Promise<boolean> {
    const name = cleanLabelerName(typed);
    this.refused = name !== null ? null : typed.trim() === '' ? 'empty' : 'tooLong';
    if (name === null || name === this.value) return false;
    try {
      await this.workspace.setLabelerName(name);
    } catch (err) {
      this.problem = toProblem(err);
      return false;
    }
    this.problem = null;
    this.value = name;
    return true;
  }
}
