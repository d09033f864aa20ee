import { Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import type { ClasseResidence, Contours, ResidenceParc, ResidencesParc } from '@mixite/contract';
import type { CategoriePoints } from '@mixite/graphiques';
import { CLASSES_RESIDENCES, TEXTES_PARC, phraseResidences, pointsResidences, titreCarteResidences } from '@mixite/graphiques';
import type { Tableau } from '@mixite/server/contract';
import { memo, useMemo, useState } from 'react';
import { CarteTerritoire } from '../../components/carte/CarteTerritoire.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { Chargement, Erreur } from '../../components/Etat.tsx';
import { formatEntier } from '../../lib/format.ts';
import { ApresLesCartes } from './ApresLesCartes.tsx';

/** The fragility classes in words, with the map's colour of each: the maps' (one home with the server's first paint). */
export const CLASSES: readonly (CategoriePoints & { readonly cle: ClasseResidence })[] = CLASSES_RESIDENCES;
const LIBELLE_CLASSE = Object.fromEntries(CLASSES.map((c) => [c.cle, c.libelle])) as Record<ClasseResidence, string>;
const LIBELLE_TENDANCE = { aggravation: 'en hausse', amelioration: 'en baisse', stable: 'stable' } as const;

type LigneResidence = ResidenceParc & { readonly classe_libelle: string; readonly tendance_libelle: string; readonly qpv: string };

/**
 * The residences (issue 14, item 3): a map by fragility, then the list — sortable, filtered by commune, class and
 * name, exported as shown — with each one's last occupation survey, its share of households under the fragility
 * threshold, its class and trend, and the allocations of the year that went there.
 * `contours`: the page's, asked once for its two maps in parallel with the figures (its error shown where the map
 * would be). Memoised: the page's other answers arriving do not draw it again.
 */
export const ListeResidences = memo(function ListeResidences({ residences, contours, erreurContours }: { residences: ResidencesParc; contours: Contours | null; erreurContours: Error | null }) {
  const [commune, setCommune] = useState('');
  const [classe, setClasse] = useState('');
  const [recherche, setRecherche] = useState('');
  const communes = useMemo(
    () => [...new Map(residences.residences.map((r) => [r.code_insee, r.commune ?? r.code_insee])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'fr')),
    [residences],
  );
  const retenues = residences.residences.filter(
    (r) =>
      (commune === '' || r.code_insee === commune) &&
      (classe === '' || r.classe === classe) &&
      (recherche.trim() === '' || `${r.nom ?? ''} ${r.residence_id} ${r.bailleur ?? ''}`.toLowerCase().includes(recherche.trim().toLowerCase())),
  );
  const lignes: LigneResidence[] = retenues.map((r) => ({
    ...r,
    classe_libelle: LIBELLE_CLASSE[r.classe],
    tendance_libelle: r.tendance === null ? '—' : LIBELLE_TENDANCE[r.tendance],
    qpv: r.code_qpv ?? 'hors QPV',
  }));
  const filtre = [commune ? communes.find(([c]) => c === commune)?.[1] : null, classe ? LIBELLE_CLASSE[classe as ClasseResidence] : null].filter(Boolean).join(', ');
  const tableau: Tableau<LigneResidence> = {
    titre: `Résidences et fragilité — ${residences.annee}${filtre ? ` (${filtre})` : ''}`,
    colonnes: [
      { cle: 'nom', libelle: 'Résidence', type: 'texte' },
      { cle: 'residence_id', libelle: 'Identifiant', type: 'texte' },
      { cle: 'bailleur', libelle: 'Bailleur', type: 'texte' },
      { cle: 'commune', libelle: 'Commune', type: 'texte' },
      { cle: 'qpv', libelle: 'QPV', type: 'texte' },
      { cle: 'nb_logements', libelle: 'Logements', type: 'entier' },
      { cle: 'annee_enquete', libelle: 'Enquête', type: 'texte' },
      { cle: 'part_sous_40pct', libelle: 'Part sous le seuil', type: 'taux' },
      { cle: 'classe_libelle', libelle: 'Fragilité', type: 'texte' },
      { cle: 'tendance_libelle', libelle: 'Tendance', type: 'texte' },
      { cle: 'attributions', libelle: `Baux ${residences.annee}`, type: 'entier' },
      { cle: 'attributions_q1', libelle: 'Dont Q1', type: 'entier' },
    ],
    lignes,
  };
  return (
    <Stack gap="sm">
      <Title order={2}>{TEXTES_PARC.titreResidences}</Title>
      <Text>{phraseResidences(residences)}</Text>
      {erreurContours ? <Erreur error={erreurContours} titre="Contours indisponibles" /> : null}
      {contours ? (
        <CarteTerritoire
          contours={contours}
          titre={titreCarteResidences(residences.annee)}
          points={pointsResidences(retenues)}
        />
      ) : erreurContours ? null : (
        <Chargement quoi="de la carte" />
      )}
      <Group gap="sm" align="flex-end">
        <NativeSelect label="Commune" value={commune} onChange={(e) => setCommune(e.currentTarget.value)} data={[{ value: '', label: 'Toutes' }, ...communes.map(([value, label]) => ({ value, label }))]} />
        <NativeSelect label="Fragilité" value={classe} onChange={(e) => setClasse(e.currentTarget.value)} data={[{ value: '', label: 'Toutes' }, ...CLASSES.map((c) => ({ value: c.cle, label: c.libelle }))]} />
        <TextInput label="Nom, identifiant ou bailleur" value={recherche} onChange={(e) => setRecherche(e.currentTarget.value)} w={260} />
      </Group>
      <ApresLesCartes quoi="de la liste des résidences">
        {/* The count comes with the list it counts: once said, the list is there. */}
        <Text size="sm" role="status">
          {formatEntier(lignes.length)} résidence{lignes.length > 1 ? 's' : ''} sur {formatEntier(residences.residences.length)}.
        </Text>
        <DataTable tableau={tableau} legende={tableau.titre} triInitial={{ cle: 'part_sous_40pct', sens: 'desc' }} pas={50} vide="Aucune résidence ne répond à ces critères." />
      </ApresLesCartes>
    </Stack>
  );
});
