import { ciaConfigSchema } from '@mixite/core';
import { z } from 'zod';
import type { Acces } from './auth/roles.ts';
import { ACCES, ROLES, ROLES_AUTORISES } from './auth/roles.ts';
import { ACTIONS_JOURNAL } from './repositories/journal-repository.ts';

/**
 * The OpenAPI document of /api, written by hand beside the routes. A test lists the routes the app declares
 * and fails when one is missing here (or documented but gone), so the two cannot drift. The CIA configuration's
 * schema is generated from the zod schema that validates it.
 *
 * Each operation names the access it requires (`x-mixite-acces`, see auth/roles.ts): the authentication
 * middleware opens the `public` ones without a session, and the test matrix role × route is generated from this
 * document, so that a new route is checked for every role as soon as it is documented. Parameters carry an
 * `example` the matrix calls the route with.
 */

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'Succès'): Json => ({ description, content: { 'application/json': { schema } } });
const error = (description: string): Json => json(ref('Erreur'), description);
const q = (name: string, description: string, required = false, schema: Json = { type: 'string' }, example?: string | number): Json => ({
  name,
  in: 'query',
  required,
  description,
  schema,
  ...(example === undefined ? {} : { example }),
});
const p = (name: string, description: string, example: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' }, example });

const ANNEE = q('annee', 'Année civile (ex. 2024) ; ignorée quand « periode » est donnée', false, { type: 'integer' }, 2024);
const PERIODE = q('periode', 'Période : 2024, 2024-S1, 2024-S2, 12m-2024-06-30 ou 12m-2024-12-31', false, { type: 'string' }, '2024');
const PERIMETRE_TYPE = q('perimetre_type', 'territoire, commune, qpv, bailleur, contingent, type_contingent (ou non_reserve)', false, { type: 'string' }, 'bailleur');
const PERIMETRE_ID = q('perimetre_id', 'Identifiant du périmètre (code INSEE, code QPV, id du bailleur ou du réservataire, non_reserve:<bailleur>)', false, { type: 'string' }, 'B1');
const INDICATEUR = q(
  'indicateur',
  'Identifiant d’un indicateur légal (hors_qpv_q1, qpv_hors_q1, qpv_q3_q4, prioritaires, mutations, travailleurs_essentiels)',
  false,
  { type: 'string' },
  'prioritaires',
);
const acces = (niveau: Acces): Json => ({
  'x-mixite-acces': niveau,
  ...(niveau === 'public' ? { security: [] } : {}),
});
const FICHIER: Json = {
  description: 'Le fichier',
  content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
};
const REFUS = { 401: error('Sans session (mode production) ou session expirée'), 403: error('Rôle non autorisé, ou jeton CSRF absent pour une modification') };

const OPERATIONS: Record<string, Record<string, Json>> = {
  '/api/openapi.json': {
    get: { summary: 'Ce document', tags: ['API'], ...acces('public'), responses: { 200: json({ type: 'object' }) } },
  },
  '/api/sante': {
    get: {
      summary: 'État du serveur (contrôle de santé) : mode et existence d’un compte administrateur',
      tags: ['Session'],
      ...acces('public'),
      responses: { 200: json(ref('Sante')) },
    },
  },
  '/api/session': {
    post: {
      summary: 'Connexion : vérifie l’adresse et le mot de passe, ouvre une session (cookie HttpOnly, SameSite=Strict) et rend le jeton CSRF',
      tags: ['Session'],
      ...acces('public'),
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', properties: { email: { type: 'string' }, mot_de_passe: { type: 'string' } }, required: ['email', 'mot_de_passe'] },
          },
        },
      },
      responses: {
        200: json(ref('Session')),
        401: error('Adresse ou mot de passe incorrect'),
        422: error('Champs manquants'),
        429: error('Trop de tentatives : l’en-tête Retry-After donne le délai'),
      },
    },
    get: { summary: 'La session en cours : utilisateur, rôle, droits, jeton CSRF, mode', tags: ['Session'], ...acces('session'), responses: { 200: json(ref('Session')), ...REFUS } },
    delete: { summary: 'Déconnexion : la session est supprimée', tags: ['Session'], ...acces('session'), responses: { 204: { description: 'Déconnecté' }, ...REFUS } },
  },
  '/api/connexions/blocages': {
    delete: {
      summary: 'Lève les délais imposés après des échecs de connexion : d’un compte (toutes adresses), d’une adresse IP, ou tous',
      tags: ['Administration'],
      ...acces('administration'),
      parameters: [
        q('email', 'Le compte à débloquer', false, { type: 'string' }, 'agent@epci.fr'),
        q('adresse', 'L’adresse IP à débloquer', false, { type: 'string' }, '203.0.113.7'),
      ],
      responses: { 200: json({ type: 'object', properties: { levees: { type: 'integer' } } }), 400: error('Paramètre invalide'), ...REFUS },
    },
  },
  '/api/journal': {
    get: {
      summary:
        'Journal d’audit (consultations et exports de données des ménages, imports, paramètres, connexions), du plus récent au plus ancien, ' +
        'avec la vérification de sa chaîne scellée par la clé et les ancrages gardés hors de la base (integre, integrite)',
      tags: ['Administration'],
      ...acces('administration'),
      parameters: [
        q('action', `Ne garder qu’une action : ${ACTIONS_JOURNAL.join(', ')}`, false, { type: 'string' }, 'connexion'),
        q('utilisateur', 'Ne garder qu’un utilisateur (adresse e-mail)', false, { type: 'string' }, 'admin@exemple.fr'),
        q('limite', 'Nombre maximal d’entrées (500 par défaut, 10 000 au plus)', false, { type: 'integer' }, 100),
      ],
      responses: { 200: json(ref('Tableau')), 400: error('Paramètre invalide'), ...REFUS },
    },
  },
  '/api/utilisateurs': {
    get: { summary: 'Comptes (sans les mots de passe)', tags: ['Administration'], ...acces('administration'), responses: { 200: json(ref('Tableau')), ...REFUS } },
  },
  '/api/territoire': {
    get: { summary: 'Le territoire : nom, années disponibles, libellés des périmètres', tags: ['Indicateurs'], ...acces('session'), responses: { 200: json(ref('Territoire')) } },
  },
  '/api/declarations': {
    get: {
      summary: 'Déclarations des indicateurs (libellé, définition, base de comptage, source légale)',
      tags: ['Indicateurs'],
      ...acces('session'),
      responses: { 200: json({ type: 'object', properties: { legaux: { type: 'array', items: ref('Declaration') }, demande: { type: 'object' } } }) },
    },
  },
  '/api/indicateurs': {
    get: {
      summary: 'Indicateurs légaux d’une année ou d’une période, par type de périmètre (format long d’indicateurs.csv) ; secret statistique appliqué pour le rôle lecteur',
      tags: ['Indicateurs'],
      ...acces('session'),
      parameters: [ANNEE, PERIODE, PERIMETRE_TYPE, PERIMETRE_ID, INDICATEUR],
      responses: { 200: json(ref('TableauIndicateurs')), 400: error('Paramètre invalide'), 404: error('Indicateur inconnu') },
    },
  },
  '/api/indicateurs/tendance': {
    get: {
      summary: 'Évolution annuelle des indicateurs sur les années disponibles',
      tags: ['Indicateurs'],
      ...acces('session'),
      parameters: [PERIMETRE_TYPE, PERIMETRE_ID, INDICATEUR],
      responses: { 200: json(ref('TableauIndicateurs')) },
    },
  },
  '/api/objectifs/{indicateur}/attributions': {
    get: {
      summary:
        'Attributions derrière une ligne d’indicateur : le dénominateur, chacune marquée si elle compte au numérateur. Données des ménages : ' +
        'restreintes au périmètre du compte (bailleur, contingent, commune), NUR pseudonymisé pour les rôles qui n’en ont pas besoin, consultation journalisée',
      tags: ['Indicateurs'],
      ...acces('menages'),
      parameters: [
        p('indicateur', 'Identifiant de l’indicateur légal', 'prioritaires'),
        { ...PERIODE, required: true },
        PERIMETRE_TYPE,
        PERIMETRE_ID,
        q('limite', 'Nombre maximal de lignes rendues (5 000 par défaut, 50 000 au plus) ; total et total_numerateur les comptent toutes', false, { type: 'integer' }, 100),
      ],
      responses: {
        200: json({
          allOf: [ref('Tableau'), { type: 'object', properties: { total: { type: 'integer' }, total_numerateur: { type: 'integer' }, limite: { type: 'integer' } } }],
        }),
        400: error('Période ou limite invalide'),
        404: error('Indicateur inconnu'),
      },
    },
  },
  '/api/demande': {
    get: {
      summary: 'La demande : stock, flux, quartiles (limites calculées et seuil publié), tension, délais, refus',
      tags: ['Indicateurs'],
      ...acces('session'),
      parameters: [ANNEE, PERIODE],
      responses: { 200: json({ type: 'object' }), 400: error('Paramètre invalide') },
    },
  },
  '/api/imports': {
    get: { summary: 'Historique des imports réussis', tags: ['Données'], ...acces('modification'), responses: { 200: json(ref('Tableau')), ...REFUS } },
  },
  '/api/imports/{id}': {
    get: {
      summary: 'Rapport d’un import',
      tags: ['Données'],
      ...acces('modification'),
      parameters: [p('id', 'Numéro de l’import', '1')],
      responses: { 200: json(ref('RapportImport')), 404: error('Import introuvable') },
    },
  },
  '/api/televersements': {
    post: {
      summary:
        'Dépose des fichiers et les vérifie sans rien écrire (simulation) ; renvoie le rapport et, s’il est sans erreur, un jeton de confirmation. ' +
        'Taille limitée (MIXITE_TELEVERSEMENT_MAX_MO, 200 Mo par défaut) ; un XLSX qui se décompresse au-delà de 1 Go est refusé',
      tags: ['Données'],
      ...acces('modification'),
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                fichiers: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'Fichiers CSV ou XLSX du format canonique, et cia.yaml' },
                correspondance: { type: 'string', format: 'binary', description: 'Fichier de correspondance des en-têtes (YAML), facultatif' },
              },
              required: ['fichiers'],
            },
          },
        },
      },
      responses: {
        200: json({ type: 'object', properties: { jeton: { type: ['string', 'null'] }, rapport: ref('RapportImport') } }),
        400: error('Aucun fichier, ou deux fichiers du même nom'),
        413: error('Téléversement trop volumineux, ou classeur XLSX qui se décompresse au-delà de la limite'),
        ...REFUS,
      },
    },
  },
  '/api/televersements/{jeton}/confirmation': {
    post: {
      summary: 'Importe les fichiers vérifiés sous ce jeton (tout ou rien) ; seul le compte qui les a vérifiés peut confirmer',
      tags: ['Données'],
      ...acces('modification'),
      parameters: [p('jeton', 'Jeton rendu par la vérification', '00000000-0000-0000-0000-000000000000')],
      responses: { 200: json(ref('RapportImport')), 404: error('Jeton inconnu ou expiré'), 422: json(ref('RapportImport'), 'Import refusé : la base est inchangée') },
    },
  },
  '/api/televersements/{jeton}': {
    delete: {
      summary: 'Abandonne un téléversement vérifié',
      tags: ['Données'],
      ...acces('modification'),
      parameters: [p('jeton', 'Jeton rendu par la vérification', '00000000-0000-0000-0000-000000000000')],
      responses: { 204: { description: 'Abandonné' }, 404: error('Jeton inconnu ou expiré') },
    },
  },
  '/api/configuration': {
    get: { summary: 'Paramètres en vigueur de la CIA (dernière version)', tags: ['Paramètres'], ...acces('session'), responses: { 200: json(ref('Configuration')) } },
    put: {
      summary: 'Enregistre de nouveaux paramètres (nouvelle version datée et signée)',
      tags: ['Paramètres'],
      ...acces('modification'),
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { contenu: ref('CiaConfig') }, required: ['contenu'] } } } },
      responses: { 200: json(ref('Configuration')), 400: error('JSON illisible'), 422: error('Paramètres refusés : details liste les champs en cause') },
    },
  },
  '/api/configuration/versions': {
    get: { summary: 'Historique des versions des paramètres (date, auteur, origine)', tags: ['Paramètres'], ...acces('partenaire'), responses: { 200: json(ref('Tableau')), ...REFUS } },
  },
  '/api/seuils': {
    get: { summary: 'Seuils du premier quartile par année (arrêtés)', tags: ['Paramètres'], ...acces('session'), responses: { 200: json(ref('Tableau')) } },
    put: {
      summary: 'Remplace les seuils du premier quartile (tracé dans l’historique des paramètres)',
      tags: ['Paramètres'],
      ...acces('modification'),
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', properties: { seuils: { type: 'array', items: ref('Seuil') } }, required: ['seuils'] } } },
      },
      responses: { 200: json(ref('Tableau')), 422: error('Seuils refusés') },
    },
  },
  '/api/export': {
    post: {
      summary:
        'Transforme un tableau agrégé affiché en fichier CSV (séparateur ;, virgule décimale, UTF-8 avec BOM) ou XLSX, écrit en flux ; les cellules ' +
        'de texte qui commencent par =, +, -, @, tabulation ou retour chariot sont neutralisées. Refuse tout contenu de ménage, jugé sur les données ' +
        '(colonne d’identifiant quel que soit son nom, cellule au format d’un NUR ou d’un pseudonyme) : les listes de ménages s’exportent par POST /api/exports',
      tags: ['Export'],
      ...acces('session'),
      parameters: [q('format', 'csv ou xlsx', true, { type: 'string' }, 'csv')],
      requestBody: { required: true, content: { 'application/json': { schema: ref('Tableau') } } },
      responses: {
        200: FICHIER,
        400: error('Format inconnu'),
        422: error('Tableau illisible, trop de lignes (export_trop_grand) ou contenant des données de ménages (donnees_menages)'),
      },
    },
  },
  '/api/exports': {
    post: {
      summary:
        'Exporte une liste de ménages par sa requête (aujourd’hui les attributions derrière une ligne d’indicateur), jamais par ses lignes : le serveur ' +
        'les lit lui-même comme la route affichée (périmètre du compte, NUR pseudonymisé selon le rôle), journalise l’export et rend le fichier en flux ; ' +
        'au-delà d’un seuil de lignes, lance un export en arrière-plan (202) dont GET /api/exports/{id} donne l’avancement',
      tags: ['Export'],
      ...acces('menages'),
      requestBody: { required: true, content: { 'application/json': { schema: ref('DemandeExport') } } },
      responses: {
        200: FICHIER,
        202: json(ref('TravailExport'), 'Export lancé en arrière-plan (en-tête Location)'),
        400: error('Période ou périmètre invalide'),
        404: error('Indicateur inconnu'),
        409: error('Trop d’exports en attente de téléchargement'),
        422: error('Demande illisible, ou liste au-delà du plafond de lignes (export_trop_grand)'),
        ...REFUS,
      },
    },
  },
  '/api/exports/{id}': {
    get: {
      summary: 'Avancement d’un export en arrière-plan (lignes écrites sur le total) ; seul le compte qui l’a demandé le voit',
      tags: ['Export'],
      ...acces('menages'),
      parameters: [p('id', 'Identifiant rendu par POST /api/exports', 'AAAAAAAAAAAAAAAAAAAAAA')],
      responses: { 200: json(ref('TravailExport')), 404: error('Export inconnu, déjà téléchargé ou expiré'), ...REFUS },
    },
  },
  '/api/exports/{id}/fichier': {
    get: {
      summary: 'Le fichier d’un export terminé, envoyé une fois puis supprimé du serveur (expire après une heure sinon)',
      tags: ['Export'],
      ...acces('menages'),
      parameters: [p('id', 'Identifiant rendu par POST /api/exports', 'AAAAAAAAAAAAAAAAAAAAAA')],
      responses: { 200: FICHIER, 404: error('Export inconnu, déjà téléchargé ou expiré'), 409: error('Export pas encore prêt, ou en échec'), ...REFUS },
    },
  },
  '/api/bilan/{annee}/{format}': {
    get: {
      summary: 'Le bilan annuel de la CIA pour la CIL (Word, PDF ou Excel), secret statistique appliqué ; produit à la demande puis gardé jusqu’au prochain import ou changement de paramètres',
      tags: ['Bilan'],
      ...acces('partenaire'),
      parameters: [
        { name: 'annee', in: 'path', required: true, example: 2024, schema: { type: 'integer', minimum: 2000, maximum: 2099 } },
        { name: 'format', in: 'path', required: true, example: 'xlsx', schema: { type: 'string', enum: ['docx', 'pdf', 'xlsx'] } },
      ],
      responses: {
        200: { description: 'Le fichier du bilan', content: { 'application/pdf': {}, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {}, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {} } },
        400: error('Année ou format invalide'),
        503: error('Chromium absent : le PDF ne peut pas être produit'),
      },
    },
  },
  '/api/cotation/grille': {
    get: {
      summary: 'La grille de cotation de départ de l’éditeur (grilles/equilibre-cia.yaml), en texte YAML',
      tags: ['Cotation'],
      ...acces('session'),
      responses: { 200: json({ type: 'object', properties: { fichier: { type: 'string' }, contenu: { type: 'string' } } }) },
    },
  },
  '/api/cotation/verifier': {
    post: {
      summary: 'Vérifie une grille de cotation : les problèmes localisés (ligne, colonne, chemin, message en français), sans rien enregistrer',
      tags: ['Cotation'],
      ...acces('session'),
      requestBody: corpsGrille(),
      responses: {
        200: json({ type: 'object', properties: { ok: { type: 'boolean' }, problemes: { type: 'array', items: ref('ProblemeGrille') }, grille: { type: ['object', 'null'] } } }),
        422: error('Corps illisible'),
      },
    },
  },
  '/api/cotation/distribution': {
    post: {
      summary: 'Distribution des notes d’une grille sur les demandes actives à la date (histogramme, résumé, fréquence de chaque ligne) : agrégats',
      tags: ['Cotation'],
      ...acces('session'),
      requestBody: corpsGrille(),
      responses: { 200: json({ type: 'object' }), 400: error('Date de référence invalide'), 422: error('Grille invalide : les problèmes localisés sont dans details') },
    },
  },
  '/api/cotation/impact': {
    post: {
      summary: 'Compare l’impact de deux grilles sur les objectifs de la CIA (demandes retenues par typologie, écarts, recouvrement) : agrégats',
      tags: ['Cotation'],
      ...acces('session'),
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { grille_a: { type: 'string' }, fichier_a: { type: 'string' }, grille_b: { type: 'string' }, fichier_b: { type: 'string' }, date: { type: 'string' } },
              required: ['grille_a', 'grille_b'],
            },
          },
        },
      },
      responses: { 200: json({ type: 'object' }), 400: error('Date de référence invalide'), 422: error('Grille invalide : les problèmes localisés sont dans details') },
    },
  },
  '/api/cotation/demande': {
    post: {
      summary:
        'Note d’une demande (par NUR) et son explication ligne par ligne. Donnée d’un ménage : restreinte au périmètre du compte ' +
        '(tout le territoire, les demandes qui souhaitent la commune, les locataires du bailleur ; aucune pour un réservataire), consultation journalisée',
      tags: ['Cotation'],
      ...acces('menages'),
      requestBody: corpsGrille({ nur: { type: 'string' } }, ['nur']),
      responses: {
        200: json({ type: 'object' }),
        404: error('Demande introuvable, inactive à la date ou hors du périmètre'),
        422: error('Grille invalide : les problèmes localisés sont dans details'),
        ...REFUS,
      },
    },
  },
};

function corpsGrille(extra: Json = {}, requis: string[] = []): Json {
  return {
    required: true,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          properties: {
            grille: { type: 'string', description: 'Texte YAML ou JSON de la grille' },
            fichier: { type: 'string', description: 'Nom du fichier, repris dans les messages' },
            date: { type: 'string', description: 'Date de référence AAAA-MM-JJ (par défaut, celle des données)' },
            ...extra,
          },
          required: ['grille', ...requis],
        },
      },
    },
  };
}

const nullable = (type: string): Json => ({ type: [type, 'null'] });

function components(): Json {
  return {
    schemas: {
      Erreur: { type: 'object', properties: { erreur: { type: 'string' }, message: { type: 'string' }, details: {} }, required: ['erreur', 'message'] },
      Colonne: {
        type: 'object',
        properties: { cle: { type: 'string' }, libelle: { type: 'string' }, type: { enum: ['texte', 'entier', 'nombre', 'taux', 'date', 'booleen'] } },
        required: ['cle', 'libelle', 'type'],
      },
      DemandeExport: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ressource: { const: 'attributions' },
          format: { enum: ['csv', 'xlsx'] },
          indicateur: { type: 'string' },
          periode: { type: 'string' },
          perimetre_type: { type: 'string' },
          perimetre_id: nullable('string'),
        },
        required: ['ressource', 'format', 'indicateur', 'periode'],
      },
      TravailExport: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          titre: { type: 'string' },
          format: { enum: ['csv', 'xlsx'] },
          etat: { enum: ['en_attente', 'en_cours', 'pret', 'echec'] },
          lignes_ecrites: { type: 'integer' },
          lignes_total: { type: 'integer' },
          fichier: nullable('string'),
          message: nullable('string'),
        },
      },
      Tableau: {
        type: 'object',
        properties: { titre: { type: 'string' }, colonnes: { type: 'array', items: ref('Colonne') }, lignes: { type: 'array', items: { type: 'object' } } },
        required: ['titre', 'colonnes', 'lignes'],
      },
      LigneIndicateur: {
        type: 'object',
        properties: {
          indicateur: { type: 'string' },
          perimetre_type: { type: 'string' },
          perimetre_id: { type: 'string' },
          perimetre_libelle: { type: 'string' },
          periode: { type: 'string' },
          numerateur: { type: 'integer' },
          denominateur: { type: 'integer' },
          taux: nullable('number'),
          cible: nullable('number'),
          ecart: nullable('number'),
          atteint: nullable('boolean'),
        },
      },
      TableauIndicateurs: {
        allOf: [ref('Tableau'), { type: 'object', properties: { lignes: { type: 'array', items: ref('LigneIndicateur') } } }],
      },
      Declaration: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          libelle: { type: 'string' },
          definition: { type: 'string' },
          base: { enum: ['propositions', 'baux'] },
          numerateur: { type: 'string' },
          denominateur: { type: 'string' },
          source: { type: 'string' },
          perimetres: { type: 'array', items: { type: 'string' } },
        },
      },
      Territoire: {
        type: 'object',
        properties: {
          nom: { type: 'string' },
          code_epci: nullable('string'),
          annees: { type: 'array', items: { type: 'integer' } },
          donnees: { type: 'boolean' },
          perimetres: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, libelle: { type: 'string' } } } } },
        },
      },
      Probleme: {
        type: 'object',
        properties: {
          severite: { enum: ['erreur', 'avertissement'] },
          fichier: { type: 'string' },
          ligne: nullable('integer'),
          colonne: nullable('string'),
          valeur: nullable('string'),
          message: { type: 'string' },
        },
      },
      RapportImport: {
        type: 'object',
        properties: {
          statut: { enum: ['reussi', 'echoue'] },
          date: { type: 'string' },
          fichiers: { type: 'array', items: { type: 'object' } },
          erreurs: { type: 'array', items: ref('Probleme') },
          avertissements: { type: 'array', items: ref('Probleme') },
          erreursNonListees: { type: 'integer' },
          configuration: { enum: ['importee', 'inchangee'] },
          importId: nullable('integer'),
        },
      },
      CiaConfig: z.toJSONSchema(ciaConfigSchema, { io: 'input', unrepresentable: 'any' }),
      Configuration: {
        type: 'object',
        properties: {
          version: { type: 'integer', description: '0 : aucun paramètre enregistré, valeurs par défaut' },
          date_modification: nullable('string'),
          auteur: nullable('string'),
          origine: nullable('string'),
          contenu: ref('CiaConfig'),
        },
      },
      Seuil: {
        type: 'object',
        properties: { annee: { type: 'integer' }, code_epci: nullable('string'), seuil_q1: { type: 'number' }, source: nullable('string') },
        required: ['annee', 'seuil_q1'],
      },
      Session: {
        type: 'object',
        properties: {
          mode: { enum: ['demonstration', 'production'] },
          utilisateur: {
            type: 'object',
            properties: {
              email: nullable('string'),
              nom: { type: 'string' },
              role: { enum: [...ROLES] },
              role_libelle: { type: 'string' },
              perimetre: nullable('string'),
              perimetre_libelle: nullable('string'),
            },
          },
          droits: { type: 'object', additionalProperties: { type: 'boolean' } },
          csrf: { type: 'string', description: 'À renvoyer dans l’en-tête x-mixite-csrf de chaque requête qui modifie' },
          expiration: nullable('string'),
        },
      },
      ProblemeGrille: {
        type: 'object',
        properties: { fichier: { type: 'string' }, ligne: nullable('integer'), colonne: nullable('integer'), chemin: { type: 'string' }, message: { type: 'string' } },
      },
      Sante: {
        type: 'object',
        properties: { statut: { const: 'ok' }, mode: { enum: ['demonstration', 'production'] } },
      },
    },
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'mixite_session', description: 'Cookie de session posé par POST /api/session' },
      csrf: { type: 'apiKey', in: 'header', name: 'x-mixite-csrf', description: 'Jeton rendu par la session, exigé sur POST, PUT et DELETE' },
    },
  };
}

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mixité — API',
      version: '0.1.0',
      description:
        'API de l’application Mixité : indicateurs de la Convention Intercommunale d’Attribution, import des données, paramètres. ' +
        'Les messages sont en français. Les tableaux ont la forme { titre, colonnes, lignes } ; POST /api/export rend un tableau agrégé en CSV ou XLSX, ' +
        'POST /api/exports une liste de ménages lue sur le serveur. ' +
        'Chaque opération indique l’accès requis (x-mixite-acces) : ' +
        ACCES.map((a) => (a === 'public' ? 'public (sans session)' : `${a} (${ROLES_AUTORISES[a].join(', ')})`)).join(' ; ') +
        '. En mode démonstration, un visiteur sans session agit comme administrateur.',
    },
    servers: [{ url: '/' }],
    security: [{ session: [] }],
    paths: OPERATIONS,
    components: components(),
  };
}

/** Method and path of every documented operation, e.g. `GET /api/indicateurs` (for the route test). */
export function documentedOperations(): string[] {
  return Object.entries(OPERATIONS).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}

/** The operations open without a session (`x-mixite-acces: public`), as `METHOD /path`: read by the authentication middleware. */
export function publicOperations(): Set<string> {
  return new Set(
    Object.entries(OPERATIONS).flatMap(([path, methods]) =>
      Object.entries(methods)
        .filter(([, op]) => (op as { 'x-mixite-acces'?: string })['x-mixite-acces'] === 'public')
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    ),
  );
}
