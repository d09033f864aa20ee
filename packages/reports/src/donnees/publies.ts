import type { LegalIndicatorId, PerimeterType, PublishedIndicatorRow, TypeContingent } from '@mixite/core';
import { LIBELLES_TYPE_CONTINGENT, NON_RESERVE, bailleurDuNonReserve, isTypeContingent } from '@mixite/core';
import type { BilanDonnees, Referentiel } from './collecte.ts';

/**
 * Reading the published indicator rows of each year: the bilan prints only these (masked) values, so that the
 * Word, PDF and Excel outputs, the charts and the points of attention never show what the secrecy hid.
 */
export class Publies {
  private readonly index = new Map<string, PublishedIndicatorRow>();
  private readonly parPerimetre = new Map<string, { type: PerimeterType; id: string }[]>();

  constructor(readonly donnees: BilanDonnees) {
    for (const { annee, publies } of donnees.parAnnee.values()) {
      for (const r of publies) {
        this.index.set(cle(r.indicateur, r.perimetre_type, r.perimetre_id, r.periode), r);
        if (r.periode !== String(annee)) continue;
        const k = `${annee}\u0000${r.indicateur}\u0000${r.perimetre_type}`;
        const list = this.parPerimetre.get(k) ?? [];
        list.push({ type: r.perimetre_type, id: r.perimetre_id });
        this.parPerimetre.set(k, list);
      }
    }
  }

  /** The published row, or null when the engine emitted none (nothing counted in the window). */
  ligne(indicateur: LegalIndicatorId, type: PerimeterType, id: string, periode: string): PublishedIndicatorRow | null {
    return this.index.get(cle(indicateur, type, id, periode)) ?? null;
  }

  /** The perimeters of a type that have rows for the indicator in the year, in the engine's order. */
  perimetres(annee: number, indicateur: LegalIndicatorId, type: PerimeterType): readonly string[] {
    return (this.parPerimetre.get(`${annee}\u0000${indicateur}\u0000${type}`) ?? []).map((p) => p.id);
  }
}

const cle = (i: string, t: string, id: string, p: string) => `${i}\u0000${t}\u0000${id}\u0000${p}`;

/** The type of a contingent: `non_reserve` for a bailleur's own stock, else the réservataire's type. */
export function typeDuContingent(ref: Referentiel, id: string): TypeContingent | null {
  if (bailleurDuNonReserve(id) !== null) return NON_RESERVE;
  return ref.reservataires.get(id)?.type ?? null;
}

/** The French name of a perimeter, as the tables print it. */
export function libellePerimetre(ref: Referentiel, type: PerimeterType, id: string): string {
  switch (type) {
    case 'territoire':
      return 'Ensemble du territoire';
    case 'commune': {
      const nom = ref.communes.get(id);
      return nom ? `${nom} (${id})` : id;
    }
    case 'qpv': {
      const q = ref.qpv.get(id);
      if (!q) return id;
      return `${q.nom} (${id})${q.assimile ? ', secteur assimilé' : ''}`;
    }
    case 'bailleur':
      return ref.bailleurs.get(id) ?? id;
    case 'contingent': {
      const bailleur = bailleurDuNonReserve(id);
      if (bailleur !== null) return `Non réservé, ${ref.bailleurs.get(bailleur) ?? bailleur}`;
      return ref.reservataires.get(id)?.nom ?? id;
    }
    case 'type_contingent':
      return isTypeContingent(id) ? LIBELLES_TYPE_CONTINGENT[id] : id;
  }
}
