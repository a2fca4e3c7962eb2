// The registry state: artifacts, their versions and stages, derived from the
// events. Pure: the same tags always give the same state.
//
// GTO applies deprecations first, then (de)registrations, then
// (un)assignments, each group by tagger time with ties in tag name order, and
// decides what is active from stable sorts of those lists. The state keeps
// the same lists in the same order, so ties resolve as GTO resolves them.

import { compareVersions } from './names.js'
import { eventOf, type RegistryEvent, type TagRecord } from './events.js'

export interface StageState {
  stage: string
  version: string
  active: boolean
  assignments: RegistryEvent[]
  unassignments: RegistryEvent[]
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
  /** In the order the stages first appeared. */
  stages: Map<string, StageState>
}

export interface ArtifactState {
  name: string
  /** Set when the tags contradict each other; commands on it must fail. */
  problem?: string
  active: boolean
  /** In the order GTO creates them: registered ones, then discovered ones. */
  versions: VersionState[]
  deprecations: RegistryEvent[]
  /** Every event of the artifact, in application order. */
  events: RegistryEvent[]
}

export interface Registry {
  /** In the order GTO first meets each artifact. */
  artifacts: Map<string, ArtifactState>
}

export class RegistryError extends Error {}

const GROUP: Record<RegistryEvent['event'], number> = {
  deprecation: 0,
  registration: 1,
  deregistration: 1,
  assignment: 2,
  unassignment: 2
}

/** Builds the registry from every tag of a repository. */
export function buildRegistry(records: Iterable<TagRecord>): Registry {
  const events: RegistryEvent[] = []
  for (const record of records) {
    const event = eventOf(record)
    if (event) events.push(event)
  }
  events.sort(
    (a, b) =>
      GROUP[a.event] - GROUP[b.event] ||
      a.time - b.time ||
      compareNames(a.tag, b.tag)
  )
  events.forEach((e, i) => (e.seq = i))

  const byArtifact = new Map<string, RegistryEvent[]>()
  for (const event of events) {
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
  return { artifacts }
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function buildArtifact(name: string, events: RegistryEvent[]): ArtifactState {
  const byVersion = new Map<string, VersionState>()
  const byCommit = new Map<string, VersionState>()
  const deprecations: RegistryEvent[] = []

  for (const event of events) {
    if (event.event === 'deprecation') {
      deprecations.push(event)
    } else if (
      event.event === 'registration' ||
      event.event === 'deregistration'
    ) {
      const state = versionFor(name, event, byVersion, byCommit)
      if (event.event === 'registration') state.registrations.push(event)
      else state.deregistrations.push(event)
    } else {
      // An assignment belongs to whichever version is registered at its
      // commit, whenever either was made; else to the commit itself.
      let state = byCommit.get(event.commit)
      if (!state) {
        state = newVersion(name, event.commit, event.commit, true)
        byCommit.set(event.commit, state)
      }
      event.version = state.version
      addStageEvent(state, event)
    }
  }

  const versions = [...byCommit.values()]
  for (const version of versions) version.active = isVersionActive(version)

  // A deprecation at the same second as any other event loses to it.
  const lastDeprecation = newest(deprecations)
  const lastOther = newest(events.filter(e => e.event !== 'deprecation'))
  const active =
    lastOther !== undefined &&
    (lastDeprecation === undefined || lastOther.time >= lastDeprecation.time)

  return { name, active, versions, deprecations, events }
}

function versionFor(
  name: string,
  event: RegistryEvent,
  byVersion: Map<string, VersionState>,
  byCommit: Map<string, VersionState>
): VersionState {
  const version = event.version as string
  let state = byVersion.get(version)
  if (!state) {
    state = newVersion(name, version, event.commit, false)
    byVersion.set(version, state)
  } else if (state.commit !== event.commit) {
    throw new RegistryError(
      `Artifact '${name}' has version ${version} registered at two ` +
        `commits, ${state.commit} and ${event.commit}. Delete the tags of ` +
        'one of them.'
    )
  }
  const other = byCommit.get(event.commit)
  if (other && other !== state) {
    throw new RegistryError(
      `Artifact '${name}' has two versions, ${other.version} and ` +
        `${version}, registered at commit ${event.commit}. A commit holds ` +
        'one version of an artifact: delete the tags of one of them.'
    )
  }
  byCommit.set(event.commit, state)
  return state
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
      version: version.version,
      active: false,
      assignments: [],
      unassignments: []
    }
    version.stages.set(stage, state)
  }
  if (event.event === 'assignment') state.assignments.push(event)
  else state.unassignments.push(event)
  // On equal times an unassignment beats an assignment.
  const last = newest([...state.assignments, ...state.unassignments])
  state.active = last?.event === 'assignment'
}

function isVersionActive(version: VersionState): boolean {
  // On equal times a deregistration beats a registration.
  const last = newest([...version.registrations, ...version.deregistrations])
  if (last) return last.event === 'registration'
  return version.stages.size > 0
}

/**
 * The newest event of a list: the latest time, and of equal times the one
 * listed last (what GTO's reversed stable sort puts first).
 */
export function newest(events: RegistryEvent[]): RegistryEvent | undefined {
  let found: RegistryEvent | undefined
  for (const event of events) {
    if (!found || event.time >= found.time) found = event
  }
  return found
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
