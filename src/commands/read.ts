// `show` and `history`: read the registry and report it in GTO's shapes,
// with a matrix of stage holders for deploy jobs.

import * as core from '@actions/core'
import type { Outputs } from '../action/outputs.js'
import { artifactOf } from '../core/registry.js'
import {
  history as historyOf,
  type HistoryEntry,
  holdersMatrix,
  showArtifact,
  showRegistry,
  stageColumns
} from '../core/views.js'
import { UserError, type Repository } from './repository.js'

export async function show(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  await repo.syncTags(s.name ? { name: s.name } : undefined)
  const { registry } = await repo.snapshot(s.name || undefined)
  const options = { sort: s.sort, versionsPerStage: s.versionsPerStage }
  if (s.name && !artifactOf(registry, s.name)) throw unknown(s.name)

  const json = s.name
    ? showArtifact(registry, s.name, options)
    : showRegistry(
        registry,
        stageColumns(registry, (await repo.config()).stages),
        options
      )
  const include = holdersMatrix(registry, options, s.name || undefined)
  return {
    name: s.name,
    matrix: JSON.stringify({ include }),
    json: JSON.stringify(json)
  }
}

export async function history(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  await repo.syncTags(s.name ? { name: s.name } : undefined)
  const { registry } = await repo.snapshot(s.name || undefined)
  if (s.name && !artifactOf(registry, s.name)) throw unknown(s.name)
  const events = historyOf(registry, s.name || undefined)
  return { name: s.name, json: newestThatFit(events) }
}

// GitHub refuses step outputs over 1 MiB; keep a margin for the rest.
const OUTPUT_LIMIT = 1_000_000

/**
 * History as JSON, cut to the newest events that fit in one output: a long
 * registry's full history is megabytes (`history` with `name` narrows it).
 */
function newestThatFit(events: HistoryEntry[]): string {
  const json = JSON.stringify(events)
  if (json.length <= OUTPUT_LIMIT) return json
  let size = 2
  let count = 0
  for (const event of events) {
    size += JSON.stringify(event).length + 1
    if (size > OUTPUT_LIMIT) break
    count++
  }
  core.warning(
    `The history has ${events.length} events, too many for one output: ` +
      `'json' holds the newest ${count}. Give 'name' to read one artifact's.`
  )
  return JSON.stringify(events.slice(0, count))
}

function unknown(name: string): UserError {
  return new UserError(
    `Artifact '${name}' has no tags in this repository. Check 'name' ` +
      "(use 'dir:name' for an artifact in dir/dvc.yaml), or leave it empty " +
      'to read the whole registry.'
  )
}
