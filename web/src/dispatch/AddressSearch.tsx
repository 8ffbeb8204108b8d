import type { AddressHit } from '@gcc/shared';
import { MAX_ADDRESS_QUERY } from '@gcc/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useT } from '../app/i18n.tsx';
import { useTRPC } from '../app/trpc.ts';
import { explainError } from '../format/refusal.ts';

/** Typing pauses this long before the gazetteer is asked (a 12345 operator types fast). */
const TYPING_PAUSE_MS = 150;

/**
 * 地址搜索: type a part of a road, house number, compound, community or place name; the list
 * under the field offers the gazetteer's hits inside the desk's jurisdiction (↑ ↓ to move, Enter
 * or a click to choose, Esc to close the list). Choosing one places the report there.
 */
export function AddressSearch({ onChoose }: { onChoose(hit: AddressHit): void }) {
  const t = useT();
  const trpc = useTRPC();
  const listId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  useEffect(() => {
    const id = setTimeout(() => {
      setQuery(text.trim());
      setActive(0);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(id);
  }, [text]);
  const found = useQuery({
    ...trpc.address.search.queryOptions({ q: query || '-', limit: 10 }),
    enabled: query.length > 0,
    staleTime: 60_000,
  });
  const hits = query && found.data ? found.data.items : [];
  // A refused search says why (a first start still writing its address points: address-points-loading).
  const refused = query && found.error ? explainError(found.error, t).text : null;

  const choose = (hit: AddressHit) => {
    setText(hit.name);
    setOpen(false);
    onChoose(hit);
  };

  return (
    <div className="addr-search" data-testid="address-search">
      <label className="da-line">
        <span>{t('intake.address')}</span>
        <input
          name="address"
          type="search"
          autoComplete="off"
          role="combobox"
          aria-expanded={open && hits.length > 0}
          aria-controls={listId}
          maxLength={MAX_ADDRESS_QUERY}
          value={text}
          placeholder={t('intake.addressPlaceholder')}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            // The list's keys stay in the list: Enter chooses instead of sending the form, Esc closes the list, not the form.
            if (!open || hits.length === 0) return;
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              const step = e.key === 'ArrowDown' ? 1 : -1;
              setActive((a) => (a + step + hits.length) % hits.length);
            } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
              e.preventDefault();
              const hit = hits[active];
              if (hit) choose(hit);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              setOpen(false);
            }
          }}
        />
      </label>
      {open && query && found.data ? (
        <ul className="addr-hits" id={listId} role="listbox" data-testid="address-hits">
          {hits.map((h, i) => (
            <li
              key={`${h.kind}-${h.name}-${h.lng}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // mousedown, not click: the input's blur would close the list first.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(h);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className={`addr-kind k-${h.kind}`}>{t(`address.kind.${h.kind}`)}</span>
              <span className="addr-name">{h.name}</span>
              {h.nearby ? <span className="addr-nearby">{t('intake.addressNearby')}</span> : null}
              <span className="addr-area">{h.area}</span>
            </li>
          ))}
          {hits.length === 0 ? <li className="addr-none">{t('intake.addressNone')}</li> : null}
        </ul>
      ) : null}
      {refused ? (
        <p className="field-note late" role="alert" data-testid="address-refused">
          {refused}
        </p>
      ) : null}
    </div>
  );
}
