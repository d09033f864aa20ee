import { Hono } from 'hono';
import { validateCiaConfig } from '@mixite/core';
import { z } from 'zod';
import type { Colonne, Seuil, Tableau } from '../contract.ts';
import { exiger } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, ValidationError } from '../http/errors.ts';
import type { AppEnv } from '../http/viewer.ts';

const HISTORY_COLUMNS: readonly Colonne[] = [
  { cle: 'version', libelle: 'Version', type: 'entier' },
  { cle: 'date_modification', libelle: 'Date', type: 'date' },
  { cle: 'auteur', libelle: 'Auteur', type: 'texte' },
  { cle: 'origine', libelle: 'Origine', type: 'texte' },
];

const SEUIL_COLUMNS: readonly Colonne[] = [
  { cle: 'annee', libelle: 'Année', type: 'entier' },
  { cle: 'code_epci', libelle: 'EPCI (vide = tous)', type: 'texte' },
  { cle: 'seuil_q1', libelle: 'Seuil du 1er quartile (€ par UC et par an)', type: 'nombre' },
  { cle: 'source', libelle: 'Arrêté', type: 'texte' },
];

/** The same rules as seuils.csv: a year, an optional EPCI SIREN, a positive amount. */
const seuilSchema = z
  .object({
    annee: z.number().int().min(1990).max(2099),
    code_epci: z.string().regex(/^[0-9]{9}$/, 'un SIREN de 9 chiffres').nullable().default(null),
    seuil_q1: z.number().positive().max(1_000_000),
    source: z.string().max(200).nullable().default(null),
  })
  .strict();
const seuilsBodySchema = z.object({ seuils: z.array(seuilSchema).max(500) }).strict();

export function configurationRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/configuration', async (c) => c.json(await deps.lock.read(() => deps.configuration.current(c.var.viewer))));

  app.put('/configuration', exiger('modification'), async (c) => {
    const body = await readJson(c.req.raw);
    const document = typeof body === 'object' && body !== null && 'contenu' in body ? (body as { contenu: unknown }).contenu : body;
    const result = validateCiaConfig(document);
    if (!result.ok) throw new ValidationError('configuration refusée : corrigez les champs signalés', result.problemes);
    const viewer = c.var.viewer;
    const saved = await deps.lock.write(() =>
      deps.store.transaction(async () => {
        const before = await deps.configuration.current(viewer);
        const after = await deps.configuration.save(viewer, result.config, 'paramètres de l’application');
        await deps.audit.ecrireDejaSeul(viewer, 'parametres', `version ${after.version}`, { champs_modifies: changedKeys(before.contenu, after.contenu) });
        return after;
      }),
    );
    return c.json(saved);
  });

  app.get('/configuration/versions', exiger('partenaire'), async (c) => {
    const rows = await deps.lock.read(() => deps.configuration.history(c.var.viewer));
    return c.json({ titre: 'Historique des paramètres de la CIA', colonnes: HISTORY_COLUMNS, lignes: rows } satisfies Tableau<object>);
  });

  app.get('/seuils', async (c) => {
    const rows = await deps.lock.read(() => deps.seuils.list(c.var.viewer));
    return c.json({ titre: 'Seuils du premier quartile', colonnes: SEUIL_COLUMNS, lignes: rows } satisfies Tableau<object>);
  });

  app.put('/seuils', exiger('modification'), async (c) => {
    const parsed = seuilsBodySchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new ValidationError(
        'seuils refusés : corrigez les lignes signalées',
        parsed.error.issues.map((i) => ({ chemin: i.path.join('.'), message: i.message })),
      );
    }
    const seuils: Seuil[] = parsed.data.seuils;
    const keys = new Set<string>();
    for (const s of seuils) {
      const key = `${s.annee}|${s.code_epci ?? ''}`;
      if (keys.has(key)) throw new ValidationError('seuils refusés', [{ chemin: 'seuils', message: `deux seuils pour ${s.annee}${s.code_epci ? ` (EPCI ${s.code_epci})` : ''}` }]);
      keys.add(key);
    }
    const viewer = c.var.viewer;
    await deps.lock.write(() =>
      deps.store.transaction(async () => {
        const before = await deps.seuils.list(viewer);
        await deps.seuils.replaceWithin(viewer, seuils);
        // The thresholds live in their own table; a new configuration version records who changed them and when.
        const current = await deps.configuration.current(viewer);
        const saved = await deps.configuration.save(viewer, current.contenu, 'seuils du premier quartile modifiés');
        await deps.audit.ecrireDejaSeul(viewer, 'seuils', `version ${saved.version}`, {
          avant: before.map((s) => `${s.annee}${s.code_epci ? ` ${s.code_epci}` : ''} : ${s.seuil_q1}`),
          apres: seuils.map((s) => `${s.annee}${s.code_epci ? ` ${s.code_epci}` : ''} : ${s.seuil_q1}`),
        });
      }),
    );
    const rows = await deps.lock.read(() => deps.seuils.list(viewer));
    return c.json({ titre: 'Seuils du premier quartile', colonnes: SEUIL_COLUMNS, lignes: rows } satisfies Tableau<object>);
  });

  return app;
}

/** The settings' top-level keys whose value changed (`cibles`, `uc`…), for the audit log. */
function changedKeys(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new BadRequestError('corps de requête JSON illisible');
  }
}
