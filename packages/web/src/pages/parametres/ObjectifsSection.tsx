import { Fieldset, NumberInput, SimpleGrid, Text, Title } from '@mantine/core';
import { TARGET_IDS } from '@mixite/core';
import type { Brouillon, Erreurs } from './brouillon.ts';

/** The CIA's targets, one field per target of the declarations (percentages; empty = no target). */
export function ObjectifsSection({
  b,
  modifier,
  libelleCible,
  erreurs,
}: {
  b: Brouillon;
  modifier: (change: Partial<Brouillon>) => void;
  libelleCible: (id: string) => string;
  erreurs: Erreurs;
}) {
  return (
    <Fieldset
      legend={
        <Title order={2} size="h4">
          Objectifs d’attribution
        </Title>
      }
    >
      <Text size="sm" mb="sm">
        En pourcentage ; laisser vide pour ne pas fixer d’objectif.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {TARGET_IDS.map((id) => (
          <NumberInput
            key={id}
            label={libelleCible(id)}
            value={b.cibles[id]}
            onChange={(value) => modifier({ cibles: { ...b.cibles, [id]: value } })}
            min={0}
            max={100}
            // Never clamped: a value out of range stays as typed and is refused on the field.
            clampBehavior="none"
            error={erreurs[`cibles.${id}`]}
            decimalScale={2}
            rightSection="%"
            allowNegative={false}
          />
        ))}
      </SimpleGrid>
    </Fieldset>
  );
}
