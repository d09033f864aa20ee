import type { PeriodesDuSuivi, TypeContingent } from '@mixite/core';
import { LEGAL_DECLARATIONS, contingentNonReserve, periodesDuSuivi, statutDeLaLigne } from '@mixite/core';
import type { Espace, LigneIndicateur, TypePartenaire } from '@mixite/contract';
import { BadRequestError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { ReadWriteLock } from '../http/lock.ts';
import type { Viewer } from '../http/viewer.ts';
import type { EspaceRepository } from '../repositories/espace-repository.ts';
import type { IndicateursService } from './indicateurs-service.ts';

/**
 * « Mon espace » (issue 12, item 5): one partner's figures on every target — the periods of the year, the trend
 * over the years, its rank among its peers, the households missing. A bailleur, réservataire or commune account
 * reads its own only (another partner is a 403, as the household-level rows are: the figures are shared with the
 * CIL, but the page is the partner's); the EPCI, the State and the administrator read any partner they pick. The
 * figures are the indicator service's, as the viewer reads them elsewhere (the role `lecteur` never gets here).
 */

export interface PartenaireDemande {
  readonly type: TypePartenaire;
  readonly id: string;
}

/**
 * The partner a request is about: the account's own, or, for the roles that see the whole territory, the one picked
 * (null until they pick one: they have no page of their own).
 */
export function partenaireDemande(viewer: Viewer, type: string | undefined, id: string | undefined): PartenaireDemande | null {
  if ((type === undefined) !== (id === undefined)) throw new BadRequestError('paramètres « perimetre_type » et « perimetre_id » : les deux ou aucun');
  const portee = viewer.portee;
  if (portee.kind === 'territoire') {
    return type === undefined || id === undefined ? null : { type: type as TypePartenaire, id };
  }
  if (portee.kind === 'aucune') throw new ForbiddenError('ce compte n’a pas de page de partenaire');
  const propre: PartenaireDemande = portee.kind === 'bailleur' ? { type: 'bailleur', id: portee.id } : portee.kind === 'reservataire' ? { type: 'contingent', id: portee.id } : { type: 'commune', id: portee.id };
  if (type !== undefined && (type !== propre.type || id !== propre.id)) throw new ForbiddenError('un partenaire ne consulte que sa propre page');
  return propre;
}

/** The perimeters of a partner's page: a bailleur's stock and its non-reserved contingent (where the priority target is judged). */
export function perimetresDuPartenaire(p: PartenaireDemande): PartenaireDemande[] {
  return p.type === 'bailleur' ? [p, { type: 'contingent', id: contingentNonReserve(p.id) }] : [p];
}

/** Rank of a rate among its peers' (1 for the best; equal rates share a rank); null without a rate. */
export function rangParmi(taux: number | null, pairs: readonly (number | null)[]): { position: number; sur: number } | null {
  if (taux === null) return null;
  const classes = pairs.filter((t): t is number => t !== null);
  return { position: 1 + classes.filter((t) => t > taux).length, sur: classes.length };
}

export class EspaceService {
  constructor(
    private readonly indicateurs: IndicateursService,
    private readonly repository: EspaceRepository,
    private readonly lock: ReadWriteLock,
  ) {}

  async espace(viewer: Viewer, requete: { annee?: string | undefined; perimetre_type?: string | undefined; perimetre_id?: string | undefined }): Promise<Espace> {
    const partenaire = partenaireDemande(viewer, requete.perimetre_type, requete.perimetre_id);
    const [territoire, annees] = await Promise.all([this.indicateurs.territoireDe(viewer), this.indicateurs.years(viewer)]);
    const libelle = (type: string, id: string) => territoire.perimetres[type]?.find((p) => p.id === id)?.libelle ?? null;
    const nom = partenaire ? libelle(partenaire.type, partenaire.id) : null;
    if (partenaire && nom === null) throw new NotFoundError(`partenaire inconnu : ${partenaire.type} « ${partenaire.id} »`);
    const annee = requete.annee ? Number(requete.annee) : annees.at(-1);
    if (annee === undefined) throw new NotFoundError('aucune attribution dans la base : importez les données du territoire');
    if (!annees.includes(annee)) throw new NotFoundError(`aucune attribution en ${annee} (années disponibles : ${annees.join(', ')})`);
    const [duTerritoire, types] = await Promise.all([this.indicateurs.rows(viewer, { annee, perimetre_type: 'territoire' }), this.lock.read(() => this.repository.typesContingent())]);
    const periodes = periodesDuSuivi(annee, duTerritoire);
    const perimetres = [];
    for (const p of partenaire ? perimetresDuPartenaire(partenaire) : []) {
      const [duType, tendance] = await Promise.all([
        this.indicateurs.rows(viewer, { annee, perimetre_type: p.type }),
        this.indicateurs.trend(viewer, { perimetre_type: p.type, perimetre_id: p.id }),
      ]);
      perimetres.push({
        perimetre_type: p.type,
        perimetre_id: p.id,
        perimetre_libelle: libelle(p.type, p.id) ?? p.id,
        objectifs: LEGAL_DECLARATIONS.map((d) => objectif(d.id, d.libelle, p, duType, tendance, periodes, types)),
      });
    }
    return { annee, annees, semestre: periodes.semestre, glissant: periodes.glissant, partenaire: partenaire && nom !== null ? { type: partenaire.type, id: partenaire.id, libelle: nom } : null, perimetres };
  }
}

function objectif(
  indicateur: (typeof LEGAL_DECLARATIONS)[number]['id'],
  libelle: string,
  p: PartenaireDemande,
  duType: readonly LigneIndicateur[],
  tendance: readonly LigneIndicateur[],
  periodes: PeriodesDuSuivi,
  types: ReadonlyMap<string, TypeContingent>,
) {
  const lignes = duType.filter((r) => r.indicateur === indicateur && r.perimetre_id === p.id);
  const deLAnnee = lignes.find((r) => r.periode === periodes.annee);
  // Peers: the same perimeter type; a contingent among those of its type (a réservataire's 25 % is not the State's 100 %).
  const type = p.type === 'contingent' ? (types.get(p.id) ?? null) : null;
  const pairs = duType.filter(
    (r) => r.indicateur === indicateur && r.periode === periodes.annee && (r.denominateur ?? 0) > 0 && (p.type !== 'contingent' || (types.get(r.perimetre_id) ?? null) === type),
  );
  const manquants = (r: LigneIndicateur | undefined) => {
    const s = statutDeLaLigne(r);
    return s.kind === 'non_atteint' ? s.manquants : s.kind === 'atteint' ? 0 : null;
  };
  return {
    indicateur,
    libelle,
    lignes,
    tendance: tendance.filter((r) => r.indicateur === indicateur),
    rang: deLAnnee && (deLAnnee.denominateur ?? 0) > 0 ? rangParmi(deLAnnee.taux, pairs.map((r) => r.taux)) : null,
    manquants: manquants(deLAnnee),
    manquants_semestre: manquants(lignes.find((r) => r.periode === periodes.semestre)),
  };
}
