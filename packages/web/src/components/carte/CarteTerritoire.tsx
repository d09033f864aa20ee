import { Stack, Text } from '@mantine/core';
import type { Contours } from '@mixite/contract';
import type { Choroplethe, CouchePoints, DonneesCarte } from '@mixite/graphiques';
import { tableauCarte } from '@mixite/graphiques';
import type { Tableau } from '@mixite/server/contract';
import { lecture } from '../../lib/client.ts';
import { useApi } from '../../lib/use-api.ts';
import { Carte } from '../charts/index.ts';
import { DataTable } from '../DataTable.tsx';
import { Chargement, Erreur } from '../Etat.tsx';

interface Props {
  /** The map's title (its accessible name) and its table's caption. */
  readonly titre: string;
  readonly choroplethe?: Choroplethe;
  readonly points?: CouchePoints;
  /** Draw the QPV outlines when the contours have them (default: yes). */
  readonly qpv?: boolean;
  /**
   * The contours when the page already holds them (a page with several maps asks GET /api/contours once, at its
   * start, in parallel with its figures); without them the map asks for them itself.
   */
  readonly contours?: Contours;
}

/**
 * A map of the territory on a page (issue 14, docs/carte.md): the contours come from GET /api/contours (the
 * dataset's contours.geojson), the drawing is @mixite/graphiques's `Carte`, the one the bilan prints, and the table
 * that follows it is its text alternative (one row per commune, including those without an outline), exportable.
 */
export function CarteTerritoire({ titre, choroplethe, points, qpv = true, contours: donnes }: Props) {
  const demandes = useApi(donnes ? null : lecture('/api/contours'));
  if (demandes.error) return <Erreur error={demandes.error} titre="Contours indisponibles" />;
  const contours = donnes ?? demandes.data;
  if (!contours) return <Chargement quoi="de la carte" />;
  const donnees: DonneesCarte = {
    communes: contours.communes,
    ...(qpv ? { qpv: contours.qpv } : {}),
    territoire: contours.territoire,
    source: contours.source,
    ...(choroplethe ? { choroplethe } : {}),
    ...(points ? { points } : {}),
  };
  const table = tableauCarte(donnees);
  const tableau: Tableau<Record<string, string>> = {
    titre: `${titre} — tableau de la carte`,
    colonnes: table.colonnes.map((libelle, i) => ({ cle: `c${i}`, libelle, type: 'texte' as const })),
    lignes: table.lignes.map((l) => Object.fromEntries(l.map((v, i) => [`c${i}`, v]))),
  };
  return (
    <Stack gap="xs" className="carte-territoire">
      <Carte titre={titre} {...donnees} />
      {contours.communes.length === 0 ? (
        <Text size="sm">Le jeu de données n’a pas de fichier contours.geojson : la carte ne peut pas dessiner les communes. Le tableau qui suit donne les valeurs.</Text>
      ) : null}
      <DataTable tableau={tableau} legende={tableau.titre} pas={30} />
    </Stack>
  );
}
