import { List, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import type { PolitiquesLivrees, VerificationPolitique } from '@mixite/contract';
import { useEffect, useRef, useState } from 'react';
import { envoyer } from '../../lib/api.ts';

/** A policy as the page sends it: a shipped file, or the text of an edited one. */
export type PolitiqueChoisie = { readonly livree: string } | { readonly contenu: string; readonly fichier: string };

export const EDITEE = '(éditée)';
export const AUCUNE = '';

interface Props {
  readonly lettre: 'A' | 'B';
  readonly livrees: PolitiquesLivrees['politiques'];
  /** B may be left empty (one policy simulated). */
  readonly facultative: boolean;
  readonly onChange: (politique: PolitiqueChoisie | null, valide: boolean) => void;
}

/**
 * Picks one shipped policy (politiques/*.yaml) or edits one in YAML, checked by the server as the person types
 * (POST /api/simulation/verifier), its problems listed with their line and column.
 */
export function ChoixPolitique({ lettre, livrees, facultative, onChange }: Props) {
  const [choix, setChoix] = useState(facultative ? AUCUNE : (livrees[0]?.fichier ?? AUCUNE));
  const [texte, setTexte] = useState('');
  const [controle, setControle] = useState<VerificationPolitique | null>(null);
  const derniere = useRef(0);
  const fichier = `politique-${lettre.toLowerCase()}.yaml`;

  useEffect(() => {
    if (choix === AUCUNE) onChange(null, facultative);
    else if (choix !== EDITEE) onChange({ livree: choix }, true);
    else onChange({ contenu: texte, fichier }, controle?.ok === true);
    // onChange is left out of the dependencies: the parent passes a new function at each render.
  }, [choix, texte, controle]);

  useEffect(() => {
    if (choix !== EDITEE || texte === '') return;
    const numero = ++derniere.current;
    const minuteur = setTimeout(() => {
      envoyer('post', '/api/simulation/verifier', { corps: { contenu: texte, fichier } }).then(
        (r) => {
          if (numero === derniere.current) setControle(r);
        },
        () => undefined,
      );
    }, 400);
    return () => clearTimeout(minuteur);
  }, [choix, texte, fichier]);

  const choisir = (valeur: string) => {
    if (valeur === EDITEE && texte === '') setTexte(livrees.find((l) => l.fichier === choix)?.contenu ?? livrees[0]?.contenu ?? '');
    setControle(null);
    setChoix(valeur);
  };

  const decrite = livrees.find((l) => l.fichier === choix);
  return (
    <Stack gap="xs">
      <NativeSelect
        label={`Politique ${lettre}`}
        value={choix}
        onChange={(e) => choisir(e.currentTarget.value)}
        data={[
          ...(facultative ? [{ value: AUCUNE, label: 'Aucune (une seule politique simulée)' }] : []),
          ...livrees.map((l) => ({ value: l.fichier, label: `${l.nom} (${l.fichier})` })),
          { value: EDITEE, label: 'Politique éditée (YAML)' },
        ]}
      />
      {decrite?.description ? <Text size="sm">{decrite.description}</Text> : null}
      {choix === EDITEE ? (
        <>
          <Textarea
            label={`Politique ${lettre} (YAML, voir docs/simulation.md)`}
            value={texte}
            onChange={(e) => setTexte(e.currentTarget.value)}
            autosize
            minRows={8}
            maxRows={24}
            ff="monospace"
          />
          {controle && !controle.ok ? (
            <div role="alert">
              <Text fw={600} c="red.9">
                La politique {lettre} n’est pas valide :
              </Text>
              <List size="sm">
                {controle.problemes.map((p) => (
                  <List.Item key={`${p.ligne}-${p.colonne}-${p.chemin}`}>
                    {p.ligne ? `ligne ${p.ligne}${p.colonne ? `, colonne ${p.colonne}` : ''} ` : ''}({p.chemin}) : {p.message}
                  </List.Item>
                ))}
              </List>
            </div>
          ) : null}
          {controle?.ok ? <Text size="sm">Politique valide : « {controle.nom} ».</Text> : null}
        </>
      ) : null}
    </Stack>
  );
}
