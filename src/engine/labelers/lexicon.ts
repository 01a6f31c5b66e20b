/**
 * Word lists behind the built-in labelers, chosen from the vocabulary of TinyStories (stories
 * written with the words a three-to-four-year-old knows). Inflected forms are listed explicitly:
 * a mood word is matched exactly, so "funny" is not "fun" and "lost" is not "lose".
 */

export const HAPPY_WORDS: ReadonlySet<string> = new Set([
  'happy', 'happily', 'happier', 'happiest', 'glad', 'joy', 'joyful', 'fun', 'funny',
  'smile', 'smiled', 'smiles', 'smiling', 'laugh', 'laughed', 'laughs', 'laughing',
  'friend', 'friends', 'friendly', 'love', 'loved', 'loves', 'loving', 'hug', 'hugged', 'hugs',
  'kind', 'proud', 'excited', 'cheered', 'enjoyed', 'thank', 'thanked', 'thanks',
  'safe', 'wonderful', 'great', 'beautiful', 'yay', 'together', 'best',
]);

export const SAD_WORDS: ReadonlySet<string> = new Set([
  'sad', 'sadly', 'sadder', 'unhappy', 'cry', 'cried', 'cries', 'crying', 'tears',
  'hurt', 'hurts', 'pain', 'angry', 'mad', 'upset', 'lost', 'scared', 'afraid', 'fear',
  'alone', 'lonely', 'bad', 'broke', 'broken', 'sick', 'worried', 'frowned', 'hate', 'hated',
  'died', 'dead',
]);

/** A mood word within this many words after a negator has its sign flipped ("was not sad"). */
export const NEGATION_WINDOW = 2;
export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', "don't", "didn't", "wasn't", "weren't", "isn't", "won't", "can't", 'nobody',
]);

/** Animals that appear in TinyStories; plurals are added by `pluralForms`. */
export const ANIMALS: readonly string[] = [
  'dog', 'puppy', 'pup', 'cat', 'kitten', 'kitty', 'bird', 'fish', 'bunny', 'rabbit', 'bear',
  'frog', 'duck', 'duckling', 'cow', 'lion', 'tiger', 'elephant', 'monkey', 'horse', 'pony',
  'pig', 'sheep', 'lamb', 'goat', 'chicken', 'hen', 'chick', 'rooster', 'mouse', 'rat', 'fox',
  'wolf', 'owl', 'bee', 'butterfly', 'bug', 'ant', 'ladybug', 'spider', 'snake', 'turtle',
  'squirrel', 'deer', 'giraffe', 'zebra', 'penguin', 'dolphin', 'whale', 'shark', 'crab',
  'worm', 'snail', 'parrot', 'goose', 'donkey', 'kangaroo', 'koala', 'panda', 'seal',
  'dinosaur', 'octopus', 'hippo', 'camel', 'swan', 'caterpillar', 'crocodile', 'animal',
];

/** Irregular plurals of the animals above, mapped to their singular. */
export const IRREGULAR_ANIMAL_PLURALS: Readonly<Record<string, string>> = {
  mice: 'mouse',
  wolves: 'wolf',
  geese: 'goose',
  octopi: 'octopus',
};
