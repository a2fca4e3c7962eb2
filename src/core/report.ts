// Events as the outside world reads them: GTO's `check-ref --json` object.

import { isoTime, type RegistryEvent } from './events.js'

/** GTO's `check-ref --json` object, keys in GTO's order. */
export interface CheckRefJson {
  artifact: string
  created_at: string
  author: string
  author_email: string
  message: string
  commit_hexsha: string
  tag: string
  version?: string
  stage?: string
  event: string
}

export function checkRefJson(event: RegistryEvent): CheckRefJson {
  const json: Omit<CheckRefJson, 'event'> = {
    artifact: event.artifact,
    created_at: isoTime(event.time, event.offset),
    author: event.author,
    author_email: event.authorEmail,
    message: event.message,
    commit_hexsha: event.commit,
    tag: event.tag
  }
  if (event.event !== 'deprecation') json.version = event.version
  if (event.event === 'assignment' || event.event === 'unassignment') {
    json.stage = event.stage
  }
  // Spread last, so that `event` is the last key, as GTO prints it.
  return { ...json, event: event.event }
}
