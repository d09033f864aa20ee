import { Button, Checkbox, Group, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import type { GouvernanceApi, ReunionApi } from '@mixite/contract';
import { useState } from 'react';
import { libellePartenaire } from '../../lib/partenaires.ts';
import { useTerritoire } from '../../lib/territoire.tsx';

/** What the form sends: the body of POST /api/programme/reunions and PUT /api/programme/reunions/{id}. */
export interface SaisieReunion {
  instance_id: number;
  date: string;
  ordre_du_jour: string;
  compte_rendu: string | null;
  documents: string[];
  decisions: { texte: string; fiches: number[] }[];
  presents: string[];
}

interface DecisionEditee {
  texte: string;
  /** The fiches as typed: « 1, 4 ». */
  fiches: string;
}

/** « 1, 4 ; 7 » → [1, 4, 7]; null when a piece is not a number (the form says so before sending). */
export function lireNumeros(texte: string): number[] | null {
  const morceaux = texte.split(/[,;\s]+/).filter((m) => m !== '');
  if (morceaux.some((m) => !/^\d+$/.test(m))) return null;
  return morceaux.map(Number);
}

/**
 * Records a meeting of an instance or rewrites it (its minutes and decisions come after it): date, agenda, minutes,
 * documents presented (one a line), decisions each with the fiches it concerns, the member organisations present.
 */
export function FormulaireReunion({
  gouvernance,
  reunion,
  envoi,
  onEnvoyer,
}: {
  gouvernance: GouvernanceApi;
  reunion: ReunionApi | null;
  envoi: boolean;
  onEnvoyer: (saisie: SaisieReunion) => void;
}) {
  const perimetres = useTerritoire().data?.perimetres;
  const [instanceId, setInstanceId] = useState(String(reunion?.instance_id ?? gouvernance.instances[0]?.id ?? ''));
  const [date, setDate] = useState(reunion?.date ?? '');
  const [ordre, setOrdre] = useState(reunion?.ordre_du_jour ?? '');
  const [compteRendu, setCompteRendu] = useState(reunion?.compte_rendu ?? '');
  const [documents, setDocuments] = useState((reunion?.documents ?? []).join('\n'));
  const [decisions, setDecisions] = useState<DecisionEditee[]>((reunion?.decisions ?? []).map((d) => ({ texte: d.texte, fiches: d.fiches.join(', ') })));
  const [presents, setPresents] = useState<string[]>([...(reunion?.presents ?? [])]);
  const instance = gouvernance.instances.find((i) => String(i.id) === instanceId);
  const fichesIllisibles = decisions.some((d) => lireNumeros(d.fiches) === null);

  const envoyer = () =>
    onEnvoyer({
      instance_id: Number(instanceId),
      date,
      ordre_du_jour: ordre,
      compte_rendu: compteRendu.trim() === '' ? null : compteRendu,
      documents: documents
        .split('\n')
        .map((d) => d.trim())
        .filter((d) => d !== ''),
      decisions: decisions.filter((d) => d.texte.trim() !== '').map((d) => ({ texte: d.texte, fiches: lireNumeros(d.fiches) ?? [] })),
      presents: presents.filter((p) => instance?.membres.includes(p)),
    });

  return (
    <Stack gap="sm">
      <Group align="flex-end">
        <NativeSelect label="Instance" value={instanceId} data={gouvernance.instances.map((i) => ({ value: String(i.id), label: i.nom }))} onChange={(e) => setInstanceId(e.currentTarget.value)} />
        <TextInput label="Date de la réunion" type="date" value={date} onChange={(e) => setDate(e.currentTarget.value)} required />
      </Group>
      <Textarea label="Ordre du jour" value={ordre} onChange={(e) => setOrdre(e.currentTarget.value)} autosize minRows={2} required />
      <Textarea label="Compte rendu" value={compteRendu} onChange={(e) => setCompteRendu(e.currentTarget.value)} autosize minRows={3} />
      <Textarea label="Documents présentés (un par ligne)" value={documents} onChange={(e) => setDocuments(e.currentTarget.value)} autosize minRows={1} />
      {instance && instance.membres.length > 0 ? (
        <Checkbox.Group label="Organisations présentes" value={presents} onChange={setPresents}>
          <Group mt="xs">
            {instance.membres.map((m) => (
              <Checkbox key={m} value={m} label={libellePartenaire(m, perimetres)} />
            ))}
          </Group>
        </Checkbox.Group>
      ) : null}
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend style={{ fontWeight: 700 }}>Décisions</legend>
        <Stack gap="xs">
          {decisions.map((d, i) => (
            <Group key={i} align="flex-end">
              <Textarea
                label={`Décision ${i + 1}`}
                value={d.texte}
                onChange={(e) => {
                  const texte = e.currentTarget.value;
                  setDecisions((ds) => ds.map((x, j) => (j === i ? { ...x, texte } : x)));
                }}
                autosize
                minRows={1}
                style={{ flex: 1 }}
              />
              <TextInput
                label={`Fiches concernées par la décision ${i + 1}`}
                description="Numéros séparés par des virgules"
                value={d.fiches}
                error={lireNumeros(d.fiches) === null ? 'numéros de fiches attendus, par exemple « 1, 4 »' : undefined}
                onChange={(e) => {
                  const fiches = e.currentTarget.value;
                  setDecisions((ds) => ds.map((x, j) => (j === i ? { ...x, fiches } : x)));
                }}
              />
            </Group>
          ))}
          <Group>
            <Button variant="outline" onClick={() => setDecisions((ds) => [...ds, { texte: '', fiches: '' }])}>
              Ajouter une décision
            </Button>
          </Group>
        </Stack>
      </fieldset>
      <Group>
        <Button disabled={envoi || !instance || date === '' || ordre.trim() === '' || fichesIllisibles} onClick={envoyer}>
          {reunion ? 'Enregistrer les modifications' : 'Enregistrer la réunion'}
        </Button>
      </Group>
    </Stack>
  );
}
