import type { Colonne, LigneJournalApi, TableauJournal } from '@mixite/contract';
import { requeteJournalSchema, tableauComptesSchema, tableauJournalSchema } from '@mixite/contract';
import { LIBELLES_ROLE } from '../auth/roles.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError } from '../http/errors.ts';
import { ACTIONS_JOURNAL, LIBELLES_ACTION, isActionJournal, texteVerification } from '../repositories/journal-repository.ts';
import { REFUS, erreur, groupe, json, operation } from './operation.ts';

const COLONNES_JOURNAL: readonly Colonne[] = [
  { cle: 'id', libelle: 'N°', type: 'entier' },
  { cle: 'date', libelle: 'Date (UTC)', type: 'date' },
  { cle: 'utilisateur', libelle: 'Utilisateur', type: 'texte' },
  { cle: 'role', libelle: 'Rôle', type: 'texte' },
  { cle: 'action', libelle: 'Action', type: 'texte' },
  { cle: 'objet', libelle: 'Objet', type: 'texte' },
  { cle: 'details', libelle: 'Détails', type: 'texte' },
];

const COLONNES_COMPTES: readonly Colonne[] = [
  { cle: 'email', libelle: 'Adresse e-mail', type: 'texte' },
  { cle: 'nom', libelle: 'Nom', type: 'texte' },
  { cle: 'role', libelle: 'Rôle', type: 'texte' },
  { cle: 'perimetre', libelle: 'Périmètre', type: 'texte' },
  { cle: 'actif', libelle: 'Actif', type: 'booleen' },
  { cle: 'date_creation', libelle: 'Créé le (UTC)', type: 'date' },
];

export { LIMITE_JOURNAL_DEFAUT, LIMITE_JOURNAL_MAX } from '@mixite/contract';

export const routesJournal = {
  journal: operation('administration', {
    method: 'get',
    path: '/journal',
    summary:
      'Journal d’audit (consultations et exports de données des ménages, imports, paramètres, connexions), du plus récent au plus ancien, ' +
      'avec la vérification de sa chaîne scellée par la clé et les ancrages gardés hors de la base (integre, integrite)',
    tags: ['Administration'],
    request: { query: requeteJournalSchema },
    responses: { 200: json(tableauJournalSchema), 400: erreur(`Paramètre invalide (actions : ${ACTIONS_JOURNAL.join(', ')})`), ...REFUS },
  }),
  utilisateurs: operation('administration', {
    method: 'get',
    path: '/utilisateurs',
    summary: 'Comptes (sans les mots de passe)',
    tags: ['Administration'],
    responses: { 200: json(tableauComptesSchema), ...REFUS },
  }),
} as const;

/** The administrator's pages: the audit log (its reading is itself logged) and the accounts. */
export function journalRoutes(deps: Deps) {
  const app = groupe();

  app.openapi(routesJournal.journal, async (c) => {
    const { action, utilisateur, limite } = c.req.valid('query');
    // The list of actions lives with the log (repositories/journal-repository.ts).
    if (action && !isActionJournal(action)) throw new BadRequestError(`action inconnue : « ${action} » (attendu : ${ACTIONS_JOURNAL.join(', ')})`);
    const { lignes, total } = await deps.lock.read(() => deps.audit.journal.lister({ ...(action && isActionJournal(action) ? { action } : {}), ...(utilisateur ? { utilisateur } : {}), limite }));
    // Checked against the key and the anchors kept outside the store (services/scellement-journal.ts).
    const verification = await deps.audit.verifier();
    await deps.audit.ecrire(c.var.viewer, 'consultation_journal', 'journal', { ...(action ? { action } : {}), ...(utilisateur ? { utilisateur } : {}), lignes: lignes.length });
    const body: TableauJournal = {
      titre: 'Journal d’audit',
      colonnes: COLONNES_JOURNAL,
      lignes: lignes.map(
        (l): LigneJournalApi => ({
          ...l,
          role: l.role && l.role in LIBELLES_ROLE ? LIBELLES_ROLE[l.role as keyof typeof LIBELLES_ROLE] : l.role,
          action: LIBELLES_ACTION[l.action] ?? l.action,
          code_action: l.action,
        }),
      ),
      total,
      integrite: texteVerification(verification),
      integre: verification.intacte,
      actions: ACTIONS_JOURNAL.map((id) => ({ id, libelle: LIBELLES_ACTION[id] })),
    };
    return c.json(body, 200);
  });

  app.openapi(routesJournal.utilisateurs, async (c) => {
    const comptes = await deps.lock.read(() => deps.auth.utilisateurs.lister());
    return c.json(
      {
        titre: 'Comptes',
        colonnes: COLONNES_COMPTES,
        lignes: comptes.map((u) => ({ ...u, role: LIBELLES_ROLE[u.role] ?? u.role })),
      },
      200,
    );
  });

  return app;
}
