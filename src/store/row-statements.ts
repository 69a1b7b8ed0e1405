/**
 * What books write and read rows with, one group at the store's face (`statements.insert('bank_lines', …)`): a row
 * statement (an insert, an update, or one written over the rows), a `sql` template bound to a store's dialect, the
 * engine a statement is written for, and rows read a few hundred ids at a time. Each verb is written beside its SQL.
 */
export { insertRows as insert, rowStatement as ofRows, updateRows as update } from './ledger-store.js';
export { boundTo, onSqlite } from './query-builder.js';
export { rowsOfIds } from './id-lists.js';
