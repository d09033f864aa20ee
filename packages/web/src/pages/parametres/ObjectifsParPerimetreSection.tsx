import { Button, Fieldset, NativeSelect, NumberInput, Table, Text, Title } from '@mantine/core';
import { LEGAL_INDICATOR_IDS, PERIMETER_TYPES } from '@mixite/core';
import { libelleIndicateur, libellePerimetreType } from '../../lib/indicateurs.ts';
import type { Brouillon, Erreurs } from './brouillon.ts';

export type OptionsPerimetre = (type: string) => { value: string; label: string }[];

/** Targets set per perimeter (a commune, a contingent type…): one row each, added and removed here. */
export function ObjectifsParPerimetreSection({
  b,
  modifier,
  declarations,
  optionsPerimetre,
  erreurs,
}: {
  b: Brouillon;
  modifier: (change: Partial<Brouillon>) => void;
  declarations: Parameters<typeof libelleIndicateur>[0];
  optionsPerimetre: OptionsPerimetre;
  erreurs: Erreurs;
}) {
  return (
    <Fieldset
      legend={
        <Title order={2} size="h4">
          Objectifs par périmètre
        </Title>
      }
    >
      <Text size="sm" mb="sm">
        Une CIA peut territorialiser ses objectifs (par exemple 25 % dans chaque commune). Un objectif vide retire l’objectif sur ce périmètre.
      </Text>
      {b.cibles_par_perimetre.length > 0 ? (
        <div className="tableau-conteneur">
          <Table>
            <Table.Caption className="visuellement-cache">Objectifs par périmètre</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Indicateur</Table.Th>
                <Table.Th scope="col">Type de périmètre</Table.Th>
                <Table.Th scope="col">Périmètre</Table.Th>
                <Table.Th scope="col">Objectif (%)</Table.Th>
                <Table.Th scope="col">
                  <span className="visuellement-cache">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {b.cibles_par_perimetre.map((o, i) => {
                const set = (change: Partial<typeof o>) =>
                  modifier({ cibles_par_perimetre: b.cibles_par_perimetre.map((x, j) => (j === i ? { ...x, ...change } : x)) });
                const options = optionsPerimetre(o.perimetre_type);
                return (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <NativeSelect
                        aria-label={`Indicateur de la ligne ${i + 1}`}
                        value={o.indicateur}
                        data={LEGAL_INDICATOR_IDS.map((id) => ({ value: id, label: libelleIndicateur(declarations, id) }))}
                        onChange={(e) => set({ indicateur: e.currentTarget.value })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NativeSelect
                        aria-label={`Type de périmètre de la ligne ${i + 1}`}
                        value={o.perimetre_type}
                        data={PERIMETER_TYPES.map((t) => ({ value: t, label: libellePerimetreType(t) }))}
                        onChange={(e) => set({ perimetre_type: e.currentTarget.value, perimetre_id: optionsPerimetre(e.currentTarget.value)[0]?.value ?? '' })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NativeSelect
                        aria-label={`Périmètre de la ligne ${i + 1}`}
                        value={o.perimetre_id}
                        data={options.some((x) => x.value === o.perimetre_id) ? options : [{ value: o.perimetre_id, label: o.perimetre_id }, ...options]}
                        onChange={(e) => set({ perimetre_id: e.currentTarget.value })}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        aria-label={`Objectif de la ligne ${i + 1} (%)`}
                        value={o.cible}
                        onChange={(value) => set({ cible: value })}
                        min={0}
                        max={100}
                        clampBehavior="none"
                        error={erreurs[`cibles_par_perimetre.${i}.cible`]}
                        decimalScale={2}
                        w={110}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        variant="default"
                        size="compact-sm"
                        onClick={() => modifier({ cibles_par_perimetre: b.cibles_par_perimetre.filter((_, j) => j !== i) })}
                        aria-label={`Retirer la ligne ${i + 1}`}
                      >
                        Retirer
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </div>
      ) : null}
      <Button
        variant="default"
        mt="sm"
        onClick={() =>
          modifier({
            cibles_par_perimetre: [
              ...b.cibles_par_perimetre,
              { indicateur: LEGAL_INDICATOR_IDS[0], perimetre_type: 'commune', perimetre_id: optionsPerimetre('commune')[0]?.value ?? '', cible: 25 },
            ],
          })
        }
      >
        Ajouter un objectif par périmètre
      </Button>
    </Fieldset>
  );
}
