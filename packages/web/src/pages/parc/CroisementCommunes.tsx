import { Stack, Text, Title } from '@mantine/core';
import type { Contours, Parc } from '@mixite/contract';
import type { Tableau } from '@mixite/server/contract';
import { TEXTES_PARC, choroplethesCroisement, phraseCroisement, titreCarteCroisement } from '@mixite/graphiques';
import { memo } from 'react';
import { CarteTerritoire } from '../../components/carte/CarteTerritoire.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { Chargement, Erreur } from '../../components/Etat.tsx';
import { formatTaux } from '../../lib/format.ts';
import { ApresLesCartes } from './ApresLesCartes.tsx';

interface LigneCroisement {
  readonly code_insee: string;
  readonly commune: string;
  readonly logements: number;
  readonly abordables: number;
  readonly part_abordables: number | null;
  readonly abordables_non_fragiles_hors_qpv: number;
  readonly part_croisement: number | null;
  readonly baux: number;
  readonly baux_croisement: number;
  readonly part_baux_croisement: number | null;
}

const part = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/**
 * The crossing that matters, by commune (issue 14, item 2): the dwellings a first-quartile household can afford after
 * APL (central hypothesis), those of them outside QPV in a residence that is not fragile, and last year's leases
 * that fell there; its share of the stock coloured on the map, the figures in the table (the map's text alternative
 * is its own table, just under it).
 * `contours`: the page's, asked once for its two maps in parallel with the figures (its error shown where the map
 * would be). Memoised: the page's other answers arriving do not draw it again.
 */
export const CroisementCommunes = memo(function CroisementCommunes({ parc, contours, erreurContours }: { parc: Parc; contours: Contours | null; erreurContours: Error | null }) {
  const lignes: LigneCroisement[] = parc.croisement.map((c) => ({
    code_insee: c.code_insee,
    commune: c.commune,
    logements: c.logements,
    abordables: c.abordables,
    part_abordables: part(c.abordables, c.logements),
    abordables_non_fragiles_hors_qpv: c.abordables_non_fragiles_hors_qpv,
    part_croisement: part(c.abordables_non_fragiles_hors_qpv, c.logements),
    baux: c.baux,
    baux_croisement: c.baux_croisement,
    part_baux_croisement: part(c.baux_croisement, c.baux),
  }));
  const hypothese = formatTaux(parc.hypothese_centrale);
  const tableau: Tableau<LigneCroisement> = {
    titre: `Parc abordable au 1er quartile (taux d’effort ≤ ${hypothese}), non fragile et hors QPV, par commune — ${parc.annee}`,
    colonnes: [
      { cle: 'commune', libelle: 'Commune', type: 'texte' },
      { cle: 'code_insee', libelle: 'Code INSEE', type: 'texte' },
      { cle: 'logements', libelle: 'Logements', type: 'entier' },
      { cle: 'abordables', libelle: 'Abordables au Q1', type: 'entier' },
      { cle: 'part_abordables', libelle: 'Part abordable', type: 'taux' },
      { cle: 'abordables_non_fragiles_hors_qpv', libelle: 'Abordables, non fragiles, hors QPV', type: 'entier' },
      { cle: 'part_croisement', libelle: 'Part du parc', type: 'taux' },
      { cle: 'baux', libelle: `Baux ${parc.annee - 1}`, type: 'entier' },
      { cle: 'baux_croisement', libelle: 'Dont dans ce parc', type: 'entier' },
      { cle: 'part_baux_croisement', libelle: 'Part des baux', type: 'taux' },
    ],
    lignes,
  };
  return (
    <Stack gap="sm">
      <Title order={2}>{TEXTES_PARC.titreCroisement}</Title>
      <Text>{phraseCroisement(parc)}</Text>
      {erreurContours ? <Erreur error={erreurContours} titre="Contours indisponibles" /> : null}
      {contours ? (
        <CarteTerritoire
          contours={contours}
          titre={titreCarteCroisement(parc.annee)}
          choroplethe={choroplethesCroisement(parc.croisement)}
        />
      ) : erreurContours ? null : (
        <Chargement quoi="de la carte" />
      )}
      <ApresLesCartes quoi="du tableau par commune">
        <DataTable tableau={tableau} legende={tableau.titre} triInitial={{ cle: 'logements', sens: 'desc' }} vide="Aucun logement dans le périmètre." />
      </ApresLesCartes>
    </Stack>
  );
});
