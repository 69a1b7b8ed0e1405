/** The composition root: the books of one command, each use case's port wired to the store that implements it. */
export { Books, treatmentsGivenLine, type OpenBooksOptions, type TreatmentsGiven } from './books.js';
