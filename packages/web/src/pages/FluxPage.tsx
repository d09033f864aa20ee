import { Alert, Anchor, Card, Group, List, NativeSelect, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { FluxBailleur, Tableau } from '@mixite/contract';
import { useEffect } from 'react';
import { useSearchParams } from 'wouter';
import { BarresVerticales } from '../components/charts/index.ts';
import { DataTable } from '../components/DataTable.tsx';
import { ConventionsFlux } from './flux/ConventionsFlux.tsx';
import { Chargement, Erreur } from '../components/Etat.tsx';
import { lecture, url } from '../lib/client.ts';
import { formatDate, formatEntier, formatNombre } from '../lib/format.ts';
import { anneeChoisie, useTerritoire } from '../lib/territoire.tsx';
import { useApi } from '../lib/use-api.ts';

/**
 * Gestion en flux (issue 13; docs/flux.md): for each bailleur the viewer may see, the forecast and its method, the
 * réalisé and what was kept out of it, the rights, orientations and balances per réservataire, the monthly
 * orientations (chart followed by its table), the breakdowns, the balance the conventions set (part_qpv_min…: the
 * realised share of each réservataire's orientations against the minimum), the alerts, and the R441-5-1 bilan.
 * The server narrows it: a bailleur account reads its own, a réservataire its lines at every bailleur.
 */

const MOIS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const DIMENSIONS: Record<string, string> = { typologie: 'Typologie', qpv: 'Localisation', financement: 'Financement' };

type LigneDroits = FluxBailleur['droits'][number];

export function FluxPage() {
  const territoire = useTerritoire();
  const [params, setParams] = useSearchParams();
  const annee = anneeChoisie(territoire.data, params.get('annee'));
  const bailleur = params.get('bailleur') || null;
  const flux = useApi(annee ? lecture('/api/flux', { query: { annee, bailleur } }) : null);

  useEffect(() => {
    document.title = `Gestion en flux${annee ? ` ${annee}` : ''} — Mixité`;
  }, [annee]);

  if (territoire.error) return <Erreur error={territoire.error} />;
  if (!territoire.data) return <Chargement quoi="du territoire" />;
  if (!annee) return <Text>Aucune donnée dans la base.</Text>;

  const disponibles = flux.data?.bailleurs_disponibles ?? [];
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Gestion en flux {annee}</Title>
          <Text>
            Flux annuel de chaque bailleur, droits des réservataires (part × flux), orientations et soldes reportés (CCH R441-5)
            {flux.data ? ` — prorata au ${formatDate(flux.data.date_reference)}` : ''}
          </Text>
        </div>
        <Group align="flex-end">
          <NativeSelect
            label="Année"
            value={String(annee)}
            data={[...territoire.data.annees].reverse().map(String)}
            onChange={(e) => setParams({ annee: e.currentTarget.value, ...(bailleur ? { bailleur } : {}) })}
            w={120}
          />
          {disponibles.length > 1 ? (
            <NativeSelect
              label="Bailleur"
              value={bailleur ?? ''}
              data={[{ value: '', label: 'Tous les bailleurs' }, ...disponibles.map((b) => ({ value: b.id, label: b.nom }))]}
              onChange={(e) => setParams({ annee: String(annee), ...(e.currentTarget.value ? { bailleur: e.currentTarget.value } : {}) })}
              w={260}
            />
          ) : null}
        </Group>
      </Group>
      {flux.error ? <Erreur error={flux.error} /> : null}
      {!flux.data && !flux.error ? <Chargement quoi="du flux" /> : null}
      {flux.data && flux.data.bailleurs.length === 0 ? <Text>Aucun flux à montrer pour ce compte et cette année.</Text> : null}
      {flux.data?.bailleurs.map((b) => <FluxDuBailleur key={b.bailleur_id} b={b} annee={annee} fraction={flux.data?.fraction_annee ?? 1} />)}
      <ConventionsFlux annee={annee} onChange={flux.reload} />
    </Stack>
  );
}

function FluxDuBailleur({ b, annee, fraction }: { b: FluxBailleur; annee: number; fraction: number }) {
  const titre = `${b.bailleur_nom} (${b.bailleur_id})`;
  const droits: Tableau<Record<string, unknown>> = {
    titre: `Droits, orientations et soldes ${annee} — ${titre}`,
    colonnes: [
      { cle: 'reservataire', libelle: 'Réservataire', type: 'texte' },
      { cle: 'part', libelle: 'Part du flux', type: 'taux' },
      { cle: 'droits_previsionnels', libelle: 'Droits prévisionnels', type: 'nombre' },
      { cle: 'prorata', libelle: 'Prorata à date', type: 'nombre' },
      { cle: 'orientations', libelle: 'Orientations (baux)', type: 'entier' },
      { cle: 'droits', libelle: 'Droits sur le réalisé', type: 'nombre' },
      { cle: 'report', libelle: 'Solde reporté', type: 'nombre' },
      { cle: 'solde', libelle: 'Solde', type: 'nombre' },
      { cle: 'etat', libelle: 'Situation', type: 'texte' },
    ],
    lignes: b.droits.map((l: LigneDroits) => ({
      reservataire: l.reservataire_nom,
      part: l.part,
      droits_previsionnels: arrondi(l.droits_previsionnels),
      prorata: arrondi(l.droits_previsionnels * fraction),
      orientations: l.orientations,
      droits: arrondi(l.droits),
      report: arrondi(l.report),
      solde: arrondi(l.solde),
      etat: l.en_retard ? 'En retard sur le prorata' : l.solde <= -1 ? 'Le bailleur lui doit des logements' : 'À jour',
    })),
  };
  const ids = b.droits.map((l) => l.reservataire_id);
  const nom = (id: string) => b.droits.find((l) => l.reservataire_id === id)?.reservataire_nom ?? id;
  const cumul = (id: string) => {
    let s = 0;
    return MOIS.map((_, i) => (s += b.mensuel.find((m) => m.reservataire_id === id && m.mois === i + 1)?.orientations ?? 0));
  };
  const mensuel: Tableau<Record<string, unknown>> = {
    titre: `Orientations cumulées par mois ${annee} — ${titre}`,
    colonnes: [{ cle: 'reservataire', libelle: 'Réservataire', type: 'texte' }, ...MOIS.map((m, i) => ({ cle: `m${i + 1}`, libelle: m, type: 'entier' as const }))],
    lignes: ids.map((id) => ({ reservataire: nom(id), ...Object.fromEntries(cumul(id).map((v, i) => [`m${i + 1}`, v])) })),
  };
  const dimensions: Tableau<Record<string, unknown>> = {
    titre: `Orientations et droits par typologie, localisation et financement ${annee} — ${titre}`,
    colonnes: [
      { cle: 'reservataire', libelle: 'Réservataire', type: 'texte' },
      { cle: 'dimension', libelle: 'Dimension', type: 'texte' },
      { cle: 'modalite', libelle: 'Modalité', type: 'texte' },
      { cle: 'flux', libelle: 'Flux (baux)', type: 'entier' },
      { cle: 'droits', libelle: 'Droits', type: 'nombre' },
      { cle: 'orientations', libelle: 'Orientations', type: 'entier' },
    ],
    lignes: b.par_dimension.map((d) => ({
      reservataire: nom(d.reservataire_id),
      dimension: DIMENSIONS[d.dimension] ?? d.dimension,
      modalite: d.modalite === 'hors_qpv' ? 'hors QPV' : d.modalite === 'qpv' ? 'en QPV' : d.modalite,
      flux: d.flux,
      droits: arrondi(d.droits),
      orientations: d.orientations,
    })),
  };
  const equilibre: Tableau<Record<string, unknown>> = {
    titre: `Équilibre fixé par les conventions ${annee} — ${titre}`,
    colonnes: [
      { cle: 'reservataire', libelle: 'Réservataire', type: 'texte' },
      { cle: 'exigence', libelle: 'Exigence de la convention', type: 'texte' },
      { cle: 'minimum', libelle: 'Minimum', type: 'taux' },
      { cle: 'part', libelle: 'Part réalisée', type: 'taux' },
      { cle: 'comptes', libelle: 'Orientations concernées', type: 'texte' },
      { cle: 'constat', libelle: 'Constat', type: 'texte' },
    ],
    lignes: b.equilibre.map((l) => ({
      reservataire: nom(l.reservataire_id),
      exigence: `Part des orientations ${l.libelle}`,
      minimum: l.minimum,
      part: l.part,
      comptes: `${formatEntier(l.dans_les_modalites)} sur ${formatEntier(l.orientations)}`,
      constat: l.part === null ? 'Aucune orientation' : l.sous_le_minimum ? 'Sous le minimum' : 'Atteint',
    })),
  };
  const lien = (format: 'csv' | 'xlsx' | 'docx') => url('/api/flux/bilan', { query: { annee, bailleur: b.bailleur_id, format } });
  return (
    <Card withBorder component="section" aria-labelledby={`flux-${b.bailleur_id}`}>
      <Stack gap="md">
        <Title order={2} id={`flux-${b.bailleur_id}`}>
          {titre}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <div>
            <Text fw={700}>Flux prévisionnel</Text>
            <Text size="xl">{formatNombre(arrondi(b.prevision))}</Text>
          </div>
          <div>
            <Text fw={700}>Flux réalisé (à date)</Text>
            <Text size="xl">{formatEntier(b.realise)}</Text>
          </div>
          <div>
            <Text fw={700}>Baux hors flux</Text>
            <Text size="xl">{formatEntier(b.baux - b.realise)}</Text>
          </div>
        </SimpleGrid>
        <Text size="sm">Prévision : {b.methode}.</Text>
        <Text size="sm">
          Exclus du flux : {formatEntier(b.exclus.mutations_internes)} mutation(s) interne(s), {formatEntier(b.exclus.relogements_anru)} relogement(s) NPNRU / ORCOD,{' '}
          {formatEntier(b.exclus.logements_hors_flux)} bail(baux) sur des logements hors flux (un bail peut relever de plusieurs exclusions).
        </Text>
        {b.alertes.length > 0 ? (
          <Alert color="red.9" variant="outline" title="Points d’attention">
            <List>
              {b.alertes.map((a) => (
                <List.Item key={a.message}>{a.message}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <DataTable tableau={droits} legende={droits.titre} />
        <BarresVerticales
          titre={`Orientations cumulées mois par mois — ${titre}`}
          categories={MOIS}
          series={ids.map((id) => ({ nom: nom(id), valeurs: cumul(id) }))}
          format={(v) => formatEntier(v)}
        />
        <DataTable tableau={mensuel} legende={mensuel.titre} />
        <DataTable tableau={dimensions} legende={dimensions.titre} pas={20} />
        {b.equilibre.length > 0 ? <DataTable tableau={equilibre} legende={equilibre.titre} /> : null}
        <Group gap="md">
          <Text fw={700}>Bilan R441-5-1 {annee} :</Text>
          <Anchor href={lien('xlsx')} download>
            Excel
          </Anchor>
          <Anchor href={lien('docx')} download>
            Word
          </Anchor>
          <Anchor href={lien('csv')} download>
            CSV
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}

const arrondi = (x: number) => Math.round(x * 100) / 100;
