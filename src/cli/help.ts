import type { Command, CommandEntry, OptionSpecs } from './command.js';
import { optionSpecsOf } from './flags.js';

/** `ledgerline help`: every command with its summary, the global flags and the exit codes. */
export function generalHelp(commands: readonly CommandEntry[], globals: OptionSpecs): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'ledgerline: nightly accounting reconciliation for an ad network and SMM panels',
    '',
    'Usage: ledgerline <command> [options]      ledgerline help <command> for its flags and examples',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options:',
    ...flagLines(globals),
    '',
    ...EXIT_CODE_LINES,
    '',
  ].join('\n');
}

/** `ledgerline help CMD` and `ledgerline CMD --help`: usage, each flag with one line of meaning, examples. */
export function commandHelp(entry: CommandEntry, command: Command, globals: OptionSpecs): string {
  const lines = [`ledgerline ${entry.name}: ${entry.summary}`, '', `Usage: ${command.usage}`, ''];
  const options = optionSpecsOf(command.flags);
  if (Object.keys(options).length > 0) lines.push('Options:', ...flagLines(options), '');
  lines.push('Examples:', ...command.examples.map((example) => `  ${example}`), '');
  lines.push(
    `Global options: ${Object.keys(globals)
      .map((name) => `--${name}`)
      .join(', ')} (ledgerline help)`,
    '',
  );
  lines.push(...EXIT_CODE_LINES, '');
  return lines.join('\n');
}

const EXIT_CODE_LINES = [
  'Exit codes: 0 ok; 1 completed, with items to look at; 2 usage, configuration or a path/port that cannot be used',
  '            (nothing was changed); 3 a source, a destination or the ledger file failed; 75 another run holds',
  '            the ledger (run again later); 70 internal error (a bug: please report it).',
];

function flagLines(options: OptionSpecs): string[] {
  const left = Object.entries(options).map(([name, spec]) => {
    const value = spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : '';
    return `${spec.short ? `-${spec.short}, ` : ''}--${name}${value}${spec.multiple ? ' …' : ''}`;
  });
  const width = Math.max(...left.map((text) => text.length));
  return Object.values(options).map((spec, index) => `  ${left[index]!.padEnd(width)}  ${spec.description}`);
}
