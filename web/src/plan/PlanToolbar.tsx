import type { MessageKey } from '@gcc/shared/messages';
import { useT } from '../app/i18n.tsx';
import { MODE_KEYS, PLAN_MODES, type PlanMode } from './plan-keys.ts';
import type { HistoryState } from './plan.protocol.ts';

/** The editing modes with their keys, undo/redo, and the hint of the mode in use. */
export function PlanToolbar({
  mode,
  onMode,
  history,
  onUndo,
  onRedo,
  onCommunity,
  onFit,
  hasSelection,
  unlock,
  hint,
}: {
  mode: PlanMode;
  onMode(m: PlanMode): void;
  history: HistoryState;
  onUndo(): void;
  onRedo(): void;
  onCommunity(): void;
  onFit(): void;
  hasSelection: boolean;
  /** Null when this planner may not move any parent border (the toggle is not shown). */
  unlock: { on: boolean; toggle(): void } | null;
  hint: string;
}) {
  const t = useT();
  return (
    <div className="plan-toolbar" role="toolbar" aria-label={t('plan.modes')} data-testid="plan-toolbar">
      <div className="plan-modes">
        {PLAN_MODES.map((m) => (
          <button
            key={m}
            type="button"
            className={`btn ${mode === m ? 'active' : 'ghost'}`}
            aria-pressed={mode === m}
            onClick={() => onMode(m)}
            data-testid={`plan-mode-${m}`}
          >
            {t(`plan.mode.${m}` as MessageKey)} <kbd>{MODE_KEYS[m]}</kbd>
          </button>
        ))}
      </div>
      <div className="plan-history">
        <button
          type="button"
          className="btn ghost"
          onClick={onCommunity}
          disabled={!hasSelection}
          data-testid="plan-community"
        >
          {t('plan.community')} <kbd>G</kbd>
        </button>
        {unlock ? (
          <button
            type="button"
            className={`btn ${unlock.on ? 'warn' : 'ghost'}`}
            aria-pressed={unlock.on}
            onClick={unlock.toggle}
            data-testid="plan-unlock"
          >
            {t(unlock.on ? 'plan.unlocked' : 'plan.unlock')} <kbd>U</kbd>
          </button>
        ) : null}
        <button type="button" className="btn ghost" onClick={onFit} disabled={!hasSelection}>
          {t('plan.fit')} <kbd>F</kbd>
        </button>
        <button
          type="button"
          className="btn ghost"
          onClick={onUndo}
          disabled={!history.canUndo}
          data-testid="plan-undo"
        >
          {t('plan.undo')} <kbd>Ctrl+Z</kbd>
        </button>
        <button
          type="button"
          className="btn ghost"
          onClick={onRedo}
          disabled={!history.canRedo}
          data-testid="plan-redo"
        >
          {t('plan.redo')} <kbd>Ctrl+Y</kbd>
        </button>
      </div>
      <p className="plan-hint" data-testid="plan-hint">
        {hint}
      </p>
    </div>
  );
}

/** The keys besides the modes, as plan-keys.ts maps them. */
const HELP_KEYS: [string[], MessageKey][] = [
  [['G'], 'plan.key.community'],
  [['F'], 'plan.key.fit'],
  [['U'], 'plan.key.unlock'],
  [['Ctrl+Z'], 'plan.key.undo'],
  [['Ctrl+Y', 'Ctrl+Shift+Z'], 'plan.key.redo'],
  [['Ctrl+S'], 'plan.key.save'],
  [['Enter'], 'plan.key.finish'],
  [['Backspace'], 'plan.key.back'],
  [['Esc'], 'plan.key.cancel'],
  [['?'], 'plan.key.help'],
];

/** The planner's keys (`?`), like the dispatch console's list; a click closes it. */
export function PlanShortcutHelp({ onClose }: { onClose(): void }) {
  const t = useT();
  return (
    <div className="dkeys" data-testid="plan-shortcuts" onClick={onClose}>
      {PLAN_MODES.map((m) => (
        <span key={m}>
          <kbd>{MODE_KEYS[m]}</kbd> {t(`plan.mode.${m}` as MessageKey)}
        </span>
      ))}
      {HELP_KEYS.map(([keys, label]) => (
        <span key={label}>
          {keys.map((k, i) => (
            <span key={k}>
              {i ? ' / ' : null}
              <kbd>{k}</kbd>
            </span>
          ))}{' '}
          {t(label)}
        </span>
      ))}
    </div>
  );
}
