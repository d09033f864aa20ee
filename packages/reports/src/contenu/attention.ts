import type { LegalIndicatorDeclaration, PerimeterType, PublishedIndicatorRow } from '@mixite/core';
import { LIBELLES_MODALITE, MODALITES_TYPOLOGIE } from '@mixite/core';
import { libellePerimetre } from '../donnees/publies.ts';
import { cles } from './comptes.ts';
import { retardsDuBilan } from './retards.ts';
import type { Contexte } from './contexte.ts';
import { dimensionsDe, territoire } from './contexte.ts';
import { formatEntier, formatEuros, formatPoints, formatRatio, formatTaux, formatVariation, formaterTauxContreCible, pluriel } from './format.ts';
import type { NiveauAttention } from './modele.ts';
import { LIBELLES_DIMENSION, perimetresTries } from './sections/objectifs.ts';

/**
 * Points of attention, written from the figures: which targets are missed, by whom and by how much, and what
 * changed since the year before. Only published values are read (a masked cell is never described, only
 * counted as masked), so the synthesis says nothing the tables hide.
 */

export interface PointAttention {
  readonly niveau: NiveauAttention;
  /** What the point is about (a target's short title, the Q1 threshold, the demand, the data checks): the first column of its table. */
  readonly objet: string;
  readonly texte: string;
}

/** A point as the sections below write it, before its subject is set. */
type Constat = Omit<PointAttention, 'objet'>;
const sur = (objet: string, points: readonly Constat[]): PointAttention[] => points.map((p) => ({ ...p, objet }));

const ORDRE: Record<NiveauAttention, number> = { alerte: 0, vigilance: 1, information: 2 };
/** How many perimeters a point names before referring to the table. */
const CITES_MAX = 5;
/** A change of the territory's rate worth a line, in points. */
const VARIATION_NOTABLE = 0.05;

export function pointsAttention(ctx: Contexte): PointAttention[] {
  const points: PointAttention[] = [];
  for (const decl of ctx.declarations) points.push(...sur(decl.courts.titre, [...objectifDuTerritoire(ctx, decl), ...objectifParPerimetre(ctx, decl)]));
  points.push(...sur('Seuil du 1er quartile', seuil(ctx)), ...sur('Demande', demande(ctx)), ...sur('Contrôles des données', controles(ctx)));
  return points.map((p, i) => ({ p, i })).sort((a, b) => ORDRE[a.p.niveau] - ORDRE[b.p.niveau] || a.i - b.i).map((x) => x.p);
}

const publie = (row: PublishedIndicatorRow | null): row is PublishedIndicatorRow & { taux: number; numerateur: number; denominateur: number } =>
  row !== null && row.denominateur !== null && row.denominateur > 0 && row.taux !== null && row.numerateur !== null;

/** Rate, target and gap with the decimals that agree with « atteint » (never « 81,0 % pour une cible de 81,0 % »). */
const contre = (row: PublishedIndicatorRow): ReturnType<typeof formaterTauxContreCible> => formaterTauxContreCible(row.numerateur, row.denominateur, row.cible, row.taux);

function chiffres(row: PublishedIndicatorRow & { numerateur: number; denominateur: number }): string {
  return `${formatEntier(row.numerateur)} sur ${formatEntier(row.denominateur)}`;
}

function objectifDuTerritoire(ctx: Contexte, decl: LegalIndicatorDeclaration): Constat[] {
  const n = ctx.donnees.annee;
  const { id } = decl;
  const row = territoire(ctx, id, String(n));
  const avant = territoire(ctx, id, String(n - 1));
  const out: Constat[] = [];
  const tendance = publie(row) && publie(avant) ? ` En ${n - 1} : ${formatTaux(avant.taux)} (${formatPoints(row.taux - avant.taux)} en un an).` : '';
  if (row?.cible !== null && row?.cible !== undefined) {
    if (!publie(row)) {
      if (row.denominateur !== 0) out.push({ niveau: 'information', texte: `${decl.libelle} : le taux ${n} du territoire est couvert par le secret statistique.` });
    } else if (row.atteint === false) {
      out.push({
        niveau: 'alerte',
        texte: `${decl.libelle} : ${contre(row).taux} en ${n} pour une cible de ${contre(row).cible}, soit ${contre(row).ecart} (${chiffres(row)}).${tendance}`,
      });
    } else {
      out.push({ niveau: 'information', texte: `${decl.libelle} : objectif atteint en ${n}, ${contre(row).taux} pour une cible de ${contre(row).cible} (${chiffres(row)}).${tendance}` });
    }
    // The semesters: where the declaration says so (the hors-QPV target), a shortfall over six months opens the
    // préfet's substitution (3DS law).
    const s2 = territoire(ctx, id, `${n}-S2`);
    const s1 = territoire(ctx, id, `${n}-S1`);
    for (const [s, nom] of [
      [s1, 'premier semestre'],
      [s2, 'second semestre'],
    ] as const) {
      if (!publie(s) || s.atteint !== false || s.cible === null) continue;
      out.push(
        decl.presentation.substitutionSemestrielle
          ? {
              niveau: 'alerte',
              texte:
                `${decl.libelle} : ${contre(s).taux} au ${nom} ${n} pour ${contre(s).cible} (${chiffres(s)}). Un déficit sur six mois permet au ` +
                'préfet de procéder aux attributions jusqu’à ce que le flux des douze mois précédents atteigne l’objectif (art. L441-1 du CCH, loi 3DS).',
            }
          : { niveau: 'vigilance', texte: `${decl.libelle} : ${contre(s).taux} au ${nom} ${n}, sous la cible de ${contre(s).cible} (${chiffres(s)}).` },
      );
    }
  } else if (publie(row) && publie(avant) && Math.abs(row.taux - avant.taux) >= VARIATION_NOTABLE) {
    out.push({ niveau: 'vigilance', texte: `${decl.libelle} (sans cible sur le territoire) : ${formatTaux(row.taux)} en ${n} contre ${formatTaux(avant.taux)} en ${n - 1}.` });
  }
  if (row?.cible !== null && row?.cible !== undefined && publie(row) && publie(avant) && Math.abs(row.taux - avant.taux) >= VARIATION_NOTABLE && row.atteint !== false) {
    out.push({ niveau: 'vigilance', texte: `${decl.libelle} : variation de ${formatPoints(row.taux - avant.taux)} en un an (${formatTaux(avant.taux)} en ${n - 1}).` });
  }
  return out;
}

/** For each dimension where the indicator has targets: who misses them, by how much, and who changed side since N−1. */
function objectifParPerimetre(ctx: Contexte, decl: LegalIndicatorDeclaration): Constat[] {
  const n = ctx.donnees.annee;
  const ref = ctx.donnees.referentiel;
  const { id, courts: court } = decl;
  const out: Constat[] = [];
  const retards = retardsDuBilan(ctx);
  // A target judged per contingent (the priority target) has points naming contingents; for the other targets
  // the contingent types say « by whom » and the detail of each contingent stays in the tables.
  const parContingent = decl.presentation.jugement === 'contingent';
  const dimensions = dimensionsDe(decl).filter((d) => (parContingent ? d !== 'type_contingent' : d !== 'contingent')) as Exclude<PerimeterType, 'territoire'>[];
  for (const dimension of dimensions) {
    const ids = perimetresTries(ctx, id, dimension);
    const rows = ids.map((p) => ({ p, row: ctx.publies.ligne(id, dimension, p, String(n)), avant: ctx.publies.ligne(id, dimension, p, String(n - 1)) }));
    const avecCible = rows.filter((x) => x.row !== null && x.row.cible !== null && x.row.denominateur !== 0);
    if (avecCible.length === 0) continue;
    const manques = avecCible.filter((x) => publie(x.row) && x.row.atteint === false).sort((a, b) => (a.row?.ecart ?? 0) - (b.row?.ecart ?? 0));
    const secrets = avecCible.filter((x) => x.row?.atteint === null).length;
    const libelle = LIBELLES_DIMENSION[dimension];
    // Where the law sets the target (the priority target per contingent), a missed one is a missed legal target;
    // elsewhere the default target applied to a commune or a bailleur is a reading aid, unless the CIA territorialised it.
    const legal = decl.perimetresLegaux.includes(dimension) || ctx.donnees.configuration.cibles_par_perimetre.some((o) => o.indicateur === id && o.perimetre_type === dimension);
    // Where the lagging list names the partners behind (a short table above), the point only counts them, as the
    // dashboard does (perimeter counts, the same in every edition); elsewhere (contingent types) it names them.
    const liste = retards?.comptes.find((l) => l.indicateur === id && l.perimetre_type === dimension);
    if (liste) {
      const k = liste.en_retard;
      if (k > 0) {
        out.push({
          niveau: legal ? 'alerte' : 'vigilance',
          texte:
            `${court.titre}, ${libelle.titre.toLowerCase()} : ${formatEntier(k)} ${k > 1 ? libelle.pluriel : libelle.singulier} sur ${formatEntier(liste.juges)} ` +
            `${k > 1 ? 'sous leur cible' : 'sous sa cible'} en ${n} (voir le tableau des partenaires sous leur cible).`,
        });
      }
    } else if (manques.length > 0) {
      const cites = manques.slice(0, CITES_MAX).map((x) => {
        const row = x.row as PublishedIndicatorRow & { taux: number; numerateur: number; denominateur: number };
        const c = contre(row);
        return `${libellePerimetre(ref, dimension, x.p)} ${c.taux} pour ${c.cible} (${c.ecart}, ${chiffres(row)})`;
      });
      const autres = manques.length - CITES_MAX;
      const reste = autres > 0 ? ` ; et ${pluriel(autres, 'autre')} (voir le tableau ${libelle.titre.toLowerCase()})` : '';
      const k = manques.length;
      out.push({
        niveau: legal ? 'alerte' : 'vigilance',
        texte:
          `${court.titre}, ${libelle.titre.toLowerCase()} : ${formatEntier(k)} ${k > 1 ? libelle.pluriel : libelle.singulier} sur ${formatEntier(avecCible.length)} ` +
          `${k > 1 ? 'sous leur cible' : 'sous sa cible'} en ${n} : ${cites.join(' ; ')}${reste}.` +
          `${secrets > 0 ? ` ${pluriel(secrets, 'autre périmètre couvert', 'autres périmètres couverts')} par le secret statistique.` : ''}`,
      });
    }
    const bascules = rows.filter((x) => publie(x.row) && publie(x.avant) && x.avant.atteint === true && x.row.atteint === false);
    const noms = (xs: readonly { p: string }[]) => `${xs.slice(0, CITES_MAX).map((x) => libellePerimetre(ref, dimension, x.p)).join(', ')}${xs.length > CITES_MAX ? '…' : ''}`;
    if (bascules.length > 0) {
      out.push({
        niveau: 'vigilance',
        texte:
          bascules.length > 1
            ? `${court.titre} : ${formatEntier(bascules.length)} ${libelle.pluriel} passent sous leur cible en ${n} (atteinte en ${n - 1}) : ${noms(bascules)}.`
            : `${court.titre} : ${noms(bascules)} passe sous sa cible en ${n} (atteinte en ${n - 1}).`,
      });
    }
    const retours = rows.filter((x) => publie(x.row) && publie(x.avant) && x.avant.atteint === false && x.row.atteint === true);
    if (retours.length > 0) {
      out.push({
        niveau: 'information',
        texte:
          retours.length > 1
            ? `${court.titre} : ${formatEntier(retours.length)} ${libelle.pluriel} atteignent leur cible en ${n} après l’avoir manquée en ${n - 1} : ${noms(retours)}.`
            : `${court.titre} : ${noms(retours)} atteint sa cible en ${n} après l’avoir manquée en ${n - 1}.`,
      });
    }
  }
  return out;
}

function seuil(ctx: Contexte): Constat[] {
  const n = ctx.donnees.annee;
  const limite = ctx.donnees.parAnnee.get(n)?.resultats.limites.find((l) => l.annee === n);
  if (!limite) return [];
  if (limite.origine_seuil === 'absent') return [{ niveau: 'alerte', texte: `Aucun seuil du premier quartile pour ${n}, ni publié ni calculable : aucun ménage n’est compté au premier quartile.` }];
  if (limite.origine_seuil === 'calcule') {
    return [{ niveau: 'alerte', texte: `Pas de seuil publié pour ${n} dans les données : Mixité applique la limite calculée sur la demande au ${limite.date_reference.split('-').reverse().join('/')}, ${formatEuros(limite.seuil_applique ?? 0)} par UC et par an. À remplacer par le seuil de l’arrêté.` }];
  }
  if (limite.seuil_publie === null || limite.q1 === null || limite.q1 === 0) return [];
  const ecart = limite.seuil_publie / limite.q1 - 1;
  return [
    {
      niveau: Math.abs(ecart) >= 0.05 ? 'vigilance' : 'information',
      texte: `Seuil du premier quartile ${n} : ${formatEuros(limite.seuil_publie)} publié, pour une limite de ${formatEuros(limite.q1)} calculée sur la demande du territoire (écart de ${formatVariation(ecart)}).`,
    },
  ];
}

function demande(ctx: Contexte): Constat[] {
  const n = ctx.donnees.annee;
  const c = ctx.comptes;
  const out: Constat[] = [];
  const stock = c.valeur(cles.stock(n));
  const stockAvant = c.has(cles.stock(n - 1)) ? c.valeur(cles.stock(n - 1)) : null;
  if (stock !== null && stockAvant !== null && stockAvant > 0) {
    const v = stock / stockAvant - 1;
    out.push({
      niveau: Math.abs(v) >= 0.1 ? 'vigilance' : 'information',
      texte: `Demande active au 31/12/${n} : ${formatEntier(stock)} demandes, ${v >= 0 ? 'en hausse' : 'en baisse'} de ${formatTaux(Math.abs(v))} sur un an.`,
    });
  }
  const q1Demande = c.valeur(cles.stockQuartile(n, 'q1'));
  const q1Baux = c.valeur(cles.bauxQuartile(n, 'q1'));
  const baux = c.valeur(cles.baux(n));
  if (stock && q1Demande !== null && q1Baux !== null && baux) {
    out.push({
      niveau: 'information',
      texte: `Les ménages du premier quartile font ${formatTaux(q1Demande / stock)} de la demande active au 31/12/${n} et ${formatTaux(q1Baux / baux)} des baux signés en ${n}.`,
    });
  }
  let pire: { t: string; tension: number } | null = null;
  for (const t of MODALITES_TYPOLOGIE) {
    const s = c.valeur(cles.stockTypologie(n, t));
    const b = c.valeur(cles.bauxTypologie(n, t));
    if (t === 'inconnue' || s === null || b === null || b === 0) continue;
    if (!pire || s / b > pire.tension) pire = { t, tension: s / b };
  }
  if (pire && baux && stock) {
    out.push({
      niveau: 'information',
      texte: `Typologie la plus tendue en ${n} : ${LIBELLES_MODALITE[pire.t] ?? pire.t}, ${formatRatio(pire.tension)} demandes pour un bail (ensemble : ${formatRatio(stock / baux)}).`,
    });
  }
  return out;
}

function controles(ctx: Contexte): Constat[] {
  const resultats = ctx.donnees.parAnnee.get(ctx.donnees.annee)?.resultats;
  if (!resultats) return [];
  const { controles: k } = resultats;
  const out: Constat[] = [];
  if (k.q1_desaccords > 0) {
    out.push({ niveau: 'vigilance', texte: `${pluriel(k.q1_desaccords, 'attribution')} de la période portent un indicateur q1 contraire au calcul de Mixité (le calcul est retenu) : à vérifier avec les bailleurs.` });
  }
  if (k.q1_inconnus > 0) {
    out.push({ niveau: 'vigilance', texte: `${pluriel(k.q1_inconnus, 'attribution')} sans ressources ou composition exploitables : leur quartile est inconnu, elles ne comptent pas au premier quartile.` });
  }
  if (k.cibles_inconnues.length > 0) {
    out.push({ niveau: 'vigilance', texte: `La configuration de la CIA nomme des objectifs inconnus (${k.cibles_inconnues.join(', ')}) : ces cibles ne sont pas appliquées.` });
  }
  return out;
}
