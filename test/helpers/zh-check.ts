/**
 * Checks for a Chinese (zh-CN) string next to its English one: it reads as Chinese (or is only
 * values and names), nothing is left unrendered, and every value the English shows is in it.
 */
import { expect } from 'vitest';
import { formatPercent } from '../../src/ui/strings/format';

/** Keys whose values are codes the sentence puts in words, not values it shows. */
export const CODE_KEYS = new Set(['what', 'hint', 'problem', 'rule', 'kind', 'reason']);

/** The values a sentence may show, each in the forms the English writes numbers in. */
export function shownValues(params: unknown, skip: ReadonlySet<string> = CODE_KEYS): string[] {
  if (typeof params === 'string') return [params];
  if (typeof params === 'boolean') return [String(params)];
  if (typeof params === 'number')
    return [String(params), params.toFixed(2), formatPercent(params), params.toLocaleString('en')];
  if (Array.isArray(params)) return params.flatMap((v) => shownValues(v, skip));
  if (params !== null && typeof params === 'object')
    return Object.entries(params).flatMap(([k, v]) => (skip.has(k) ? [] : shownValues(v, skip)));
  return [];
}

const HAN = /[\u4e00-\u9fff]/;
/** Acronyms and names a sentence may consist of without any Chinese. */
const NAMES_ONLY = /^(?:WebGPU|WASM|WebGL|CPU|PPO|DPO|KL|Esc|β|[\d\s.=×:：,，-])*$/;

/** Chinese, or only values and names; nothing left unrendered. */
export function expectChinese(zh: string, values: string[] = []): void {
  expect(zh.trim()).not.toBe('');
  expect(zh).not.toMatch(/undefined|NaN|\[object/);
  if (HAN.test(zh)) return;
  const rest = values.reduce((text, v) => (v === '' ? text : text.split(v).join('')), zh);
  expect(rest, `no Chinese in "${zh}"`).toMatch(NAMES_ONLY);
}

/** Every value the English sentence shows appears in the Chinese one. */
function expectSameValues(en: string, zh: string, values: string[]): void {
  for (const value of values) if (value !== '' && en.includes(value)) expect(zh, value).toContain(value);
}

export function checkPair(en: string, zh: string, values: string[]): void {
  expectChinese(zh, values);
  expectSameValues(en, zh, values);
}

/** Every leaf of a strings object, by its dotted path. */
export function leaves(value: unknown, path = ''): [string, unknown][] {
  if (typeof value === 'string' || typeof value === 'function') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${path}.${i}`));
  return Object.entries(value as object).flatMap(([k, v]) => leaves(v, path === '' ? k : `${path}.${k}`));
}

export const at = (root: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], root);
