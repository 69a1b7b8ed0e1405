import { existsSync, renameSync } from 'node:fs';
import { EnvironmentError } from '../../errors.js';
import { readWitness, type WitnessPlace } from './witness-log.js';

/**
 * New books made where deleted ones were start afresh: the default witness is one file per ledger path, so the
 * heads the deleted ledger left would bind the new, empty one and every sync would refuse it. `init` creating the
 * ledger is that person's explicit fresh start, so the earlier witness is moved beside itself, never deleted.
 * A `witness.file` or `witness.url` the configuration names is left alone, as is a witness holding nothing.
 * Example: data/ledger.sqlite deleted with 81 entries witnessed, `init` again → the state folder's
 * ledger-3f9c0a1b2c3d4e5f.jsonl becomes ledger-3f9c0a1b2c3d4e5f.jsonl.set-aside-2026-11-28T00-20-00-000Z.
 */
export function setAsideEarlierWitness(place: WitnessPlace, now: Date): string | undefined {
  if (place.configured || place.url !== undefined) return undefined;
  if (readWitness(place).records.length === 0) return undefined;
  const aside = `${place.file}.set-aside-${now.toISOString().replace(/[:.]/g, '-')}`;
  if (existsSync(aside)) throw new EnvironmentError(`${aside} already exists: run init again in a moment`);
  renameSync(place.file, aside);
  return aside;
}
