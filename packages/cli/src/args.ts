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

/** `--annee AAAA`, required: the year of the indicators or of the bilan. */
export function requiredYear(value: string | undefined): number {
  if (value === undefined) throw new UsageError('indiquez l’année avec --annee AAAA');
  const annee = Number(value);
  if (!/^\d{4}$/.test(value) || annee < 2001 || annee > 2099) throw new UsageError(`année invalide « ${value} » : quatre chiffres, par exemple 2024`);
  return annee;
}

/**
 * The `--format` of a command, one of those it writes (the first by default): « format inconnu » names them all.
 * Typed as the list given, so a command's switch over it is checked.
 */
export function formatParmi<const F extends string>(value: string | undefined, formats: readonly [F, ...F[]]): F {
  if (value === undefined) return formats[0];
  if ((formats as readonly string[]).includes(value)) return value as F;
  const liste = formats.length === 1 ? formats[0] : `${formats.slice(0, -1).join(', ')} ou ${formats.at(-1)}`;
  throw new UsageError(`format inconnu « ${value} » : ${liste}`);
}

/** A command reads either a dataset folder (`--data`) or a store (`--base`), never both. */
export function singleSource(values: { data?: string | undefined; base?: string | undefined }): void {
  if (values.data && values.base) throw new UsageError('indiquez soit --data (un dossier), soit --base (une base), pas les deux');
}
