import type { CiaConfig } from '@mixite/server/contract';
import type { TargetId } from '@mixite/core';
import { TARGET_IDS } from '@mixite/core';

/**
 * The settings as the form edits them (percentages as typed) and back to the document the server validates.
 * Pure functions: the page and its sections (one component per section, this folder) share them.
 */

/** A share typed as a percentage: '' is "no target". */
export type Pourcentage = number | string;

export interface Brouillon {
  readonly code_epci: string;
  readonly cibles: Record<TargetId, Pourcentage>;
  readonly cibles_par_perimetre: { indicateur: string; perimetre_type: string; perimetre_id: string; cible: Pourcentage }[];
  readonly assimiles_comme_qpv: boolean;
  readonly uc: { premiere_personne: Pourcentage; autre_14_ans_et_plus: Pourcentage; moins_14_ans: Pourcentage };
  readonly secret_statistique: Pourcentage;
  readonly effectif_minimum: Pourcentage;
  readonly compter_faibles_effectifs: boolean;
}

export const versPourcentage = (share: number | null | undefined): Pourcentage => (share === null || share === undefined ? '' : Number((share * 100).toFixed(4)));
export const versPart = (value: Pourcentage): number | null => (value === '' || value === null ? null : Number((Number(value) / 100).toFixed(6)));
export const versNombre = (value: Pourcentage): number => (value === '' ? Number.NaN : Number(value));

export function brouillon(config: CiaConfig): Brouillon {
  return {
    code_epci: config.code_epci ?? '',
    cibles: Object.fromEntries(TARGET_IDS.map((id) => [id, versPourcentage(config.cibles[id])])) as Record<TargetId, Pourcentage>,
    cibles_par_perimetre: config.cibles_par_perimetre.map((o) => ({ ...o, cible: versPourcentage(o.cible) })),
    assimiles_comme_qpv: config.assimiles_comme_qpv,
    uc: { ...config.uc },
    secret_statistique: config.secret_statistique,
    effectif_minimum: config.effectif_minimum,
    compter_faibles_effectifs: config.compter_faibles_effectifs,
  };
}

/** The document sent to the server: the edited fields over the stored configuration (unknown keys kept). */
export function contenu(base: CiaConfig, b: Brouillon): unknown {
  return {
    ...base,
    code_epci: b.code_epci.trim() === '' ? null : b.code_epci.trim(),
    cibles: Object.fromEntries(TARGET_IDS.map((id) => [id, versPart(b.cibles[id])])),
    cibles_par_perimetre: b.cibles_par_perimetre.map((o) => ({ indicateur: o.indicateur, perimetre_type: o.perimetre_type, perimetre_id: o.perimetre_id, cible: versPart(o.cible) })),
    assimiles_comme_qpv: b.assimiles_comme_qpv,
    uc: { premiere_personne: versNombre(b.uc.premiere_personne), autre_14_ans_et_plus: versNombre(b.uc.autre_14_ans_et_plus), moins_14_ans: versNombre(b.uc.moins_14_ans) },
    secret_statistique: versNombre(b.secret_statistique),
    effectif_minimum: versNombre(b.effectif_minimum),
    compter_faibles_effectifs: b.compter_faibles_effectifs,
  };
}

/** The label of a settings path in a refusal (`cibles.hors_qpv_q1` → the target’s title). */
export function libelleChemin(chemin: string, libelleCible: (id: string) => string): string {
  const [racine, cle, sous] = chemin.split('.');
  if (racine === 'cibles' && cle) return `Objectif « ${libelleCible(cle)} »`;
  if (racine === 'cibles_par_perimetre' && cle) return `Objectif par périmètre, ligne ${Number(cle) + 1}${sous ? ` (${sous})` : ''}`;
  if (racine === 'uc') return `Unités de consommation (${cle ?? ''})`;
  if (racine === 'secret_statistique') return 'Seuil du secret statistique';
  if (racine === 'effectif_minimum') return 'Effectif minimum d’un taux jugé';
  if (racine === 'compter_faibles_effectifs') return 'Faibles effectifs dans les synthèses';
  if (racine === 'code_epci') return 'SIREN de l’EPCI';
  return chemin;
}

/** A field's refusal, by settings path (`cibles.hors_qpv_q1`, `cibles_par_perimetre.0.cible`, `effectif_minimum`…). */
export type Erreurs = Readonly<Record<string, string>>;

const entre0et100 = (v: Pourcentage): string | null => {
  if (v === '' || v === null) return null;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? null : `une part entre 0 et 100 % (« ${String(v)} % » refusé, jamais ramené à 100 %)`;
};
const entierAuMoins = (v: Pourcentage, min: number, max: number): string | null => {
  const n = Number(v);
  return v !== '' && Number.isInteger(n) && n >= min && n <= max ? null : `un nombre entier de ${min} à ${max}`;
};

/**
 * The form's own refusals, shown on the field as soon as a value is out of range: the form never clamps a value
 * (150 % stays 150 % on screen, refused), and the server refuses it again with its own message (422) if sent.
 */
export function erreursDuBrouillon(b: Brouillon): Erreurs {
  const erreurs: Record<string, string> = {};
  for (const id of TARGET_IDS) {
    const e = entre0et100(b.cibles[id]);
    if (e) erreurs[`cibles.${id}`] = e;
  }
  b.cibles_par_perimetre.forEach((o, i) => {
    const e = entre0et100(o.cible);
    if (e) erreurs[`cibles_par_perimetre.${i}.cible`] = e;
  });
  const secret = entierAuMoins(b.secret_statistique, 1, 1000);
  if (secret) erreurs.secret_statistique = secret;
  const minimum = entierAuMoins(b.effectif_minimum, 1, 10_000);
  if (minimum) erreurs.effectif_minimum = minimum;
  return erreurs;
}

/** The server's refusals (422 details) by path, over the form's own: the server has the last word. */
export function erreursParChamp(duFormulaire: Erreurs, duServeur: readonly { chemin: string; message: string }[]): Erreurs {
  return { ...duFormulaire, ...Object.fromEntries(duServeur.map((p) => [p.chemin, p.message])) };
}
