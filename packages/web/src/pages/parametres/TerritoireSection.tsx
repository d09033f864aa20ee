import { Checkbox, Fieldset, NumberInput, SimpleGrid, TextInput, Title } from '@mantine/core';
import type { Brouillon, Erreurs } from './brouillon.ts';

/** The territory's EPCI, the statistical secrecy threshold, the consumption units and the assimilated sectors. */
export function TerritoireSection({ b, modifier, erreurs }: { b: Brouillon; modifier: (change: Partial<Brouillon>) => void; erreurs: Erreurs }) {
  return (
    <Fieldset
      legend={
        <Title order={2} size="h4">
          Territoire, quartiers et unités de consommation
        </Title>
      }
    >
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <TextInput
          label="SIREN de l’EPCI"
          description="vide : l’EPCI unique des communes"
          value={b.code_epci}
          onChange={(e) => modifier({ code_epci: e.currentTarget.value })}
        />
        <NumberInput
          label="Seuil du secret statistique (ménages)"
          description="les cellules en dessous sont masquées dans les tableaux publiés"
          value={b.secret_statistique}
          onChange={(value) => modifier({ secret_statistique: value })}
          min={1}
          clampBehavior="none"
          error={erreurs.secret_statistique}
          allowDecimal={false}
        />
        <NumberInput label="UC : première personne" value={b.uc.premiere_personne} onChange={(v) => modifier({ uc: { ...b.uc, premiere_personne: v } })} min={0} decimalScale={3} />
        <NumberInput
          label="UC : autre personne de 14 ans ou plus"
          value={b.uc.autre_14_ans_et_plus}
          onChange={(v) => modifier({ uc: { ...b.uc, autre_14_ans_et_plus: v } })}
          min={0}
          decimalScale={3}
        />
        <NumberInput label="UC : enfant de moins de 14 ans" value={b.uc.moins_14_ans} onChange={(v) => modifier({ uc: { ...b.uc, moins_14_ans: v } })} min={0} decimalScale={3} />
      </SimpleGrid>
      <Checkbox
        mt="md"
        label="Compter les secteurs assimilés (qpv.csv, assimile = 1) comme des QPV"
        checked={b.assimiles_comme_qpv}
        onChange={(e) => modifier({ assimiles_comme_qpv: e.currentTarget.checked })}
      />
    </Fieldset>
  );
}
