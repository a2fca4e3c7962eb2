// `show` and `history`: read the registry and report it in GTO's shapes,
// with a matrix of stage holders for deploy jobs.

import type { Outputs } from '../action/outputs.js'
import { artifactOf } from '../core/registry.js'
import {
  history as historyOf,
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
  return {
    name: s.name,
    json: JSON.stringify(historyOf(registry, s.name || undefined))
  }
}

function unknown(name: string): UserError {
  return new UserError(
    `Artifact '${name}' has no tags in this repository. Check 'name' ` +
      "(use 'dir:name' for an artifact in dir/dvc.yaml), or leave it empty " +
      'to read the whole registry.'
  )
}
