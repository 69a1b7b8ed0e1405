/** `--version` or its short form `-v`. */
export function isVersionFlag(arg: string | undefined): boolean {
  return arg === '--version' || arg === '-v';
}

/**
 * `--version` (or `-v`) where it can only be the flag: the first argument (`ledgerline --version`) or right after
 * the command (`ledgerline status -v`), answered before any command, or the rest of the CLI, loads. Anywhere else
 * it may be a flag's value (`adjust … --reason -v`): the command's flags decide, once parsed (run-cli.ts).
 */
export function versionAsked(argv: readonly string[]): boolean {
  const [first, second] = argv;
  return isVersionFlag(first) || (first !== undefined && !first.startsWith('-') && isVersionFlag(second));
}
