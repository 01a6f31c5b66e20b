/**
 * One star rating as one line of TRL's "unpaired preference" format (the one KTOTrainer reads,
 * https://huggingface.co/docs/trl/dataset_formats#unpaired-preference and
 * https://huggingface.co/docs/trl/kto_trainer#expected-dataset-format):
 * `{"prompt", "completion", "label"}`, `label` a boolean saying whether the completion is good.
 *
 *   label     true for 4 or 5 stars, false for 1 or 2; left out for 3 stars, which is neither
 *   stars     the stars given, 1-5 (what this app keeps; TRL ignores the field)
 *   labeler   the person's labeler name or a simulated labeler's id
 *   time      when the rating was given, ISO 8601
 *   model     id of the model version that wrote the completion
 *   ended     whether the completion ended with end-of-text when sampled; absent when not known,
 *             read as not ended
 *
 * A 3-star line has no "label", which a dataset loader reads as None: drop those rows before
 * training KTO (`ds.filter(lambda r: r["label"] is not None)`). On import "stars" wins; a line
 * from elsewhere without it becomes 5 stars (label true) or 1 star (label false).
 */
import { show, type FieldReader } from './fields';
import { readLabeler, readText, readTime, MAX_ID_CHARS, type ParseOptions, type PreferenceLimits } from './jsonl-lines';
import type { Stars } from '../../contract/labels';

/** One rating, as storage keeps it. */
export interface RatingLabel {
  prompt: string;
  response: string;
  stars: Stars;
  labeler: string;
  /** Epoch milliseconds. */
  time: number;
  model: string | null;
  /** Whether the response ended with end-of-text when sampled; absent when not known. */
  ended?: boolean;
}

/** KTO's binary label for a star count: good (4-5), bad (1-2), or none (3). */
export function starsToLabel(stars: Stars): boolean | null {
  return stars >= 4 ? true : stars <= 2 ? false : null;
}

function toLine(rating: RatingLabel): Record<string, unknown> {
  const line: Record<string, unknown> = { prompt: rating.prompt, completion: rating.response };
  const label = starsToLabel(rating.stars);
  if (label !== null) line.label = label;
  line.stars = rating.stars;
  line.labeler = rating.labeler;
  line.time = new Date(rating.time).toISOString();
  if (rating.model !== null) line.model = rating.model;
  if (rating.ended !== undefined) line.ended = rating.ended;
  return line;
}

/** The ratings as TRL unpaired-preference JSONL text, one line each, in the order given. */
export function toRatingJsonl(ratings: readonly RatingLabel[]): string {
  return ratings.map((rating) => `${JSON.stringify(toLine(rating))}\n`).join('');
}

/** The stars of a line: "stars" when given (and it must agree with "label"), else from "label". */
function readStarsAndLabel(reader: FieldReader): Stars | undefined {
  const stars = reader.integer('stars', { optional: true, min: 1, max: 5 }) as Stars | undefined;
  const label = reader.boolean('label', { optional: true });
  const starsReadable = stars !== undefined || !reader.has('stars');
  const labelReadable = label !== undefined || !reader.has('label');
  if (!starsReadable || !labelReadable) return undefined;
  if (stars !== undefined) {
    if (starsToLabel(stars) === (label ?? null)) return stars;
    reader.problem({
      code: 'FIELDS_DISAGREE',
      params: { first: 'label', firstValue: show(reader.raw('label')), second: 'stars', secondValue: String(stars) },
    });
    return undefined;
  }
  if (label === undefined) {
    reader.problem({ code: 'RATING_NEEDS_LABEL', params: {} });
    return undefined;
  }
  return label ? 5 : 1;
}

/** Parses one rating line's object; null when it has problems (recorded in `reader`). */
export function readRatingLabel(
  reader: FieldReader,
  options: ParseOptions,
  limits: PreferenceLimits,
): RatingLabel | null {
  const prompt = readText(reader, 'prompt', limits);
  const response = readText(reader, 'completion', limits);
  const stars = readStarsAndLabel(reader);
  const labeler = readLabeler(reader, options);
  const time = readTime(reader, options.now);
  const model = reader.string('model', { optional: true, maxChars: MAX_ID_CHARS }) ?? null;
  const ended = reader.boolean('ended', { optional: true });
  if (!reader.ok || prompt === undefined || response === undefined || stars === undefined || time === undefined)
    return null;
  return { prompt, response, stars, labeler, time, model, ...(ended === undefined ? {} : { ended }) };
}
