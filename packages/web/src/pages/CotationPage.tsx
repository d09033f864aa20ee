import { Alert, Button, Group, NativeSelect, Stack, Tabs, Text, TextInput, Textarea, Title } from '@mantine/core';
import type { ComparaisonPubliee, DistributionPubliee, ExplicationCotation, ProblemeGrille } from '@mixite/core';
import { INDICATEURS_IMPACT, LIBELLES_INDICATEUR_IMPACT } from '@mixite/core';
import type { Tableau } from '@mixite/server/contract';
import { useEffect, useRef, useState } from 'react';
import { DataTable } from '../components/DataTable.tsx';
import { BarresVerticales } from '../components/charts/index.ts';
import { Erreur } from '../components/Etat.tsx';
import { ApiError, envoyer, lire } from '../lib/api.ts';
import { lecture } from '../lib/client.ts';
import { formatEntier } from '../lib/format.ts';
import { useSession } from '../lib/session.tsx';
import { useApi } from '../lib/use-api.ts';
import { BoutonLettre } from './cotation/BoutonLettre.tsx';
import { EditeurFormulaire } from './cotation/EditeurFormulaire.tsx';
import { ExplicationDemande } from './cotation/ExplicationDemande.tsx';
import { tranches } from './cotation/histogramme.ts';

/** The message of a located problem, as the CLI writes it. */
const probleme = (p: ProblemeGrille) => `${p.ligne !== null ? `Ligne ${p.ligne}${p.colonne !== null ? `, colonne ${p.colonne}` : ''} ` : ''}(${p.chemin}) : ${p.message}`;

/**
 * Issue 6, made usable by a person in issue 15 (item 5): pick a shipped grid, edit it as a form (criteria, points,
 * headings max/somme) or as YAML for experts, checked as one types; the distribution as a labelled histogram by bins
 * with its table; a request's note with its positioning, what « similar » means and the average waiting time.
 */
export function CotationPage() {
  const { session } = useSession();
  const [grille, setGrille] = useState('');
  const [problemes, setProblemes] = useState<ProblemeGrille[] | null>(null);
  const [distribution, setDistribution] = useState<DistributionPubliee | null>(null);
  const [nur, setNur] = useState('');
  const [explication, setExplication] = useState<ExplicationCotation | null>(null);
  const [grilleB, setGrilleB] = useState('');
  const [comparaison, setComparaison] = useState<ComparaisonPubliee | null>(null);
  const [erreur, setErreur] = useState<Error | null>(null);
  const [enCours, setEnCours] = useState(false);
  const [controle, setControle] = useState<{ ok: boolean; problemes: readonly ProblemeGrille[] } | null>(null);
  const livrees = useApi(lecture('/api/cotation/grilles'));
  const [choisie, setChoisie] = useState('');
  const derniere = useRef(0);

  // Checked as the person types: the server's check (the allow-list of fields of a grid sent through the API), after
  // a short pause; an answer that arrives after a newer one is dropped.
  useEffect(() => {
    if (grille === '') return;
    const numero = ++derniere.current;
    const minuteur = setTimeout(() => {
      envoyer('post', '/api/cotation/verifier', { corps: { grille, fichier: 'grille.yaml' } }).then(
        (r) => {
          if (numero === derniere.current) setControle({ ok: r.ok, problemes: r.problemes });
        },
        () => undefined,
      );
    }, 400);
    return () => clearTimeout(minuteur);
  }, [grille]);

  useEffect(() => {
    document.title = 'Cotation de la demande — Mixité';
    lire(lecture('/api/cotation/grille')).then((g) => {
      setGrille(g.contenu);
      setGrilleB(g.contenu);
    }, setErreur);
  }, []);

  const lancer = async (travail: () => Promise<void>) => {
    setErreur(null);
    setEnCours(true);
    try {
      await travail();
    } catch (e) {
      if (e instanceof ApiError && Array.isArray(e.details)) setProblemes(e.details as ProblemeGrille[]);
      setErreur(e as Error);
    } finally {
      setEnCours(false);
    }
  };

  const verifier = () =>
    lancer(async () => {
      const r = await envoyer('post', '/api/cotation/verifier', { corps: { grille, fichier: 'grille.yaml' } });
      setProblemes([...r.problemes]);
      if (r.ok) setDistribution(await envoyer('post', '/api/cotation/distribution', { corps: { grille, fichier: 'grille.yaml' } }));
    });

  const expliquer = () =>
    lancer(async () => {
      setExplication(null);
      setExplication(await envoyer('post', '/api/cotation/demande', { corps: { grille, fichier: 'grille.yaml', nur: nur.trim() } }));
    });

  const comparer = () =>
    lancer(async () => {
      setComparaison(null);
      setComparaison(await envoyer('post', '/api/cotation/impact', { corps: { grille_a: grille, fichier_a: 'grille A', grille_b: grilleB, fichier_b: 'grille B' } }));
    });

  const tableauImpact: Tableau<object> | null = comparaison ? impactTableau(comparaison) : null;

  const masquee = distribution?.classes.some((k) => k.secret !== null) ?? false;
  // One population: every request when the grid has one body, else each body's classes are summed in the bins.
  const classes = distribution ? (distribution.classes.some((k) => k.portee === 'toutes') ? distribution.classes.filter((k) => k.portee === 'toutes') : distribution.classes) : [];
  const bins = tranches(classes);
  const tableau: Tableau<object> | null = distribution
    ? {
        titre: `Distribution des notes par tranche — ${distribution.grille.nom} (${distribution.date})`,
        colonnes: [
          { cle: 'libelle', libelle: 'Tranche de notes', type: 'texte' },
          { cle: 'demandes', libelle: 'Demandes actives', type: 'entier' },
        ],
        lignes: bins.map((b) => ({ libelle: b.libelle, demandes: b.demandes })),
      }
    : null;
  const tableauNotes: Tableau<object> | null = distribution
    ? {
        titre: `Distribution des notes — ${distribution.grille.nom} (${distribution.date})`,
        colonnes: [
          { cle: 'portee', libelle: 'Population', type: 'texte' },
          { cle: 'note', libelle: 'Note', type: 'nombre' },
          { cle: 'demandes', libelle: 'Demandes', type: 'entier' },
          ...(masquee ? [{ cle: 'secret', libelle: 'Secret statistique', type: 'texte' as const }] : []),
        ],
        lignes: distribution.classes.map((k) => ({ ...k, secret: k.secret ? LIBELLES_SECRET[k.secret] : null })),
      }
    : null;

  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Cotation de la demande</Title>
        <Text>Modifiez la grille, vérifiez-la, puis consultez la distribution des notes des demandes actives. Rien n’est enregistré.</Text>
      </div>
      {livrees.data ? (
        <Group align="flex-end">
          <NativeSelect
            label="Partir d’une grille livrée"
            value={choisie}
            data={[{ value: '', label: 'Choisir une grille…' }, ...livrees.data.grilles.map((g) => ({ value: g.fichier, label: `${g.nom} (${g.fichier})` }))]}
            onChange={(e) => {
              const g = livrees.data?.grilles.find((x) => x.fichier === e.currentTarget.value);
              setChoisie(e.currentTarget.value);
              if (g) {
                setGrille(g.contenu);
                setGrilleB(g.contenu);
                setDistribution(null);
              }
            }}
            w={360}
          />
          {livrees.data.grilles.find((g) => g.fichier === choisie)?.description ? <Text size="sm" maw={600}>{livrees.data.grilles.find((g) => g.fichier === choisie)?.description}</Text> : null}
        </Group>
      ) : null}
      <Tabs defaultValue="formulaire">
        <Tabs.List>
          <Tabs.Tab value="formulaire">Formulaire</Tabs.Tab>
          <Tabs.Tab value="yaml">YAML (experts)</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="formulaire" pt="sm">
          <EditeurFormulaire texte={grille} onChange={setGrille} />
        </Tabs.Panel>
        <Tabs.Panel value="yaml" pt="sm">
          <Textarea label="Grille de cotation (YAML)" value={grille} onChange={(e) => setGrille(e.currentTarget.value)} autosize minRows={12} maxRows={30} ff="monospace" />
        </Tabs.Panel>
      </Tabs>
      <div aria-live="polite">
        {controle === null ? null : controle.ok ? (
          <Text fw={700}>Grille valide.</Text>
        ) : (
          <Alert color="red.9" variant="outline" title={`Grille invalide : ${controle.problemes.length} problème(s)`}>
            <ul>
              {controle.problemes.map((p, i) => (
                <li key={i}>{probleme(p)}</li>
              ))}
            </ul>
          </Alert>
        )}
      </div>
      <Group>
        <Button onClick={verifier} loading={enCours}>
          Vérifier et calculer la distribution
        </Button>
      </Group>
      {problemes && problemes.length > 0 ? (
        <Alert color="red.9" variant="outline" title="Grille invalide" role="alert">
          <ul>
            {problemes.map((p, i) => (
              <li key={i}>{probleme(p)}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {erreur && !(problemes && problemes.length > 0) ? <Erreur error={erreur} /> : null}
      {distribution && tableau ? (
        <>
          {distribution.secret_statistique !== null ? <AvisSecret seuil={distribution.secret_statistique} /> : null}
          <Histogramme bins={bins} />
          <DataTable tableau={tableau} legende="Nombre de demandes actives par tranche de notes" />
          {tableauNotes ? <DataTable tableau={tableauNotes} legende="Nombre de demandes actives par note (détail)" pas={10} /> : null}
        </>
      ) : null}
      <Stack gap="xs">
        <Title order={2}>Effet sur les objectifs : deux grilles côte à côte</Title>
        <Text>
          Pour chaque typologie, les demandes les mieux classées par chaque grille (autant que de baux signés sur les douze derniers mois) comparées aux
          attributions réelles et aux cibles de la CIA.
        </Text>
        <Textarea label="Grille B (YAML), comparée à la grille ci-dessus" value={grilleB} onChange={(e) => setGrilleB(e.currentTarget.value)} autosize minRows={6} maxRows={20} ff="monospace" />
        <Group>
          <Button onClick={comparer} loading={enCours}>
            Comparer l’effet des deux grilles
          </Button>
        </Group>
        {comparaison?.secret_statistique != null ? <AvisSecret seuil={comparaison.secret_statistique} /> : null}
        {tableauImpact ? <DataTable tableau={tableauImpact} legende="Parts parmi les demandes retenues par chaque grille, dans les baux réels, et cibles de la CIA" /> : null}
      </Stack>
      {session.droits.menages ? (
        <Stack gap="xs">
          <Title order={2}>Note d’une demande</Title>
          <Group align="flex-end">
            <TextInput label="NUR de la demande" value={nur} onChange={(e) => setNur(e.currentTarget.value)} w={260} />
            <Button onClick={expliquer} loading={enCours} disabled={nur.trim() === ''}>
              Expliquer la note
            </Button>
          </Group>
          {explication ? <ExplicationDemande e={explication} /> : null}
          {explication && session.utilisateur.role !== 'commune' ? <BoutonLettre grille={grille} nur={explication.nur} date={explication.date} /> : null}
        </Stack>
      ) : null}
    </Stack>
  );
}

/** One row per typology and target: the shares among the requests each grid puts first, in the actual leases, and the target. */
function impactTableau(c: ComparaisonPubliee): Tableau<object> {
  const lignes = c.a.lignes.flatMap((la) => {
    const lb = c.b.lignes.find((l) => l.typologie === la.typologie);
    return INDICATEURS_IMPACT.map((indicateur) => ({
      typologie: la.typologie === 'ensemble' ? 'Ensemble' : la.typologie.toUpperCase().replace('_PLUS', ' et plus'),
      indicateur: LIBELLES_INDICATEUR_IMPACT[indicateur],
      retenues: la.baux,
      grille_a: la.retenues.parts[indicateur],
      grille_b: lb?.retenues.parts[indicateur] ?? null,
      attributions: la.attributions.parts[indicateur],
      cible: c.a.cibles.find((k) => k.indicateur === indicateur)?.cible ?? null,
    }));
  });
  return {
    titre: `Effet de deux grilles sur les objectifs (${c.a.periode.debut} au ${c.a.periode.fin})`,
    colonnes: [
      { cle: 'typologie', libelle: 'Typologie', type: 'texte' },
      { cle: 'indicateur', libelle: 'Public', type: 'texte' },
      { cle: 'retenues', libelle: 'Demandes retenues', type: 'entier' },
      { cle: 'grille_a', libelle: 'Grille A', type: 'taux' },
      { cle: 'grille_b', libelle: 'Grille B', type: 'taux' },
      { cle: 'attributions', libelle: 'Baux réels', type: 'taux' },
      { cle: 'cible', libelle: 'Cible CIA', type: 'taux' },
    ],
    lignes,
  };
}

const LIBELLES_SECRET: Record<string, string> = { primaire: 'masquée (petit effectif)', secondaire: 'masquée (protège une autre case)' };

/** What the public role reads: the published grids only, small counts masked. */
function AvisSecret({ seuil }: { seuil: number }) {
  return (
    <Alert color="gray" variant="outline" title="Secret statistique">
      Les effectifs de moins de {seuil} demandes, et ceux qui permettraient de les retrouver, sont masqués (« — »). Pour votre rôle, seules les grilles publiées
      sont calculées, au 31 décembre : une grille libre permettrait de retrouver la situation d’un ménage par différence.
    </Alert>
  );
}

/** Bars of the number of requests per bin of notes (a masked count is drawn as a grey tick); the table below gives the same figures. */
function Histogramme({ bins }: { bins: ReturnType<typeof tranches> }) {
  return (
    <Stack gap={4}>
      <BarresVerticales
        titre="Histogramme des notes : nombre de demandes actives (axe vertical) par tranche de notes (axe horizontal)"
        resume={`${bins.length} tranches de notes ; hauteur de chaque barre : le nombre de demandes actives dont la note est dans la tranche. Les valeurs sont dans le tableau qui suit.`}
        categories={bins.map((b) => b.libelle)}
        series={[{ nom: 'Demandes actives', valeurs: bins.map((b) => b.demandes) }]}
        format={formatEntier}
      />
      <Text size="sm">Axe horizontal : tranches de notes. Axe vertical : nombre de demandes actives.</Text>
    </Stack>
  );
}
