/**
 * The Chinese (zh-CN) strings, one module per English file in ../ with the same export names,
 * each typed as the English one. This list is the one place a Chinese module is plugged in: a
 * module still to be written stays `null` and its strings show in English until it lands.
 */
import type { LanguageModules } from '../modules';
import * as backendFailures from './backend-failures';
import * as charts from './charts';
import * as compare from './compare';
import * as engineMessages from './engine-messages';
import * as experiments from './experiments';
import * as explain from './explain';
import * as format from './format';
import * as inspect from './inspect';
import * as labelerNames from './labeler-names';
import * as labelers from './labelers';
import * as lesson from './lesson';
import * as messages from './messages';
import * as offline from './offline';
import * as shell from './shell';
import * as stages from './stages';
import * as tune from './tune';

export const zhCN: LanguageModules = {
  shell,
  stages,
  tune,
  compare,
  explain,
  labelers,
  labelerNames,
  format,
  charts,
  offline,
  inspect,
  lesson,
  experiments,
  backendFailures,
  messages,
  engineMessages,
};
