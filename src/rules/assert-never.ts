/** Closes a switch over a closed set: adding a member without handling it fails to compile. */
export function assertNever(value: never): never {
  throw new RangeError(`unhandled case ${String(value)}`);
}
