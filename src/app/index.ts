/** The composition root: the books of one command, each use case's port wired to the store that implements it. */
export { Books, type OpenBooksOptions } from './books.js';
