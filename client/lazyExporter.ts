/**
 * A build step: react-admin's list controller imports its CSV exporter (`defaultExporter`,
 * with the `jsonexport` library) as the default of every list's `exporter`, whether or not
 * the list has an export button. The desk's lists export nothing through it (exports are a
 * page of their own), so its module is given here as the same function fetching `jsonexport`
 * on first use: the library leaves the first download and still works if a list ever exports.
 */
import type { Plugin } from 'vite';

const exporterModule = /[\\/]ra-core[\\/]dist[\\/]export[\\/]defaultExporter\.js$/;

/** The same signature and behaviour as ra-core's `defaultExporter`, the CSV library fetched when called. */
const lazyExporterSource = `import { downloadCSV } from './downloadCSV.js';
export const defaultExporter = (data, _fetchRelatedRecords, _dataProvider, resource) =>
  import('jsonexport/dist/index.js').then(({ default: jsonExport }) =>
    jsonExport(data, (_error, csv) => downloadCSV(csv, resource)),
  );
`;

export function lazyExporter(): Plugin {
  return {
    name: 'desk-lazy-exporter',
    enforce: 'pre',
    load(id) {
      return exporterModule.test(id) ? lazyExporterSource : null;
    },
  };
}
