import type { DuckDBValue } from '@duckdb/node-api';

/**
 * SQL with its values kept apart (issue 11, docs/decisions/0005-nommage.md): a value interpolated in the
 * `sql` tagged template becomes a `$n` parameter, never text of the statement, so a NUR, an identifier of a
 * perimeter or a code read from a file cannot change what the statement does, whatever quotes it holds.
 *
 *   sql`SELECT 1 FROM demandes WHERE nur = ${nur} AND bailleur_actuel_id = ${id}`
 *   → { text: 'SELECT 1 FROM demandes WHERE nur = $1 AND bailleur_actuel_id = $2', params: [nur, id] }
 *
 * What is not a value has to be said: `sql.ident(name)` for a table or column name (quoted), `sql.raw(text)` for
 * SQL text written in our code (generated from declarations, never from input), `sql.join` / `sql.list` to
 * compose. Fragments nest: their parameters are renumbered in the order they appear in the final statement.
 * `Store.all` and `Store.run` take a fragment as well as a string.
 */
export class Sql {
  /** @internal Use the `sql` tag and its helpers. */
  constructor(private readonly parts: readonly Part[]) {}

  /** The statement text with `$1…$n` placeholders and the values in the same order. */
  toQuery(): { readonly text: string; readonly params: DuckDBValue[] } {
    const params: DuckDBValue[] = [];
    const text = this.write(params);
    return { text, params };
  }

  private write(params: DuckDBValue[]): string {
    let text = '';
    for (const part of this.parts) {
      if (typeof part === 'string') text += part;
      else if (part instanceof Sql) text += part.write(params);
      else {
        params.push(part.value);
        text += `$${params.length}`;
      }
    }
    return text;
  }
}

/** A value to bind; `undefined` is refused (it is always a mistake in the caller: say `null` for NULL). */
export type SqlValue = DuckDBValue;
type Part = string | Sql | { readonly value: SqlValue };

function tag(strings: TemplateStringsArray, ...values: readonly (SqlValue | Sql)[]): Sql {
  const parts: Part[] = [];
  strings.forEach((text, i) => {
    if (text !== '') parts.push(text);
    if (i < values.length) {
      const value = values[i];
      if (value === undefined) throw new TypeError(`sql : valeur ${i + 1} indéfinie dans « ${strings.join('…').slice(0, 120)} »`);
      parts.push(value instanceof Sql ? value : { value });
    }
  });
  return new Sql(parts);
}

/** Quotes an identifier (a table, a column, or `schema.table` given as several names). */
function ident(...names: readonly string[]): Sql {
  if (names.length === 0) throw new TypeError('sql.ident : aucun nom');
  return new Sql([names.map((n) => `"${n.replaceAll('"', '""')}"`).join('.')]);
}

/** SQL text written by our code (a generated expression, a keyword): NEVER text that came from input. */
const raw = (text: string): Sql => new Sql([text]);

/** Fragments one after the other, separated by `separator` (raw text). */
function join(fragments: readonly Sql[], separator = ', '): Sql {
  const parts: Part[] = [];
  fragments.forEach((f, i) => {
    if (i > 0) parts.push(separator);
    parts.push(f);
  });
  return new Sql(parts);
}

/** Values as a parameter list for `IN (…)` or `VALUES (…)`: `$1, $2, $3`; an empty list gives `NULL` (matches nothing). */
const list = (values: readonly SqlValue[]): Sql => (values.length === 0 ? raw('NULL') : join(values.map((v) => tag`${v}`)));

export const sql = Object.assign(tag, { ident, raw, join, list });
