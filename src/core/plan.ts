// GTO's writing rules: given the registry and a request, the tags to create.
// Pure, so every rule is tested without git; errors are user errors.

import { defaultMessage } from './messages.js'
import { FIRST_VERSION, bumpVersion, type Bump } from './names.js'
import type { RegistryEvent } from './events.js'
import {
  activeStages,
  artifactOf,
  findVersion,
  latestActiveVersion,
  versionAtCommit,
  type ArtifactState,
  type Registry,
  type VersionState
} from './registry.js'
import { artifactEvents } from './views.js'
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

export interface RegisterRequest {
  name: string
  commit: string
  version?: string
  bump?: Bump
  force?: boolean
  /** Simple form `name@vX.Y.Z` (GTO's default for register). */
  simple?: boolean
  message?: string
}

export interface AssignRequest {
  name: string
  stage: string
  /** Assign an existing version; excludes `commit`. */
  version?: string
  /** Assign whatever version is (or gets registered) at this commit. */
  commit?: string
  /** With `commit`: the version to register there when it has none. */
  registerVersion?: string
  bump?: Bump
  force?: boolean
  /** Simple form `name#stage` (GTO's default for assign is the counter). */
  simple?: boolean
  skipRegistration?: boolean
  message?: string
  /** The stages `.gto` allows; undefined when any valid name is allowed. */
  allowedStages?: string[]
}

/** The registration tag for a request, following GTO's `register`. */
export function planRegister(
  registry: Registry,
  tagNames: ReadonlySet<string>,
  req: RegisterRequest
): PlannedTag {
  const artifact = artifactOf(registry, req.name)
  const atCommit = versionAtCommit(artifact, req.commit)
  let version = req.version

  if (atCommit) {
    if (atCommit.active && atCommit.registrations.length > 0 && !req.force) {
      throw new PlanError(
        `Commit ${req.commit} already has version ${atCommit.version} of ` +
          `'${req.name}'. Assign a stage to it instead, or set 'force: true' ` +
          'to register it again.'
      )
    }
    if (version && version !== atCommit.version) {
      throw new PlanError(
        `Commit ${req.commit} already has version ${atCommit.version} of ` +
          `'${req.name}', so only ${atCommit.version} can be registered ` +
          `there, not ${version}. Give another 'ref', or leave 'version' empty.`
      )
    }
    version = atCommit.version
  }

  if (version) {
    const existing = findVersion(artifact, version)
    if (existing && existing !== atCommit) {
      throw new PlanError(
        `Version ${version} of '${req.name}' is already registered at ` +
          `commit ${existing.commit}. Choose another 'version', or use ` +
          "'bump' to take the next one."
      )
    }
  } else {
    const latest = latestActiveVersion(artifact)
    if (latest) version = bumpVersion(latest.version, req.bump ?? 'patch')
    else if (req.bump) {
      throw new PlanError(
        `'${req.name}' has no registered version yet, so 'bump: ` +
          `${req.bump}' has nothing to bump. Leave 'bump' empty to ` +
          `register ${FIRST_VERSION}, or give a 'version'.`
      )
    } else version = FIRST_VERSION
  }

  return planned(tagNames, req.simple ?? true, {
    action: 'register',
    name: req.name,
    version,
    commit: req.commit,
    message: req.message
  })
}

/**
 * The tags an assignment creates: the assignment, preceded by a registration
 * when the commit had no version. Both must land together.
 */
export function planAssign(
  registry: Registry,
  tagNames: ReadonlySet<string>,
  req: AssignRequest
): PlannedTag[] {
  checkStageAllowed(req.stage, req.allowedStages)
  const artifact = artifactOf(registry, req.name)
  const tags: PlannedTag[] = []
  let version: string
  let commit: string
  let held: string[] = []

  if (req.commit === undefined) {
    const found = req.version ? findVersion(artifact, req.version) : undefined
    if (!found) {
      throw new PlanError(
        `Version ${req.version} of '${req.name}' is not registered. ` +
          "Register it first, or give the commit as 'ref' to register and " +
          'assign in one step.'
      )
    }
    version = found.version
    commit = found.commit
    held = activeStages(found)
  } else {
    commit = req.commit
    const found = versionAtCommit(artifact, commit)
    if (found) {
      if (req.registerVersion && req.registerVersion !== found.version) {
        throw new PlanError(
          `Commit ${commit} already has version ${found.version} of ` +
            `'${req.name}', not ${req.registerVersion}. Leave 'version' ` +
            `empty to assign ${found.version}, or give another 'ref'.`
        )
      }
      version = found.version
      held = activeStages(found)
    } else if (req.skipRegistration) {
      if (req.registerVersion) {
        throw new PlanError(
          "'version' and 'skip-registration: true' contradict each other: " +
            'give a version to register, or skip registration.'
        )
      }
      // GTO names an unregistered commit by its SHA and does not check
      // whether it already holds the stage.
      version = commit
    } else {
      const registration = planRegister(registry, tagNames, {
        name: req.name,
        commit,
        version: req.registerVersion,
        bump: req.bump,
        simple: true
      })
      tags.push(registration)
      version = registration.version as string
    }
  }

  if (!req.force && held.includes(req.stage)) {
    throw new PlanError(
      `Version ${version} of '${req.name}' is already in stage ` +
        `'${req.stage}'. Set 'force: true' to assign it again.`
    )
  }

  tags.push(
    planned(tagNames, req.simple ?? false, {
      action: 'assign',
      name: req.name,
      version,
      stage: req.stage,
      commit,
      message: req.message
    })
  )
  return tags
}

export function checkStageAllowed(
  stage: string,
  allowed: string[] | undefined
): void {
  if (allowed === undefined || allowed.includes(stage)) return
  if (allowed.length === 0) {
    throw new PlanError(
      `Stage '${stage}' is not allowed: .gto lists no stages ('stages: []'), ` +
        'so none can be assigned. Add the stage to .gto.'
    )
  }
  throw new PlanError(
    `Stage '${stage}' is not allowed: .gto lists ${allowed.join(', ')}. ` +
      'Use one of them, or add the stage to .gto.'
  )
}

interface Draft {
  action: Action
  name: string
  version?: string
  stage?: string
  commit: string
  message?: string
}

function planned(
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

/** What a command changes: tags to create, or (with `delete`) to delete. */
export type Change =
  | { kind: 'create'; tags: PlannedTag[] }
  | { kind: 'delete'; action: Action; events: RegistryEvent[] }

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

function deletion(
  action: Action,
  events: RegistryEvent[],
  nothing: string
): Change {
  if (events.length === 0) throw new PlanError(nothing)
  const sorted = [...events].sort((a, b) => a.time - b.time || a.seq - b.seq)
  return { kind: 'delete', action, events: sorted }
}

function created(tags: PlannedTag[]): Change {
  return { kind: 'create', tags }
}
