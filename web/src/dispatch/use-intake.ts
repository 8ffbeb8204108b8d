import type { AddressHit, GridId } from '@gcc/shared';
import { useQuery } from '@tanstack/react-query';
import type { GridIndex } from '@gcc/shared/geo';
import { useCallback, useState } from 'react';
import { useTRPC } from '../app/trpc.ts';
import type { PickedPoint } from './IntakeForm.tsx';

/**
 * 受理登记: while the form is open it replaces the case panel; the place comes from the address
 * search (the map pans there) or from a click on the map (the nearest address is named). Either
 * way the grid is found as the server will find it. Once subclass and place are known, the open
 * cases the report would duplicate are asked for, and with a 12345 ticket the case already
 * registered for it.
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
  /** Where the map should pan (a new object each time a search hit is chosen). */
  const [pan, setPan] = useState<{ lng: number; lat: number } | null>(null);
  const [draft, setDraft] = useState<{ category: string; ticket: string | null } | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const toggle = useCallback(
    (on: boolean) => {
      setOpen(on);
      setPlaced(null);
      setPan(null);
      setRefusal(null);
      if (on) onOpen();
    },
    [onOpen],
  );

  const gridAt = useCallback(
    (lng: number, lat: number) => {
      const id = gridIndex?.locate(lng, lat) ?? null;
      return id === null ? null : gridName(id);
    },
    [gridIndex, gridName],
  );

  /** A click on the map: the point, its grid, and (asked below) the nearest address. */
  const place = useCallback(
    (lng: number, lat: number) => setPlaced({ lng, lat, gridName: gridAt(lng, lat), address: null }),
    [gridAt],
  );

  /** A hit of the address search: the point and its name; the map pans there. */
  const placeAt = useCallback(
    (hit: AddressHit) => {
      setPlaced({ lng: hit.lng, lat: hit.lat, gridName: gridAt(hit.lng, hit.lat), address: hit.name });
      setPan({ lng: hit.lng, lat: hit.lat });
    },
    [gridAt],
  );

  const clicked = placed && placed.address === null ? { lng: placed.lng, lat: placed.lat } : null;
  const nearest = useQuery({
    ...trpc.address.nearest.queryOptions(clicked ?? { lng: 0, lat: 0 }),
    enabled: open && clicked !== null,
    staleTime: 60_000,
  });

  const ticket = draft?.ticket ?? null;
  const draftInput =
    draft && placed && placed.gridName !== null
      ? { category: draft.category, lng: placed.lng, lat: placed.lat, ...(ticket ? { ticket } : {}) }
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
    /** The address point nearest to a clicked place (null: none within 300 m; undefined: not known yet). */
    nearest: clicked ? (nearest.data ? nearest.data.nearest : undefined) : undefined,
    place,
    placeAt,
    pan,
    setDraft,
    duplicates: draftInput && duplicates.data ? duplicates.data.items : [],
    sameTicket: draftInput && duplicates.data ? duplicates.data.sameTicket : [],
    refusal,
    setRefusal,
  };
}
