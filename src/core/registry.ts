// The registry state: artifacts, their versions and stages, derived from the
// ordered events. Pure: the same tags always give the same state.

import { compareVersions } from './names.js'
import {
  eventOf,
  orderEvents,
  type RegistryEvent,
  type TagRecord
} from './events.js'

export interface StageState {
  stage: string
  active: boolean
  assignments: RegistryEvent[]
  unassignments: RegistryEvent[]
  /** The latest (un)assignment of this stage to this version. */
  last: RegistryEvent
}

export interface VersionState {
  artifact: string
  /** A version `vX.Y.Z`, or the commit SHA of an unregistered commit. */
  version: string
  commit: string
  /** True when no (de)registration exists: stages on an unregistered commit. */
  discovered: boolean
  active: boolean
  registrations: RegistryEvent[]
  deregistrations: RegistryEvent[]
  stages: Map<string, StageState>
}

export interface ArtifactState {
  name: string
  /** Set when the tags contradict each other; commands on it must fail. */
  problem?: string
  active: boolean
  versions: VersionState[]
  deprecations: RegistryEvent[]
  /** Every event of the artifact, oldest first. */
  events: RegistryEvent[]
}

export interface Registry {
  artifacts: Map<string, ArtifactState>
  /** Every event of every artifact, oldest first. */
  events: RegistryEvent[]
}

export class RegistryError extends Error {}

/** Builds the registry from every tag of a repository. */
export function buildRegistry(records: Iterable<TagRecord>): Registry {
  const events: RegistryEvent[] = []
  for (const record of records) {
    const event = eventOf(record)
    if (event) events.push(event)
  }
  const ordered = orderEvents(events)

  const byArtifact = new Map<string, RegistryEvent[]>()
  for (const event of ordered) {
    const list = byArtifact.get(event.artifact)
    if (list) list.push(event)
    else byArtifact.set(event.artifact, [event])
  }

  const artifacts = new Map<string, ArtifactState>()
  for (const [name, list] of byArtifact) {
    try {
      artifacts.set(name, buildArtifact(name, list))
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error
      // One broken artifact must not hide the others: only commands that
      // touch it fail.
      artifacts.set(name, {
        name,
        problem: error.message,
        active: false,
        versions: [],
        deprecations: [],
        events: list
      })
    }
  }
  return { artifacts, events: ordered }
}

function buildArtifact(name: string, events: RegistryEvent[]): ArtifactState {
  const byVersion = new Map<string, VersionState>()
  const byCommit = new Map<string, VersionState>()
  const deprecations: RegistryEvent[] = []

  // Versions come from (de)registrations first: an assignment belongs to
  // whichever version is registered at its commit, whenever it was made.
  for (const event of events) {
    if (event.event === 'deprecation') deprecations.push(event)
    if (event.event !== 'registration' && event.event !== 'deregistration') {
      continue
    }
    const version = event.version as string
    let state = byVersion.get(version)
    if (!state) {
      state = newVersion(name, version, event.commit, false)
      byVersion.set(version, state)
    } else if (state.commit !== event.commit) {
      throw new RegistryError(
        `Artifact '${name}' has version ${version} registered at two ` +
          `commits, ${state.commit} and ${event.commit}: delete the tags ` +
          'of one of them'
      )
    }
    const other = byCommit.get(event.commit)
    if (other && other !== state) {
      throw new RegistryError(
        `Artifact '${name}' has two versions, ${other.version} and ` +
          `${version}, registered at commit ${event.commit}: a commit holds ` +
          'one version of an artifact; delete the tags of one of them'
      )
    }
    byCommit.set(event.commit, state)
    if (event.event === 'registration') state.registrations.push(event)
    else state.deregistrations.push(event)
  }

  for (const event of events) {
    if (event.event !== 'assignment' && event.event !== 'unassignment') {
      continue
    }
    let state = byCommit.get(event.commit)
    if (!state) {
      state = newVersion(name, event.commit, event.commit, true)
      byCommit.set(event.commit, state)
    }
    event.version = state.version
    addStageEvent(state, event)
  }

  const versions = [...byCommit.values()]
  for (const version of versions) version.active = isVersionActive(version)

  const last = events[events.length - 1]
  return {
    name,
    active: last !== undefined && last.event !== 'deprecation',
    versions,
    deprecations,
    events
  }
}

function newVersion(
  artifact: string,
  version: string,
  commit: string,
  discovered: boolean
): VersionState {
  return {
    artifact,
    version,
    commit,
    discovered,
    active: false,
    registrations: [],
    deregistrations: [],
    stages: new Map()
  }
}

function addStageEvent(version: VersionState, event: RegistryEvent): void {
  const stage = event.stage as string
  let state = version.stages.get(stage)
  if (!state) {
    state = {
      stage,
      active: false,
      assignments: [],
      unassignments: [],
      last: event
    }
    version.stages.set(stage, state)
  }
  if (event.event === 'assignment') state.assignments.push(event)
  else state.unassignments.push(event)
  // Events arrive in order, so the newest one decides.
  state.last = event
  state.active = event.event === 'assignment'
}

function isVersionActive(version: VersionState): boolean {
  const reg = version.registrations.at(-1)
  const dereg = version.deregistrations.at(-1)
  if (reg || dereg) return (reg?.seq ?? -1) > (dereg?.seq ?? -1)
  return version.stages.size > 0
}

// Queries used by the commands.

/** The artifact's state; throws when its tags contradict each other. */
export function artifactOf(
  registry: Registry,
  name: string
): ArtifactState | undefined {
  const artifact = registry.artifacts.get(name)
  if (artifact?.problem) throw new RegistryError(artifact.problem)
  return artifact
}

/** A registered (or deregistered) version by name; unregistered commits never. */
export function findVersion(
  artifact: ArtifactState | undefined,
  version: string
): VersionState | undefined {
  return artifact?.versions.find(v => !v.discovered && v.version === version)
}

/** The version registered at a commit, if any. */
export function versionAtCommit(
  artifact: ArtifactState | undefined,
  commit: string
): VersionState | undefined {
  return artifact?.versions.find(v => !v.discovered && v.commit === commit)
}

/** The highest active registered version: the one a bump starts from. */
export function latestActiveVersion(
  artifact: ArtifactState | undefined
): VersionState | undefined {
  let best: VersionState | undefined
  for (const v of artifact?.versions ?? []) {
    if (v.discovered || !v.active || v.registrations.length === 0) continue
    if (!best || compareVersions(v.version, best.version) > 0) best = v
  }
  return best
}

/** The stages a version holds now. */
export function activeStages(version: VersionState): string[] {
  return [...version.stages.values()].filter(s => s.active).map(s => s.stage)
}
