import type { DestinationMappingKind } from '../config/index.js';
import { UsageError } from '../errors.js';
import { listed } from '../log/index.js';
import { destinationKinds, type ApiDestinationKind } from '../pipeline/kinds/index.js';
import type { PostDestination } from '../pipeline/post/index.js';

/** The destinations with an API, in help's order: what post, doctor --to, reconcile --with, connect and disconnect take. */
export function apiDestinationNames(): string[] {
  return destinationKinds.withApi().map((kind) => kind.name);
}

/** `xero|quickbooks`, for a usage line; read when help is shown, so a plug-in's kind is listed too. */
export function apiDestinationChoices(separator = '|'): string {
  return apiDestinationNames().join(separator);
}

/** The services post delivers to, for help's summaries: "Xero or QuickBooks Online", with a plug-in's too. */
export function apiDestinationServices(): string {
  return listed(destinationKinds.withApi().map((kind) => kind.api.service));
}

/** `export --format`'s choices, for help's summary: "generic, xero, quickbooks, hledger or beancount". */
export function exportFormatNames(): string[] {
  return destinationKinds.exportFormats().map((format) => format.name);
}

/** The sections init writes for accountants' file formats (DATEV, FEC), in help's order. */
export function accountantSections(): { example: string; ask: string }[] {
  return destinationKinds.all().flatMap((kind) => (kind.initSection === undefined ? [] : [kind.initSection]));
}

/** The kind with an API of that name, or a refusal listing them. */
export function apiDestinationKind(name: string): ApiDestinationKind {
  const kind = destinationKinds.withApi().find((known) => known.name === name);
  if (kind === undefined) throw notPostedTo(name);
  return kind;
}

/** The refusal of a name no destination with an API has, listing those that do. */
function notPostedTo(name: string): UsageError {
  return new UsageError(
    `"${name}" is not a destination ledgerline posts to; it posts to ${listed(apiDestinationNames())}`,
  );
}

/**
 * The mapping files (xero.yaml …) the destinations of these names read beside the chart, in the registry's order
 * whatever the names' (schedule.post's), so their problems are always reported in the same order.
 */
export function mappingsOf(names: readonly string[]): DestinationMappingKind[] {
  const named = new Set(names.map(apiDestinationKind));
  return destinationKinds
    .withApi()
    .flatMap((kind) => (named.has(kind) && kind.mapping !== undefined ? [kind.mapping] : []));
}

/** The destination a post opens (`post`, a worker's post job, the scheduled night's post step). */
export function postDestinationNamed(name: string): PostDestination {
  const destination = destinationKinds.postDestination(name);
  if (destination === undefined) throw notPostedTo(name);
  return destination;
}
