import { Button, Stack, Title } from '@mantine/core';
import type { ImportReport, Tableau } from '@mixite/server/contract';
import { useEffect, useRef, useState } from 'react';
import { DataTable } from '../../components/DataTable.tsx';
import { Chargement, Erreur } from '../../components/Etat.tsx';
import { lire } from '../../lib/api.ts';
import { lecture } from '../../lib/client.ts';
import type { ApiState } from '../../lib/use-api.ts';
import { RapportImport } from './RapportImport.tsx';

/** The history of imports; each report (errors, warnings, counts, files, who, when) reopens below the table. */
export function HistoriqueImports({ historique }: { historique: ApiState<Tableau> }) {
  const [ouvert, setOuvert] = useState<ImportReport | null>(null);
  const [erreur, setErreur] = useState<Error | null>(null);
  const rapportRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (ouvert) rapportRef.current?.focus();
  }, [ouvert]);

  const ouvrir = async (id: number) => {
    setErreur(null);
    try {
      // The stored report was written before its number was known: the history's number is the import's.
      setOuvert({ ...(await lire(lecture('/api/imports/{id}', { params: { id } }))), importId: id });
    } catch (error) {
      setErreur(error as Error);
    }
  };

  return (
    <Stack gap="sm">
      <Title order={2} id="titre-historique" size="h3">
        Historique des imports
      </Title>
      {historique.error ? <Erreur error={historique.error} /> : null}
      {historique.data ? (
        <DataTable
          tableau={historique.data}
          legende={historique.data.titre}
          vide="Aucun import."
          actions={[
            {
              cle: 'rapport',
              libelle: 'Rapport',
              rendu: (l) => {
                const id = Number((l as { id?: unknown }).id);
                return (
                  <Button size="compact-xs" variant="default" onClick={() => void ouvrir(id)}>
                    Ouvrir<span className="visuellement-cache"> le rapport de l’import n° {id}</span>
                  </Button>
                );
              },
            },
          ]}
        />
      ) : (
        <Chargement quoi="de l’historique" />
      )}
      {erreur ? <Erreur error={erreur} titre="Rapport indisponible" /> : null}
      <div ref={rapportRef} tabIndex={-1} style={{ outline: 'none' }}>
        {ouvert ? <RapportImport rapport={ouvert} titre={`Rapport de l’import n° ${ouvert.importId ?? ''}`} mode="import" /> : null}
      </div>
    </Stack>
  );
}
