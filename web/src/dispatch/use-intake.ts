import type { GridId } from '@gcc/shared';
import { useQuery } from '@tanstack/react-query';
import type { GridIndex } from '@gcc/shared/geo';
import { useCallback, useState } from 'react';
import { useTRPC } from '../app/trpc.ts';
import type { PickedPoint } from './IntakeForm.tsx';

/**
 * 受理登记: while the form is open it replaces the case panel and a click on the map places the
 * report in its grid (found as the server will find it). Once subclass and place are known, the
 * open cases the report would duplicate are asked for.
 */
export function useIntake({
  gridIndex,
  gridName,
  onOpen,
}: {
  gridIndex: GridIndex | null;
  gridName(id: GridId): string;
  /** The form opens: any action form closes. */
  onOpen(): void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [placed, setPlaced] = useState<PickedPoint | null>(null);
  const [draft, setDraft] = useState<{ category: string } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const toggle = useCallback(
    (on: boolean) => {
      setOpen(on);
      setPlaced(null);
      setRefusal(null);
      if (on) onOpen();
    },
    [onOpen],
  );

  const place = useCallback(
    (lng: number, lat: number) => {
      const id = gridIndex?.locate(lng, lat) ?? null;
      setPlaced({ lng, lat, gridName: id === null ? null : gridName(id) });
    },
    [gridIndex, gridName],
  );

  const draftInput =
    draft && placed && placed.gridName !== null
      ? { category: draft.category, lng: placed.lng, lat: placed.lat }
      : null;
  const duplicates = useQuery({
    ...trpc.cases.duplicates.queryOptions(draftInput ?? { caseId: 1 }),
    enabled: open && draftInput !== null,
    staleTime: 10_000,
  });

  return {
    open,
    /** Opens or closes the form; either way it starts empty. */
    toggle,
    placed,
    place,
    setDraft,
    duplicates: draftInput && duplicates.data ? duplicates.data.items : [],
    refusal,
    setRefusal,
  };
}
