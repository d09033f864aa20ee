import { formatDecimal } from '../format/francais.ts';
import { intituleDeLaCible } from '../indicators/declarations.ts';
import { LIBELLES_PERIMETRE_TYPE } from '../indicators/perimeters.ts';
import type { CiaConfig } from './cia-config.ts';

/**
 * What changed between two versions of the CIA settings, field by field, in French: « Objectif « … » : 25 % → 30 % ».
 * The settings history (GET /api/configuration/versions) and the audit log show it, so that a reader sees what a
 * version changed, not only who saved it. Every stored version holds the whole configuration: the difference is
 * computed from two of them, nothing else is stored.
 */
export interface Modification {
  readonly champ: string;
  readonly avant: string;
  readonly apres: string;
}

const AUCUN = 'aucun';
const oui = (b: boolean) => (b ? 'oui' : 'non');
/** A share as the settings screen types it: 0.81 → « 81 % » (no floating-point tail: 81,00000000000001). */
const part = (x: number | null | undefined) => (x === null || x === undefined ? 'aucun objectif' : `${formatDecimal(Number((x * 100).toPrecision(12)))}\u00a0%`);
const nombre = (x: number | null | undefined) => (x === null || x === undefined ? AUCUN : formatDecimal(x));
const texte = (x: unknown) => (x === null || x === undefined ? AUCUN : typeof x === 'string' ? x : JSON.stringify(x).slice(0, 200));

const LIBELLES_UC: Record<keyof CiaConfig['uc'], string> = {
  premiere_personne: 'UC : première personne',
  autre_14_ans_et_plus: 'UC : autre personne de 14 ans ou plus',
  moins_14_ans: 'UC : enfant de moins de 14 ans',
};

/** The keys compared one by one below; any other key (added by another part of the settings) is compared whole. */
const DETAILLEES = new Set(['code_epci', 'cibles', 'cibles_par_perimetre', 'assimiles_comme_qpv', 'uc', 'secret_statistique', 'effectif_minimum', 'compter_faibles_effectifs']);

export function modificationsDeConfiguration(avant: CiaConfig, apres: CiaConfig): Modification[] {
  const out: Modification[] = [];
  const si = (champ: string, a: string, b: string) => {
    if (a !== b) out.push({ champ, avant: a, apres: b });
  };
  si('SIREN de l’EPCI', texte(avant.code_epci), texte(apres.code_epci));
  for (const cle of new Set([...Object.keys(avant.cibles), ...Object.keys(apres.cibles)])) {
    const a = (avant.cibles as Record<string, number | null>)[cle];
    const b = (apres.cibles as Record<string, number | null>)[cle];
    si(`Objectif « ${intituleDeLaCible(cle)} »`, part(a), part(b));
  }
  const parPerimetre = (c: CiaConfig) => new Map(c.cibles_par_perimetre.map((o) => [`${o.indicateur}\u0000${o.perimetre_type}\u0000${o.perimetre_id}`, o]));
  const pa = parPerimetre(avant);
  const pb = parPerimetre(apres);
  for (const cle of new Set([...pa.keys(), ...pb.keys()])) {
    const o = (pa.get(cle) ?? pb.get(cle)) as CiaConfig['cibles_par_perimetre'][number];
    const ou = `${LIBELLES_PERIMETRE_TYPE[o.perimetre_type].toLowerCase()} ${o.perimetre_id}`;
    const valeur = (x: CiaConfig['cibles_par_perimetre'][number] | undefined) => (x ? part(x.cible) : 'objectif général');
    si(`Objectif « ${intituleDeLaCible(o.indicateur)} », ${ou}`, valeur(pa.get(cle)), valeur(pb.get(cle)));
  }
  si('Secteurs assimilés comptés comme QPV', oui(avant.assimiles_comme_qpv), oui(apres.assimiles_comme_qpv));
  for (const k of Object.keys(LIBELLES_UC) as (keyof CiaConfig['uc'])[]) si(LIBELLES_UC[k], nombre(avant.uc[k]), nombre(apres.uc[k]));
  si('Seuil du secret statistique', nombre(avant.secret_statistique), nombre(apres.secret_statistique));
  si('Effectif minimum d’un taux jugé', nombre(avant.effectif_minimum), nombre(apres.effectif_minimum));
  si('Faibles effectifs comptés dans les synthèses', oui(avant.compter_faibles_effectifs), oui(apres.compter_faibles_effectifs));
  const a = avant as unknown as Record<string, unknown>;
  const b = apres as unknown as Record<string, unknown>;
  for (const cle of [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !DETAILLEES.has(k)).sort()) {
    si(cle, texte(a[cle]), texte(b[cle]));
  }
  return out;
}

/** « Objectif « … » : 25 % → 30 % ». */
export const texteModification = (m: Modification): string => `${m.champ} : ${m.avant} → ${m.apres}`;
