export type { TransitBooks } from './transit-books.js';
export { importStatement, type StatementImport } from './import-statement.js';
