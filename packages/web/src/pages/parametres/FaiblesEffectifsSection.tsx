import { Checkbox, Fieldset, NumberInput, Text, Title } from '@mantine/core';
import type { Brouillon, Erreurs } from './brouillon.ts';

/**
 * Low counts: the minimum denominator under which a rate is marked « faible effectif » (1 / 1 = 100 % says nothing),
 * and whether such rates count among the targets met or missed in the summaries (dashboard, bilan).
 */
export function FaiblesEffectifsSection({ b, modifier, erreurs }: { b: Brouillon; modifier: (change: Partial<Brouillon>) => void; erreurs: Erreurs }) {
  return (
    <Fieldset
      legend={
        <Title order={2} size="h4">
          Faibles effectifs
        </Title>
      }
    >
      <Text size="sm" mb="sm">
        Sous ce nombre de ménages au dénominateur, un taux est marqué « faible effectif » : un seul ménage le ferait varier de plusieurs points. 20 par défaut (un
        ménage = 5 points).
      </Text>
      <NumberInput
        label="Effectif minimum d’un taux jugé (ménages)"
        description="de 1 (aucun taux marqué) à 10 000"
        value={b.effectif_minimum}
        onChange={(value) => modifier({ effectif_minimum: value })}
        min={1}
        max={10000}
        clampBehavior="none"
        error={erreurs.effectif_minimum}
        allowDecimal={false}
        maw={360}
      />
      <Checkbox
        mt="md"
        label="Compter les taux à faible effectif parmi les objectifs atteints ou manqués des synthèses"
        checked={b.compter_faibles_effectifs}
        onChange={(e) => modifier({ compter_faibles_effectifs: e.currentTarget.checked })}
      />
    </Fieldset>
  );
}
