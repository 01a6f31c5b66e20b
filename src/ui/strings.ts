/**
 * Every string the page shows, in one place, so wording stays consistent and can be reviewed
 * (or translated) without reading the components. Strings that depend on values are functions.
 */
export * from './strings/shell';
export * from './strings/stages';
export * from './strings/compare';
export * from './strings/explain';
export * from './strings/labelers';
export * from './strings/labeler-names';
export * from './strings/format';
export * from './strings/charts';
export * from './strings/offline';
export * from './strings/inspect';
export * from './strings/experiments';
