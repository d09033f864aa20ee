import { parseArgs } from 'node:util';

/** Thrown for a command line the CLI cannot understand; main prints it with the command's help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** node:util parseArgs with French errors. */
export function parse<O extends OptionSpec>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...options, aide: { type: 'boolean', short: 'h' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message
      .replace(/^Unknown option '([^']+)'.*$/s, 'option inconnue : $1')
      .replace(/^Option '([^']+)' argument missing.*$/s, 'l’option $1 attend une valeur');
    throw new UsageError(message);
  }
}

export const wantsHelp = (values: { aide?: boolean | undefined; help?: boolean | undefined }) => Boolean(values.aide || values.help);
