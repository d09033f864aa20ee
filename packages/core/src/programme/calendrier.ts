import type { ConventionProgramme, FicheAction, ProgrammeActions } from './modele.ts';
import { anneesConvention, partenaireTexte } from './modele.ts';

/**
 * The obligations calendar of a year (issue 19): what the law and the CIA's settings date, and the dated steps of
 * the fiches action. Pure and exhaustive: one event per obligation and per step, so that an officer's own calendar
 * (.ics, ics.ts) or a spreadsheet (csv) holds them all. docs/programme.md lists the rules and their sources.
 */

/** `engagement`: a partner's commitment due that day (gouvernance.ts), added by the API for the dashboard. */
export type GenreEcheance = 'loi' | 'convention' | 'fiche' | 'engagement';

export interface Echeance {
  /** AAAA-MM-JJ: the last day to do it. */
  readonly date: string;
  readonly obligation: string;
  /** Where the obligation comes from: an article of the CCH, the convention, a fiche action. */
  readonly source: string;
  readonly genre: GenreEcheance;
  /** The fiche of a step. */
  readonly fiche?: number;
}

const ORDRE_GENRE: Record<GenreEcheance, number> = { loi: 0, convention: 1, fiche: 2, engagement: 3 };


/** A day of the year (MM-JJ) in year N; 29 February falls on the 28th in a common year. */
function jourDe(annee: number, jour: string): string {
  const bissextile = (annee % 4 === 0 && annee % 100 !== 0) || annee % 400 === 0;
  return jour === '02-29' && !bissextile ? `${annee}-02-28` : `${annee}-${jour}`;
}

const JJMMAAAA = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** The obligations the law dates every year, whatever the convention (it may have ended: the law goes on). */
function obligationsLegales(annee: number, convention: ConventionProgramme | null): Echeance[] {
  const e: Echeance[] = [
    {
      date: `${annee}-01-15`,
      obligation: `Transmission au préfet par chaque bailleur des attributions du second semestre ${annee - 1} (données arrêtées au 31/12/${annee - 1})`,
      source: 'Art. L441-1 CCH (loi 3DS) : transmission semestrielle dans les 15 jours',
      genre: 'loi',
    },
    {
      date: `${annee}-02-28`,
      obligation: `Bilan ${annee - 1} de la gestion en flux : chaque bailleur l’adresse à chaque réservataire`,
      source: 'Art. R441-5-1 CCH : bilan annuel avant le 28 février',
      genre: 'loi',
    },
    {
      date: `${annee}-07-15`,
      obligation: `Transmission au préfet par chaque bailleur des attributions du premier semestre ${annee} (données arrêtées au 30/06/${annee})`,
      source: 'Art. L441-1 CCH (loi 3DS) : transmission semestrielle dans les 15 jours',
      genre: 'loi',
    },
  ];
  if (convention) {
    e.push({
      date: jourDe(annee, convention.arrete_q1),
      obligation: `Seuil du premier quartile ${annee} : vérifier la parution de l’arrêté annuel et saisir le seuil (seuils.csv)`,
      source: 'Art. L441-1 CCH : arrêté ministériel annuel des seuils ; date de vérification fixée par la convention (arrete_q1)',
      genre: 'loi',
    });
    if (convention.zone_tendue) {
      e.push({
        date: `${annee}-12-31`,
        obligation: `Examen par les CALEOL des conditions d’occupation des logements dont le bail a été signé en ${annee - 3}`,
        source: 'Art. L442-5-2 CCH : examen tous les trois ans à compter de la signature du bail (zones A bis, A et B1)',
        genre: 'loi',
      });
    }
  }
  return e;
}

function obligationsConvention(annee: number, convention: ConventionProgramme): Echeance[] {
  const annees = anneesConvention(convention);
  const e: Echeance[] = [];
  if (annees.includes(annee - 1)) {
    e.push({
      date: jourDe(annee, convention.bilan_cil),
      obligation: `Bilan annuel ${annee - 1} de la convention présenté à la Conférence intercommunale du logement`,
      source: 'Art. L441-1-5 CCH ; convention (bilan_cil) : bilan annuel de la CIA et de son programme d’actions',
      genre: 'convention',
    });
  }
  if (Number(convention.date_fin.slice(0, 4)) === annee) {
    e.push({
      date: convention.date_fin,
      obligation: `Fin de la convention « ${convention.intitule} » : bilan final et nouvelle convention à soumettre à la CIL`,
      source: `Art. L441-1-6 CCH ; convention (date_fin : ${JJMMAAAA(convention.date_fin)})`,
      genre: 'convention',
    });
  }
  return e;
}

function etapesDesFiches(annee: number, convention: ConventionProgramme, fiches: readonly FicheAction[]): Echeance[] {
  const annees = anneesConvention(convention);
  const premier = annees[0] ?? annee;
  // A step of a year is due on its last day, or on the convention's last day when it ends before.
  const finAnnee = (a: number) => (`${a}-12-31` > convention.date_fin ? convention.date_fin : `${a}-12-31`);
  return fiches.flatMap((f) =>
    f.etapes.flatMap((etape): Echeance[] => {
      const q = etape.quand;
      let date: string | null;
      switch (q.genre) {
        case 'annee_convention':
          date = premier + q.rang - 1 === annee ? finAnnee(annee) : null;
          break;
        case 'annee':
          date = q.annee === annee ? finAnnee(annee) : null;
          break;
        case 'date':
          date = q.date.startsWith(`${annee}-`) ? q.date : null;
          break;
        case 'annuel':
          date = annees.includes(annee) ? finAnnee(annee) : null;
          break;
        case 'continu':
          date = null;
          break;
      }
      if (date === null) return [];
      return [{ date, obligation: `Fiche ${f.numero} — ${etape.libelle}`, source: `Fiche action ${f.numero} « ${f.titre} » (pilote : ${partenaireTexte(f.pilote)})`, genre: 'fiche', fiche: f.numero }];
    }),
  );
}

/** Every dated obligation of the year, by date (then law, convention, fiches; then fiche number, as written). */
export function calendrierObligations(annee: number, programme: ProgrammeActions | null): Echeance[] {
  const tout = [
    ...obligationsLegales(annee, programme?.convention ?? null),
    ...(programme ? obligationsConvention(annee, programme.convention) : []),
    ...(programme ? etapesDesFiches(annee, programme.convention, programme.fiches) : []),
  ];
  return tout
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.date.localeCompare(b.e.date) || ORDRE_GENRE[a.e.genre] - ORDRE_GENRE[b.e.genre] || (a.e.fiche ?? 0) - (b.e.fiche ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}

/** Whether an obligation is late (its day is past) or due within `jours` days of `aujourdhui` (AAAA-MM-JJ). */
export function situationEcheance(e: Echeance, aujourdhui: string, jours = 30): 'en_retard' | 'proche' | 'a_venir' {
  if (e.date < aujourdhui) return 'en_retard';
  const limite = new Date(`${aujourdhui}T00:00:00Z`);
  limite.setUTCDate(limite.getUTCDate() + jours);
  return e.date <= limite.toISOString().slice(0, 10) ? 'proche' : 'a_venir';
}

