/**
 * The English strings modules by file name: the shape every language's table has. A language's
 * module for a file exports the same names, each typed as the English one, so a missing key or a
 * changed parameter fails the type check.
 */
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

export const english = {
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

export type StringModules = typeof english;
export type ModuleName = keyof StringModules;

/**
 * A language's modules: each one present, or null while it is still being written (its strings
 * then show in English). A present module must match the English one export for export.
 */
export type LanguageModules = { [M in ModuleName]: StringModules[M] | null };
