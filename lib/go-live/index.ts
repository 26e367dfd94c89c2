/** The go-live context's front door: the import of the estate and running placements from CSV files. What it reads is in ports.ts. */
export { GoLiveImport, IMPORT_FILES, type ImportOptions } from './go-live-import';
export { ImportOutcome } from './import-outcome';
export { ImportRefused } from './import-refused';
