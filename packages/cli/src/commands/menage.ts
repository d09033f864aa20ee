import { existsSync } from 'node:fs';
import type { ZoneApl } from '@mixite/core';
import { formatDate, formatEuros, formatNombre, formatTaux } from '@mixite/core/francais';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { ResultatMenage } from '@mixite/data/parc';
import type { Store } from '@mixite/data/store';
import { UsageError, formatParmi, parse, singleSource, wantsHelp } from '../args.ts';
import { ouvrirBase } from '../store-source.ts';

export const MENAGE_HELP = `Usage : mixite menage --personnes N --adultes A --moins-14-ans K --ressources-mensuelles R
                     [--date AAAA-MM-JJ] [--data DOSSIER | --base FICHIER]
                     [--code-insee CODE | --zone-apl 1|2|3] [--loyer L [--charges C]] [--format texte|json]

Situe un ménage : unités de consommation (UC), ressources par UC, quartile (avec le seuil de l’année) ;
avec un loyer, estime son APL, son taux d’effort et son reste à vivre dans ce logement (méthode : docs/parc.md).

Options :
  --personnes N              personnes du ménage (1 à 20)
  --adultes A                1 ou 2 adultes ; les autres personnes sont à charge pour l’APL
  --moins-14-ans K           enfants de moins de 14 ans (pour les UC)
  --ressources-mensuelles R  ressources mensuelles du ménage, €
  --date AAAA-MM-JJ          date du calcul (défaut : aujourd’hui) : année du seuil Q1, barème d’APL en vigueur
  --data DOSSIER             jeu de données (seuils, demande, communes, cia.yaml) chargé en mémoire
  --base FICHIER             base déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH} si elle existe ;
                             sans base, le quartile est inconnu)
  --code-insee CODE          commune du logement : sa zone APL et le seuil de son EPCI
  --zone-apl 1|2|3           zone APL du logement, sans base
  --loyer L                  loyer mensuel hors charges, €
  --charges C                charges mensuelles, € (défaut : le forfait charges de l’APL)
  --format texte|json        texte (défaut) ; json : uc, ressources_par_uc, quartile, apl, taux_effort et le détail
  -h, --aide                 afficher cette aide`;

const nombre = (option: string, valeur: string | undefined, entier: boolean): number | undefined => {
  if (valeur === undefined) return undefined;
  const n = Number(valeur.replace(',', '.'));
  if (valeur.trim() === '' || !Number.isFinite(n) || (entier && !Number.isInteger(n))) throw new UsageError(`--${option} : « ${valeur} » n’est pas ${entier ? 'un nombre entier' : 'un nombre'}`);
  return n;
};

const requis = (option: string, valeur: string | undefined, entier: boolean): number => {
  const n = nombre(option, valeur, entier);
  if (n === undefined) throw new UsageError(`indiquez --${option}`);
  return n;
};

export async function menageCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    personnes: { type: 'string' },
    adultes: { type: 'string' },
    'moins-14-ans': { type: 'string' },
    'ressources-mensuelles': { type: 'string' },
    date: { type: 'string' },
    data: { type: 'string' },
    base: { type: 'string' },
    'code-insee': { type: 'string' },
    'zone-apl': { type: 'string' },
    loyer: { type: 'string' },
    charges: { type: 'string' },
    format: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(MENAGE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  const format = formatParmi(values.format, ['texte', 'json']);
  const adultes = requis('adultes', values.adultes, true);
  if (adultes !== 1 && adultes !== 2) throw new UsageError(`--adultes : 1 ou 2 (reçu ${adultes})`);
  const zone = values['zone-apl'];
  // The domain, loaded past the help (start-up, issue 18).
  const { estZoneApl } = await import('@mixite/core');
  if (zone !== undefined && !estZoneApl(zone)) throw new UsageError(`--zone-apl : 1, 2 ou 3 (reçu « ${zone} »)`);
  if (zone !== undefined && values['code-insee'] !== undefined) throw new UsageError('indiquez soit --code-insee, soit --zone-apl, pas les deux');
  const entree = {
    personnes: requis('personnes', values.personnes, true),
    adultes: adultes as 1 | 2,
    moins_14_ans: requis('moins-14-ans', values['moins-14-ans'], true),
    ressources_mensuelles: requis('ressources-mensuelles', values['ressources-mensuelles'], false),
    date: values.date,
    code_insee: values['code-insee'],
    zone_apl: zone as ZoneApl | undefined,
    loyer: nombre('loyer', values.loyer, false),
    charges: nombre('charges', values.charges, false),
  };

  // The store is optional: without one (and without the default base), the household is placed without limits.
  const defaut = process.env.MIXITE_BASE ?? DEFAULT_STORE_PATH;
  const avecBase = Boolean(values.data || values.base || existsSync(defaut));
  let store: Store | null = null;
  if (avecBase) {
    store = await ouvrirBase(values.data, values.base);
    if (!store) return 1;
  }
  try {
    const { simulerMenage } = await import('@mixite/data/parc');
    const r = await simulerMenage(store, entree);
    console.log(format === 'json' ? JSON.stringify(r, null, 2) : texte(r, store !== null));
    return 0;
  } finally {
    store?.close();
  }
}

const ORIGINE = { publie: 'publié', calcule: 'calculé sur la demande', absent: 'inconnu' } as const;

function texte(r: ResultatMenage, avecBase: boolean): string {
  const lignes = [
    `Unités de consommation : ${formatNombre(r.uc)}`,
    `Ressources par UC : ${formatEuros(r.ressources_par_uc)} par an`,
    r.quartile === null
      ? `Quartile : inconnu (${avecBase ? `pas de seuil Q1 pour ${r.annee}` : 'aucune base : indiquez --data ou --base'})`
      : `Quartile : Q${r.quartile} (seuil Q1 ${r.annee} : ${formatEuros(r.seuil_q1)} par UC et par an, ${ORIGINE[r.origine_seuil]}${r.mediane !== null ? ` ; médiane ${formatEuros(r.mediane)} (${ORIGINE[r.origine_mediane]}), Q3 ${formatEuros(r.q3)} (${ORIGINE[r.origine_q3]})` : ''})`,
  ];
  const l = r.logement;
  if (l) {
    lignes.push(
      '',
      `Logement en zone APL ${l.zone_apl} : loyer ${formatEuros(l.loyer)}, charges ${formatEuros(l.charges)}${l.charges_estimees ? ' (forfait de l’APL)' : ''}`,
      `APL estimée : ${formatEuros(l.apl)} par mois (loyer retenu ${formatEuros(l.detail.loyer_retenu)}, plafond ${formatEuros(l.detail.plafond)}, participation ${formatEuros(l.detail.participation)})`,
      `Taux d’effort : ${l.taux_effort === null ? 'non défini (ressources nulles)' : formatTaux(l.taux_effort)}`,
      `Reste à vivre : ${l.reste_a_vivre_uc_jour === null ? '—' : `${formatNombre(l.reste_a_vivre_uc_jour)} € par UC et par jour`}`,
      `Barème d’APL du ${formatDate(l.bareme.debut)} (${l.bareme.source})`,
    );
  }
  return lignes.join('\n');
}
