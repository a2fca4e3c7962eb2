// The outputs that describe one event, shared by `check-ref` (the tag that
// triggered the run) and the writing commands (the main tag they created).

import type { Outputs } from '../action/outputs.js'
import { isoTime, type RegistryEvent } from '../core/events.js'
import { checkRefJson } from '../core/report.js'
import type { Repository } from './repository.js'

export async function eventOutputs(
  repo: Repository,
  event: RegistryEvent
): Promise<Outputs> {
  const annotation = await repo.annotation(event.commit, event.artifact)
  const entry = {
    event: event.event,
    name: event.artifact,
    version: event.event === 'deprecation' ? '' : (event.version ?? ''),
    stage: event.stage ?? '',
    tag: event.tag,
    commit: event.commit
  }
  return {
    ...entry,
    counter: event.counter === undefined ? '' : String(event.counter),
    message: event.message,
    author: event.author,
    'author-email': event.authorEmail,
    'created-at': isoTime(event.time, event.offset),
    type: annotation?.type ?? '',
    path: annotation?.path ?? '',
    description: annotation?.description ?? '',
    matrix: JSON.stringify({ include: [entry] }),
    json: JSON.stringify(checkRefJson(event))
  }
}
