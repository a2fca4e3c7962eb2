// GTO's rules for the commands that take something back: unassign,
// deregister and deprecate, each of which can also delete tags instead.

import type { RegistryEvent } from './events.js'
import {
  artifactOf,
  findVersion,
  versionAtCommit,
  type ArtifactState,
  type Registry,
  type VersionState
} from './registry.js'
import { artifactEvents } from './views.js'
import {
  PlanError,
  created,
  deletion,
  planned,
  type Change
} from './planned.js'

export interface UnassignRequest {
  name: string
  stage: string
  /** The version to unassign; or `commit`, the version at that commit. */
  version?: string
  commit?: string
  force?: boolean
  simple?: boolean
  message?: string
  delete?: boolean
}

/** GTO's `unassign`: an `!` tag on the version's commit, or deletion. */
export function planUnassign(
  registry: Registry,
  tagNames: ReadonlySet<string>,
  req: UnassignRequest
): Change {
  const artifact = existingArtifact(registry, req.name)
  const version = targetVersion(artifact, req)
  const stage = version.stages.get(req.stage)
  if (!req.force && !stage) {
    throw new PlanError(
      `Stage '${req.stage}' was never assigned to version ` +
        `${version.version} of '${req.name}'. Check 'stage' and ` +
        "'version', or set 'force: true'."
    )
  }
  if (req.delete) {
    return deletion(
      'unassign',
      stage ? [...stage.assignments, ...stage.unassignments] : [],
      `'${req.name}' ${version.version} has no tags for stage ` +
        `'${req.stage}' to delete.`
    )
  }
  return created([
    planned(tagNames, req.simple ?? false, {
      action: 'unassign',
      name: req.name,
      version: version.version,
      stage: req.stage,
      commit: version.commit,
      message: req.message
    })
  ])
}

export interface DeregisterRequest {
  name: string
  version?: string
  commit?: string
  force?: boolean
  simple?: boolean
  message?: string
  delete?: boolean
}

/** GTO's `deregister`: an `@vX.Y.Z!` tag, or deletion of the version's tags. */
export function planDeregister(
  registry: Registry,
  tagNames: ReadonlySet<string>,
  req: DeregisterRequest
): Change {
  const artifact = artifactOf(registry, req.name)
  let version = req.version ? findVersion(artifact, req.version) : undefined
  if (!version && req.commit) version = versionAtCommit(artifact, req.commit)
  if (!req.force) {
    if (!version || version.registrations.length === 0) {
      throw new PlanError(
        `Version ${req.version ?? `at commit ${req.commit}`} of ` +
          `'${req.name}' is not registered, so it cannot be deregistered. ` +
          "Check 'name' and 'version'."
      )
    }
    if (!version.active) {
      throw new PlanError(
        `Version ${version.version} of '${req.name}' is already ` +
          "deregistered. Set 'force: true' to deregister it again."
      )
    }
  }
  if (req.delete) {
    return deletion(
      'deregister',
      version ? versionEvents(version) : [],
      `'${req.name}' has no tags of version ${req.version} to delete.`
    )
  }
  const name = version?.version ?? req.version
  const commit = version?.commit ?? req.commit
  if (!name || !commit) {
    throw new PlanError(
      `Version ${req.version ?? ''} of '${req.name}' has no tags, so its ` +
        "commit is unknown. Give the commit as 'ref'."
    )
  }
  return created([
    planned(tagNames, req.simple ?? true, {
      action: 'deregister',
      name: req.name,
      version: name,
      commit,
      message: req.message
    })
  ])
}

export interface DeprecateRequest {
  name: string
  /** Where the tag goes when given (`ref`). */
  commit?: string
  /** Where the tag goes for an artifact with no events (with `force`). */
  head: string
  force?: boolean
  simple?: boolean
  message?: string
  delete?: boolean
}

/** GTO's `deprecate`: an `@deprecated` tag, or deletion of every tag. */
export function planDeprecate(
  registry: Registry,
  tagNames: ReadonlySet<string>,
  req: DeprecateRequest
): Change {
  if (req.force && req.simple === true) {
    throw new PlanError(
      "'force: true' deprecates with the counter form, so it cannot be " +
        "combined with 'simple: true'. Leave 'simple' at auto or false."
    )
  }
  const artifact = artifactOf(registry, req.name)
  if (!req.force) {
    if (!artifact) throw notInRegistry(req.name)
    if (!artifact.active) {
      throw new PlanError(
        `'${req.name}' is already deprecated. Set 'force: true' to ` +
          'deprecate it again.'
      )
    }
  }
  if (req.delete) {
    return deletion(
      'deprecate',
      artifact?.events ?? [],
      `'${req.name}' has no tags to delete.`
    )
  }
  const newestEvent = artifact ? artifactEvents(artifact)[0] : undefined
  return created([
    planned(tagNames, req.force ? false : (req.simple ?? true), {
      action: 'deprecate',
      name: req.name,
      commit: req.commit ?? newestEvent?.commit ?? req.head,
      message: req.message
    })
  ])
}

function existingArtifact(registry: Registry, name: string): ArtifactState {
  const artifact = artifactOf(registry, name)
  if (!artifact) throw notInRegistry(name)
  return artifact
}

function notInRegistry(name: string): PlanError {
  return new PlanError(
    `Artifact '${name}' has no tags in this repository. Check 'name' ` +
      "(use 'dir:name' for an artifact in dir/dvc.yaml)."
  )
}

function targetVersion(
  artifact: ArtifactState,
  req: { name: string; version?: string; commit?: string }
): VersionState {
  const found = req.version
    ? findVersion(artifact, req.version)
    : versionAtCommit(artifact, req.commit as string)
  if (!found) {
    throw new PlanError(
      `'${req.name}' has no version ` +
        (req.version ? req.version : `at commit ${req.commit}`) +
        ". Check 'version' (or 'ref')."
    )
  }
  return found
}

/** Every event of a version, its stages' included, oldest first. */
function versionEvents(version: VersionState): RegistryEvent[] {
  const all = [
    ...version.registrations,
    ...version.deregistrations,
    ...[...version.stages.values()].flatMap(s => [
      ...s.assignments,
      ...s.unassignments
    ])
  ]
  return all.sort((a, b) => a.time - b.time || a.seq - b.seq)
}
