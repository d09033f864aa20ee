import { ciaConfigSchema } from '@mixite/core';
import { z } from 'zod';

/**
 * The OpenAPI document of /api, written by hand beside the routes. A test lists the routes the app declares
 * and fails when one is missing here (or documented but gone), so the two cannot drift. The CIA configuration's
 * schema is generated from the zod schema that validates it.
 */

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json, description = 'Succès'): Json => ({ description, content: { 'application/json': { schema } } });
const error = (description: string): Json => json(ref('Erreur'), description);
const q = (name: string, description: string, required = false, schema: Json = { type: 'string' }): Json => ({ name, in: 'query', required, description, schema });
const p = (name: string, description: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

const ANNEE = q('annee', 'Année civile (ex. 2024) ; ignorée quand « periode » est donnée', false, { type: 'integer' });
const PERIODE = q('periode', 'Période : 2024, 2024-S1, 2024-S2, 12m-2024-06-30 ou 12m-2024-12-31');
const PERIMETRE_TYPE = q('perimetre_type', 'territoire, commune, qpv, bailleur, contingent, type_contingent (ou non_reserve)');
const PERIMETRE_ID = q('perimetre_id', 'Identifiant du périmètre (code INSEE, code QPV, id du bailleur ou du réservataire, non_reserve:<bailleur>)');
const INDICATEUR = q('indicateur', 'Identifiant d’un indicateur légal (hors_qpv_q1, qpv_hors_q1, qpv_q3_q4, prioritaires, mutations, travailleurs_essentiels)');

const OPERATIONS: Record<string, Record<string, Json>> = {
  '/api/openapi.json': {
    get: { summary: 'Ce document', tags: ['API'], responses: { 200: json({ type: 'object' }) } },
  },
  '/api/territoire': {
    get: { summary: 'Le territoire : nom, années disponibles, libellés des périmètres', tags: ['Indicateurs'], responses: { 200: json(ref('Territoire')) } },
  },
  '/api/declarations': {
    get: {
      summary: 'Déclarations des indicateurs (libellé, définition, base de comptage, source légale)',
      tags: ['Indicateurs'],
      responses: { 200: json({ type: 'object', properties: { legaux: { type: 'array', items: ref('Declaration') }, demande: { type: 'object' } } }) },
    },
  },
  '/api/indicateurs': {
    get: {
      summary: 'Indicateurs légaux d’une année ou d’une période, par type de périmètre (format long d’indicateurs.csv)',
      tags: ['Indicateurs'],
      parameters: [ANNEE, PERIODE, PERIMETRE_TYPE, PERIMETRE_ID, INDICATEUR],
      responses: { 200: json(ref('TableauIndicateurs')), 400: error('Paramètre invalide'), 404: error('Indicateur inconnu') },
    },
  },
  '/api/indicateurs/tendance': {
    get: {
      summary: 'Évolution annuelle des indicateurs sur les années disponibles',
      tags: ['Indicateurs'],
      parameters: [PERIMETRE_TYPE, PERIMETRE_ID, INDICATEUR],
      responses: { 200: json(ref('TableauIndicateurs')) },
    },
  },
  '/api/objectifs/{indicateur}/attributions': {
    get: {
      summary: 'Attributions derrière une ligne d’indicateur : le dénominateur, chacune marquée si elle compte au numérateur',
      tags: ['Indicateurs'],
      parameters: [
        p('indicateur', 'Identifiant de l’indicateur légal'),
        { ...PERIODE, required: true },
        PERIMETRE_TYPE,
        PERIMETRE_ID,
        q('limite', 'Nombre maximal de lignes rendues (5 000 par défaut, 50 000 au plus) ; total et total_numerateur les comptent toutes', false, { type: 'integer' }),
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
      parameters: [ANNEE, PERIODE],
      responses: { 200: json({ type: 'object' }), 400: error('Paramètre invalide') },
    },
  },
  '/api/imports': {
    get: { summary: 'Historique des imports réussis', tags: ['Données'], responses: { 200: json(ref('Tableau')) } },
  },
  '/api/imports/{id}': {
    get: {
      summary: 'Rapport d’un import',
      tags: ['Données'],
      parameters: [p('id', 'Numéro de l’import')],
      responses: { 200: json(ref('RapportImport')), 404: error('Import introuvable') },
    },
  },
  '/api/televersements': {
    post: {
      summary: 'Dépose des fichiers et les vérifie sans rien écrire (simulation) ; renvoie le rapport et, s’il est sans erreur, un jeton de confirmation',
      tags: ['Données'],
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
      },
    },
  },
  '/api/televersements/{jeton}/confirmation': {
    post: {
      summary: 'Importe les fichiers vérifiés sous ce jeton (tout ou rien)',
      tags: ['Données'],
      parameters: [p('jeton', 'Jeton rendu par la vérification')],
      responses: { 200: json(ref('RapportImport')), 404: error('Jeton inconnu ou expiré'), 422: json(ref('RapportImport'), 'Import refusé : la base est inchangée') },
    },
  },
  '/api/televersements/{jeton}': {
    delete: {
      summary: 'Abandonne un téléversement vérifié',
      tags: ['Données'],
      parameters: [p('jeton', 'Jeton rendu par la vérification')],
      responses: { 204: { description: 'Abandonné' }, 404: error('Jeton inconnu ou expiré') },
    },
  },
  '/api/configuration': {
    get: { summary: 'Paramètres en vigueur de la CIA (dernière version)', tags: ['Paramètres'], responses: { 200: json(ref('Configuration')) } },
    put: {
      summary: 'Enregistre de nouveaux paramètres (nouvelle version datée et signée)',
      tags: ['Paramètres'],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { contenu: ref('CiaConfig') }, required: ['contenu'] } } } },
      responses: { 200: json(ref('Configuration')), 400: error('JSON illisible'), 422: error('Paramètres refusés : details liste les champs en cause') },
    },
  },
  '/api/configuration/versions': {
    get: { summary: 'Historique des versions des paramètres (date, auteur, origine)', tags: ['Paramètres'], responses: { 200: json(ref('Tableau')) } },
  },
  '/api/seuils': {
    get: { summary: 'Seuils du premier quartile par année (arrêtés)', tags: ['Paramètres'], responses: { 200: json(ref('Tableau')) } },
    put: {
      summary: 'Remplace les seuils du premier quartile (tracé dans l’historique des paramètres)',
      tags: ['Paramètres'],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', properties: { seuils: { type: 'array', items: ref('Seuil') } }, required: ['seuils'] } } },
      },
      responses: { 200: json(ref('Tableau')), 422: error('Seuils refusés') },
    },
  },
  '/api/export': {
    post: {
      summary: 'Transforme le tableau affiché en fichier CSV (séparateur ;, virgule décimale, UTF-8 avec BOM) ou XLSX',
      tags: ['Export'],
      parameters: [q('format', 'csv ou xlsx', true)],
      requestBody: { required: true, content: { 'application/json': { schema: ref('Tableau') } } },
      responses: {
        200: {
          description: 'Le fichier',
          content: { 'text/csv': { schema: { type: 'string' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } },
        },
        400: error('Format inconnu'),
        422: error('Tableau illisible'),
      },
    },
  },
};

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
        'Les messages sont en français. Les tableaux ont la forme { titre, colonnes, lignes } ; POST /api/export les rend en CSV ou XLSX.',
    },
    servers: [{ url: '/' }],
    paths: OPERATIONS,
    components: components(),
  };
}

/** Method and path of every documented operation, e.g. `GET /api/indicateurs` (for the route test). */
export function documentedOperations(): string[] {
  return Object.entries(OPERATIONS).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
}
