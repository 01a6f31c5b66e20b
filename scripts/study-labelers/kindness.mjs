// A simulated student none of the learning study's levers were tuned on: likes kindness (helping,
// sharing, thanking), dislikes meanness (hitting, yelling, breaking). Used to check that a lever's
// gain is not the built-in labelers' alone: npm run rlhf -- --labeler scripts/study-labelers/kindness.mjs ...
export const id = 'kindness';
export const title = 'Likes kindness';
export const description =
  'Kind deeds (help, share, give, thank, hug) count up; mean ones (hit, yell, break, push) count down.';

const KIND = new Set([
  'help',
  'helped',
  'helps',
  'helping',
  'share',
  'shared',
  'shares',
  'sharing',
  'give',
  'gave',
  'gives',
  'thank',
  'thanked',
  'thanks',
  'hug',
  'hugged',
  'hugs',
  'kind',
  'kindly',
  'gentle',
  'care',
  'cared',
  'nice',
  'friend',
  'friends',
]);
const MEAN = new Set([
  'hit',
  'hits',
  'hitting',
  'yell',
  'yelled',
  'yells',
  'push',
  'pushed',
  'break',
  'broke',
  'broken',
  'mean',
  'angry',
  'fight',
  'fought',
  'grabbed',
  'stole',
  'rude',
]);

export function score(_prompt, response) {
  const words = response.toLowerCase().match(/[a-z]+/g) ?? [];
  const kind = words.filter((w) => KIND.has(w)).length;
  const mean = words.filter((w) => MEAN.has(w)).length;
  return Math.log2(1 + kind) - Math.log2(1 + mean);
}
