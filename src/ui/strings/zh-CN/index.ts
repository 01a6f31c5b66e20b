/**
 * The Chinese (zh-CN) strings, one module per English file in ../ with the same export names,
 * each typed as the English one. This list is the one place a Chinese module is plugged in: a
 * module still to be written stays `null` and its strings show in English until it lands.
 */
import type { LanguageModules } from '../modules';
import * as backendFailures from './backend-failures';
import * as format from './format';
import * as inspect from './inspect';
import * as offline from './offline';
import * as shell from './shell';
import * as stages from './stages';

export const zhCN: LanguageModules = {
  shell,
  stages,
  compare: null,
  explain: null,
  labelers: null,
  labelerNames: null,
  format,
  charts: null,
  offline,
  inspect,
  lesson: null,
  backendFailures,
  messages: null,
  engineMessages: null,
};
