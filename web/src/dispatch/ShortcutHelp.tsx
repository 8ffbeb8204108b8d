import type { RuledCommand } from '@gcc/shared';
import { useT } from '../app/i18n.tsx';
import { ACTIONS } from './CaseActions.tsx';

/** The keys of use-desk-keys.ts this desk has (`?`); a click closes it. */
export function ShortcutHelp({
  commands,
  canReport,
  onClose,
}: {
  commands: ReadonlySet<RuledCommand>;
  canReport: boolean;
  onClose(): void;
}) {
  const t = useT();
  return (
    <div className="dkeys" data-testid="shortcuts" onClick={onClose}>
      <span>{t('dispatch.key.nav')}</span>
      {canReport ? <span>{t('dispatch.key.intake')}</span> : null}
      {commands.has('dispatch') ? <span>{t('dispatch.key.pick')}</span> : null}
      {commands.has('dispatch') ? <span>{t('dispatch.key.assign')}</span> : null}
      {ACTIONS.filter((a) => a.command !== 'dispatch' && commands.has(a.command)).map((a) => (
        <span key={a.command}>
          <kbd>{a.key}</kbd> {t(`command.${a.command}`)}
        </span>
      ))}
      {commands.has('dispatch') ? (
        <span>
          <kbd>S</kbd> {t('dispatch.surge')}
        </span>
      ) : null}
      <span>
        <kbd>Esc</kbd> {t('dispatch.cancel')}
      </span>
    </div>
  );
}
