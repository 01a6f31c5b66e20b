/**
 * The labels a person (or a simulated labeler) gives, as plain text: what storage keeps, what
 * the page sends the worker, and what the engine's reward model trains on.
 */

/** Which of two responses was better; a tie states no preference. */
export type Choice = 'a' | 'b' | 'tie';

/** A 1-5 star rating of one response. */
export type Stars = 1 | 2 | 3 | 4 | 5;

/** One labelled comparison of two responses to a prompt. */
export interface Comparison {
  prompt: string;
  a: string;
  b: string;
  choice: Choice;
  /** Who labelled it: the person's labeler name or a simulated labeler's id. */
  labeler: string;
}

/** A star rating of a single response. */
export interface Rating {
  prompt: string;
  response: string;
  stars: Stars;
  labeler: string;
}

/** A response a person wrote or rewrote: what supervised fine-tuning learns from. */
export interface Demonstration {
  prompt: string;
  response: string;
}

/** The labels the session trains on, as storage holds them (skips left out). */
export interface LabelLog {
  comparisons: Comparison[];
  ratings: Rating[];
  demonstrations: Demonstration[];
}
