/** Hashes, ids and JSON in the audit views: monospaced and small. */
export const mono = { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12 } as const;
