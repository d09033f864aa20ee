import { Hono } from 'hono';
import { LIBELLES_ROLE } from '../auth/roles.ts';
import type { Colonne, LigneJournalApi, TableauJournal, Tableau } from '../contract.ts';
import { exiger } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError } from '../http/errors.ts';
import type { AppEnv } from '../http/viewer.ts';
import { ACTIONS_JOURNAL, LIBELLES_ACTION, isActionJournal, texteVerification } from '../repositories/journal-repository.ts';

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

export const LIMITE_JOURNAL_DEFAUT = 500;
export const LIMITE_JOURNAL_MAX = 10_000;

/** The administrator's pages: the audit log (its reading is itself logged) and the accounts. */
export function journalRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/journal', exiger('administration'), async (c) => {
    const action = c.req.query('action');
    if (action && !isActionJournal(action)) throw new BadRequestError(`action inconnue : « ${action} » (attendu : ${ACTIONS_JOURNAL.join(', ')})`);
    const utilisateur = c.req.query('utilisateur')?.trim() || undefined;
    if (utilisateur && utilisateur.length > 254) throw new BadRequestError('paramètre « utilisateur » trop long');
    const texte = c.req.query('limite');
    const limite = texte ? Number(texte) : LIMITE_JOURNAL_DEFAUT;
    if (!Number.isInteger(limite) || limite < 1 || limite > LIMITE_JOURNAL_MAX) throw new BadRequestError(`paramètre « limite » : un entier entre 1 et ${LIMITE_JOURNAL_MAX}`);
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
    return c.json(body);
  });

  app.get('/utilisateurs', exiger('administration'), async (c) => {
    const comptes = await deps.lock.read(() => deps.auth.utilisateurs.lister());
    return c.json({
      titre: 'Comptes',
      colonnes: COLONNES_COMPTES,
      lignes: comptes.map((u) => ({ ...u, role: LIBELLES_ROLE[u.role] ?? u.role })),
    } satisfies Tableau<object>);
  });

  return app;
}
