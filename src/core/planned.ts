// What the writing rules produce: tags to create, named and worded as GTO
// would, or the events whose tags to delete. Shared by every command's rules.

import type { RegistryEvent } from './events.js'
import { defaultMessage } from './messages.js'
import { formatTag, nextCounter, type Action } from './tags.js'

export class PlanError extends Error {}

export interface PlannedTag {
  action: Action
  tag: string
  name: string
  version?: string
  stage?: string
  counter?: number
  commit: string
  message: string
}

/** What a command changes: tags to create, or (with `delete`) to delete. */
export type Change =
  | { kind: 'create'; tags: PlannedTag[] }
  | { kind: 'delete'; action: Action; events: RegistryEvent[] }

export interface Draft {
  action: Action
  name: string
  version?: string
  stage?: string
  commit: string
  message?: string
}

/** A tag to create: the counter from the artifact's tags, GTO's message. */
export function planned(
  tagNames: ReadonlySet<string>,
  simple: boolean,
  draft: Draft
): PlannedTag {
  const counter = simple ? undefined : nextCounter(tagNames, draft.name)
  const tag = formatTag({ ...draft, counter })
  if (tagNames.has(tag)) {
    throw new PlanError(
      `Tag ${tag} already exists. Use the counter form ('simple: false') ` +
        'or delete the old tag first.'
    )
  }
  return {
    action: draft.action,
    tag,
    name: draft.name,
    version: draft.version,
    stage: draft.stage,
    counter,
    commit: draft.commit,
    message: draft.message || defaultMessage(draft.action, draft)
  }
}

/** The events whose tags to delete, oldest first; none is an error. */
export function deletion(
  action: Action,
  events: RegistryEvent[],
  nothing: string
): Change {
  if (events.length === 0) throw new PlanError(nothing)
  const sorted = [...events].sort((a, b) => a.time - b.time || a.seq - b.seq)
  return { kind: 'delete', action, events: sorted }
}

export function created(tags: PlannedTag[]): Change {
  return { kind: 'create', tags }
}
