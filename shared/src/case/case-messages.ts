import type { MessageKey } from '../i18n/zh-CN.ts';
import type { OVERRIDE_REFUSALS } from '../category/category-override.schema.ts';
import type { CaseStep } from './case-deadline.ts';
import type { RefusalReason } from './case-machine.ts';
import type { AuthRefusal, CasePost, RuledCommand } from './case-rules.ts';

// Message keys of the engine's words, so a refusal reaches a dispatcher as a sentence in their
// language (zh-CN first). The template types fail to compile when a table lacks a key.

type AnyRefusal = RefusalReason | AuthRefusal | (typeof OVERRIDE_REFUSALS)[keyof typeof OVERRIDE_REFUSALS];

/** Message key of a refusal reason (state machine, rules or category override). */
export function refusalMessageKey(reason: AnyRefusal): MessageKey {
  return `refusal.${reason}` satisfies MessageKey;
}

/** Message key of a command's name (the console's buttons). */
export function commandMessageKey(command: RuledCommand): MessageKey {
  return `command.${command}` satisfies MessageKey;
}

/** Message key of a post's name. */
export function postMessageKey(post: CasePost): MessageKey {
  return `post.${post}` satisfies MessageKey;
}

/** Message key of a deadline step's name. */
export function stepMessageKey(step: CaseStep): MessageKey {
  return `step.${step}` satisfies MessageKey;
}
