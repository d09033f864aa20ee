/**
 * The Parc page's two maps drawn by the server into the page's first paint (issue 14, docs/parc.md « Les cartes dès
 * le premier affichage »): the application (React, Mantine, the layout) takes about as long to load and run as the
 * page's whole target, so the maps it draws cannot be there within a second. The server answers `GET /parc` with the
 * HTML shell AND the two maps already drawn — the same `@mixite/graphiques` component, the same layers and words
 * (carte/parc.ts), each with its legend and its table (the text alternative) — in a block placed where the page's
 * own content will be; the page removes it in the frame it draws its own maps (packages/web, lib/cartes-serveur.ts).
 *
 * Security: the figures are read through the API itself — in-process requests to /api/session, /api/territoire,
 * /api/parc, /api/parc/residences and /api/contours carrying the browser's cookie — so the session, role and
 * perimeter checks are exactly those of the routes, and the figures those the page would be given (the routes' own
 * implementation and cache, no second computation). Anything but a 200 to each, or an account that is not a partner
 * (the public reader, to whom the page shows no map), and the page is the plain shell. The block holds
 * household-free aggregates only (shares by commune, residences' positions and classes), as the API answers do.
 */
import { createHash } from 'node:crypto';
import type { Contours, Parc, ResidencesParc, SessionApi, Territoire } from '@mixite/contract';
import { anneeChoisie } from '@mixite/contract';
import type { DonneesCarte } from '@mixite/graphiques';
import { Carte, TEXTES_PARC, choroplethesCroisement, phraseCroisement, phraseResidences, pointsResidences, tableauCarte, titreCarteCroisement, titreCarteResidences } from '@mixite/graphiques';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** An in-process request to the application (its `app.request`): the API with every middleware. */
export type DemandeInterne = (chemin: string, init: RequestInit) => Response | Promise<Response>;

/** The id of the block: the page looks for it to take over (packages/web/src/lib/cartes-serveur.ts). */
export const ID_CARTES_SERVEUR = 'parc-serveur';

/**
 * The layout of the application's content area (packages/web/src/App.tsx: AppShell header 92 px in demonstration —
 * its banner — else 60 px, navbar 240 px from Mantine's `sm` breakpoint, padding `md`) and the type of Mantine's
 * titles and text (theme.ts), so that the block sits where the page's content will be and its first map where the
 * page draws its own. Small and inline: it applies before Mantine's style sheet has arrived.
 */
function styleCritique(hauteurEnTete: number): string {
  return (
    `body{margin:0}` +
    `.parc-serveur{position:absolute;z-index:1;top:${hauteurEnTete}px;left:0;right:0;box-sizing:border-box;padding:16px;background:#fff;color:#000;` +
    `font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:16px;line-height:1.55;-webkit-font-smoothing:antialiased}` +
    `.parc-serveur *{box-sizing:border-box}@media (min-width:48em){.parc-serveur{left:240px}}` +
    `.parc-serveur h1,.parc-serveur h2{margin:0;font-weight:650}` +
    `.parc-serveur h1{font-size:34px;line-height:1.3}.parc-serveur h2{font-size:26px;line-height:1.35}` +
    `.parc-serveur p{margin:0}` +
    `.parc-serveur .ps-pile{display:flex;flex-direction:column;gap:20px}.parc-serveur .ps-section{display:flex;flex-direction:column;gap:12px}` +
    `.parc-serveur .carte-territoire{display:flex;flex-direction:column;gap:10px}` +
    `.parc-serveur .ps-annee{box-sizing:border-box;height:60.7px;padding-top:2px;font-size:14px;font-weight:500}` +
    `.parc-serveur .ps-annee span{display:block;box-sizing:border-box;width:140px;height:36px;margin-top:1px;padding:0 12px;line-height:34px;border:1px solid #ced4da;border-radius:4px;font-size:14px;font-weight:400}` +
    `.parc-serveur hr{border:0;border-top:1px solid #dee2e6;margin:0}` +
    `.parc-serveur table{border-collapse:collapse;font-size:14px}.parc-serveur caption{text-align:left;font-weight:600;padding-bottom:4px}` +
    `.parc-serveur th,.parc-serveur td{padding:4px 8px;border-bottom:1px solid #dee2e6;text-align:left}` +
    `.parc-serveur .graphique text{font-size:12px;fill:#000}`
  );
}

const echapper = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A map, then its table: the map's text alternative, one row per commune of the territory. */
function carteEtTableau(titre: string, donnees: DonneesCarte, identifiants: string): string {
  const svg = renderToStaticMarkup(createElement(Carte, { titre, ...donnees }), { identifierPrefix: identifiants });
  const table = tableauCarte(donnees);
  const entete = table.colonnes.map((c) => `<th scope="col">${echapper(c)}</th>`).join('');
  const lignes = table.lignes.map((l) => `<tr>${l.map((v) => `<td>${echapper(v)}</td>`).join('')}</tr>`).join('');
  return (
    `<div class="carte-territoire">${svg}` +
    `<table><caption>${echapper(`${titre} — tableau de la carte`)}</caption><thead><tr>${entete}</tr></thead><tbody>${lignes}</tbody></table></div>`
  );
}

/** The block for these answers: a pure function of them. */
function bloc(mode: SessionApi['mode'], annee: number, parc: Parc, residences: ResidencesParc, contours: Contours): string {
  const base = { communes: contours.communes, qpv: contours.qpv, territoire: contours.territoire, source: contours.source };
  const croisement = carteEtTableau(titreCarteCroisement(annee), { ...base, choroplethe: choroplethesCroisement(parc.croisement) }, 'parc-serveur-a');
  const points = carteEtTableau(titreCarteResidences(annee), { ...base, points: pointsResidences(residences.residences) }, 'parc-serveur-b');
  return (
    `<style>${styleCritique(mode === 'demonstration' ? 92 : 60)}</style>` +
    `<div id="${ID_CARTES_SERVEUR}" class="parc-serveur" data-annee="${annee}"><div class="ps-pile">` +
    `<div><h1>${echapper(TEXTES_PARC.titre(annee))}</h1><p>${echapper(TEXTES_PARC.introduction)}</p></div>` +
    `<div class="ps-annee">Année<span>${annee}</span></div>` +
    `<div class="ps-section"><h2>${echapper(TEXTES_PARC.titreCroisement)}</h2><p>${echapper(phraseCroisement(parc))}</p>${croisement}</div>` +
    `<hr>` +
    `<div class="ps-section"><h2>${echapper(TEXTES_PARC.titreResidences)}</h2><p>${echapper(phraseResidences(residences))}</p>${points}</div>` +
    `</div></div>`
  );
}

/**
 * Draws the Parc page's maps for the request's session, or says null (plain shell). Kept: the last few blocks by
 * the digest of the answers they are drawn from (the same figures for the same perimeter and year, until a write),
 * since drawing projects the contours again for each request.
 */
export function cartesParcDuServeur(demander: DemandeInterne) {
  const gardes = new Map<string, string>();
  return async (cookie: string | null, anneeDemandee: string | null): Promise<string | null> => {
    const init: RequestInit = { headers: cookie ? { cookie } : {} };
    const lire = async (chemin: string): Promise<string | null> => {
      const r = await demander(chemin, init);
      return r.status === 200 ? r.text() : null;
    };
    const [sessionTexte, territoireTexte] = await Promise.all([lire('/api/session'), lire('/api/territoire')]);
    if (sessionTexte === null || territoireTexte === null) return null;
    const session = JSON.parse(sessionTexte) as SessionApi;
    // The public reader's Parc page shows no map (the API refuses it the stock's figures): the plain shell.
    if (!session.droits.partenaire) return null;
    const annee = anneeChoisie(JSON.parse(territoireTexte) as Territoire, anneeDemandee);
    if (annee === null) return null;
    const textes = await Promise.all([lire(`/api/parc?annee=${annee}`), lire(`/api/parc/residences?annee=${annee}`), lire('/api/contours')]);
    const [parc, residences, contours] = textes;
    if (parc === null || residences === null || contours === null) return null;
    const cle = createHash('sha256').update(`${session.mode}\n${annee}\n${parc}\n${residences}\n${contours}`).digest('base64url');
    const garde = gardes.get(cle);
    if (garde !== undefined) return garde;
    const html = bloc(session.mode, annee, JSON.parse(parc) as Parc, JSON.parse(residences) as ResidencesParc, JSON.parse(contours) as Contours);
    gardes.set(cle, html);
    // A few perimeters and years at most: the oldest goes first.
    if (gardes.size > 8) gardes.delete(gardes.keys().next().value as string);
    return html;
  };
}
