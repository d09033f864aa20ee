import { DEFAULT_CIA_CONFIG, modificationsDeConfiguration, texteModification, validateCiaConfig } from '@mixite/core';
import type { Colonne, Seuil } from '@mixite/contract';
import { configurationSchema, corpsConfigurationSchema, corpsSeuilsSchema, tableauSeuilsSchema, tableauVersionsSchema } from '@mixite/contract';
import type { Deps } from '../http/deps.ts';
import { ConfigurationVersionsRepository } from '../repositories/configuration-versions-repository.ts';
import { ValidationError } from '../http/errors.ts';
import { REFUS, corpsJsonRequis, erreur, groupe, json, operation, refus } from './operation.ts';

const HISTORY_COLUMNS: readonly Colonne[] = [
  { cle: 'version', libelle: 'Version', type: 'entier' },
  { cle: 'date_modification', libelle: 'Date', type: 'date' },
  { cle: 'auteur', libelle: 'Auteur', type: 'texte' },
  { cle: 'origine', libelle: 'Origine', type: 'texte' },
  { cle: 'modifications', libelle: 'Modifications (avant → après)', type: 'texte' },
];

const SEUIL_COLUMNS: readonly Colonne[] = [
  { cle: 'annee', libelle: 'Année', type: 'entier' },
  { cle: 'code_epci', libelle: 'EPCI (vide = tous)', type: 'texte' },
  { cle: 'seuil_q1', libelle: 'Seuil du 1er quartile (€ par UC et par an)', type: 'nombre' },
  { cle: 'source', libelle: 'Arrêté', type: 'texte' },
];

export const routesConfiguration = {
  configuration: operation('session', {
    method: 'get',
    path: '/configuration',
    summary: 'Paramètres en vigueur de la CIA (dernière version)',
    tags: ['Paramètres'],
    responses: { 200: json(configurationSchema), ...REFUS },
  }),
  enregistrer: operation('modification', {
    method: 'put',
    path: '/configuration',
    summary: 'Enregistre de nouveaux paramètres (nouvelle version datée et signée)',
    tags: ['Paramètres'],
    request: { body: corpsJsonRequis(corpsConfigurationSchema) },
    responses: { 200: json(configurationSchema), 400: erreur('JSON illisible'), 422: erreur('Paramètres refusés : details liste les champs en cause'), ...REFUS },
  }),
  versions: operation('partenaire', {
    method: 'get',
    path: '/configuration/versions',
    summary: 'Historique des versions des paramètres (date, auteur, origine, et chaque champ modifié : avant → après)',
    tags: ['Paramètres'],
    responses: { 200: json(tableauVersionsSchema), ...REFUS },
  }),
  seuils: operation('session', {
    method: 'get',
    path: '/seuils',
    summary: 'Seuils du premier quartile par année (arrêtés)',
    tags: ['Paramètres'],
    responses: { 200: json(tableauSeuilsSchema), ...REFUS },
  }),
  remplacerSeuils: operation('modification', {
    method: 'put',
    path: '/seuils',
    summary: 'Remplace les seuils du premier quartile (tracé dans l’historique des paramètres)',
    tags: ['Paramètres'],
    request: { body: corpsJsonRequis(corpsSeuilsSchema) },
    responses: { 200: json(tableauSeuilsSchema), 400: erreur('JSON illisible'), 422: erreur('Seuils refusés : details liste les lignes en cause'), ...REFUS },
  }),
} as const;

export function configurationRoutes(deps: Deps) {
  const app = groupe();

  app.openapi(routesConfiguration.configuration, async (c) => c.json(await deps.lock.read(() => deps.configuration.current(c.var.viewer)), 200));

  app.openapi(
    routesConfiguration.enregistrer,
    async (c) => {
      // The settings themselves go through core's one rule for configuration documents (cia.yaml's too).
      const result = validateCiaConfig(c.req.valid('json').contenu);
      if (!result.ok) throw new ValidationError('configuration refusée : corrigez les champs signalés', result.problemes);
      const viewer = c.var.viewer;
      const saved = await deps.lock.write(() =>
        deps.store.transaction(async () => {
          const before = await deps.configuration.current(viewer);
          const after = await deps.configuration.save(viewer, result.config, 'paramètres de l’application');
          await deps.audit.ecrireDejaSeul(viewer, 'parametres', `version ${after.version}`, {
            champs_modifies: changedKeys(before.contenu, after.contenu),
            modifications: modificationsDeConfiguration(before.contenu, after.contenu).map(texteModification),
          });
          return after;
        }),
      );
      return c.json(saved, 200);
    },
    refus('configuration refusée : corrigez les champs signalés'),
  );

  const versions = new ConfigurationVersionsRepository(deps.store);
  app.openapi(routesConfiguration.versions, async (c) => {
    const rows = await deps.lock.read(() => versions.all());
    // Each version against the one before (the first against the format's defaults), newest first like the history.
    const lignes = rows
      .map(({ contenu, ...v }, i) => ({ ...v, modifications: modificationsDeConfiguration(rows[i - 1]?.contenu ?? DEFAULT_CIA_CONFIG, contenu).map(texteModification) }))
      .reverse();
    return c.json({ titre: 'Historique des paramètres de la CIA', colonnes: HISTORY_COLUMNS, lignes }, 200);
  });

  app.openapi(routesConfiguration.seuils, async (c) => {
    const rows = await deps.lock.read(() => deps.seuils.list(c.var.viewer));
    return c.json({ titre: 'Seuils du premier quartile', colonnes: SEUIL_COLUMNS, lignes: rows }, 200);
  });

  app.openapi(
    routesConfiguration.remplacerSeuils,
    async (c) => {
      const seuils: Seuil[] = c.req.valid('json').seuils;
      const keys = new Set<string>();
      for (const s of seuils) {
        const key = `${s.annee}|${s.code_epci ?? ''}`;
        if (keys.has(key)) throw new ValidationError('seuils refusés', [{ chemin: 'seuils', message: `deux seuils pour ${s.annee}${s.code_epci ? ` (EPCI ${s.code_epci})` : ''}` }]);
        keys.add(key);
        // The order seuils.csv requires (core FILE_SPECS.seuils rules): q1 ≤ q2 ≤ q3 when given.
        const [q1, q2, q3] = [s.seuil_q1, s.seuil_q2 ?? null, s.seuil_q3 ?? null];
        if ((q2 !== null && q1 > q2) || (q3 !== null && (q2 ?? q1) > q3)) {
          throw new ValidationError('seuils refusés', [{ chemin: 'seuils', message: `seuils de ${s.annee}${s.code_epci ? ` (EPCI ${s.code_epci})` : ''} dans le désordre : il faut seuil_q1 ≤ seuil_q2 ≤ seuil_q3` }]);
        }
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
      return c.json({ titre: 'Seuils du premier quartile', colonnes: SEUIL_COLUMNS, lignes: rows }, 200);
    },
    refus('seuils refusés : corrigez les lignes signalées'),
  );

  return app;
}

/** The settings' top-level keys whose value changed (`cibles`, `uc`…), for the audit log. */
function changedKeys(before: object, after: object): string[] {
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}
