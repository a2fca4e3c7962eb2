// What `show` and `history` report: GTO's `show --json` and `history --json`
// computed from the registry, with GTO's orderings (stable sorts, reversed).

import { isoTime, PRIORITY, type RegistryEvent } from './events.js'
import { compareVersions, isValidVersion } from './names.js'
import {
  artifactOf,
  newest,
  type ArtifactState,
  type Registry,
  type StageState,
  type VersionState
} from './registry.js'

export type VersionSort = 'timestamp' | 'semver'

export interface ShowOptions {
  sort: VersionSort
  /** How many versions a stage lists; -1 for all. */
  versionsPerStage: number
}

/** `sorted(items, key)[::-1]` in Python: stable ascending, then reversed. */
function sortedDesc<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  return [...items].sort(compare).reverse()
}

/** The same, for a numeric key computed once per item. */
function sortedDescBy<T>(items: T[], key: (item: T) => number): T[] {
  const keyed = items.map(item => ({ item, key: key(item) }))
  return sortedDesc(keyed, (a, b) => a.key - b.key).map(k => k.item)
}

/** When GTO says a version was made: its newest registration, else stage event. */
function versionTime(v: VersionState): number {
  const registration = newest(v.registrations)
  if (registration) return registration.time
  const stageEvents = [...v.stages.values()].flatMap(s => [
    ...s.assignments,
    ...s.unassignments
  ])
  return newest(stageEvents)?.time ?? 0
}

/** When a stage was (last) given to a version: its newest assignment. */
function stageTime(s: StageState): number {
  return newest(s.assignments)?.time ?? 0
}

/** Active versions, registered or discovered, in the order GTO sorts them. */
export function sortVersions(
  versions: VersionState[],
  sort: VersionSort
): VersionState[] {
  if (sort === 'timestamp') return sortedDescBy(versions, versionTime)
  const semver = versions.filter(v => isValidVersion(v.version))
  const commits = versions.filter(v => !isValidVersion(v.version))
  return [
    ...sortedDesc(semver, (a, b) => compareVersions(a.version, b.version)),
    ...sortedDesc(commits, (a, b) => (a.version < b.version ? -1 : 1))
  ]
}

// Each artifact's stage holders per option set: show asks for them up to
// three times (columns, table, matrix).
const holdersCache = new WeakMap<ArtifactState, Map<string, Holders>>()
type Holders = Map<string, StageState[]>

/** Each stage's holders, newest (or highest) first, as GTO's get_vstages. */
export function stageHolders(
  artifact: ArtifactState,
  options: ShowOptions
): Holders {
  const key = `${options.sort} ${options.versionsPerStage}`
  const cached = holdersCache.get(artifact)?.get(key)
  if (cached) return cached
  const holders = computeHolders(artifact, options)
  const perOptions = holdersCache.get(artifact) ?? new Map<string, Holders>()
  holdersCache.set(artifact, perOptions.set(key, holders))
  return holders
}

function computeHolders(artifact: ArtifactState, options: ShowOptions) {
  const versions = sortVersions(
    artifact.versions.filter(v => v.active),
    options.sort
  )
  const ascending = (stages: StageState[]) =>
    sortedDescBy(stages, stageTime).reverse()
  let assignments = versions.flatMap(v =>
    ascending([...v.stages.values()].filter(s => s.active))
  )
  if (options.sort === 'timestamp') {
    assignments = sortedDescBy(assignments, stageTime)
  }

  const stages = new Map<string, StageState[]>()
  for (const a of assignments) {
    const list = stages.get(a.stage) ?? []
    stages.set(a.stage, list)
    const full =
      options.versionsPerStage > -1 && list.length >= options.versionsPerStage
    if (!full && !list.some(s => s.version === a.version)) list.push(a)
  }
  return stages
}

/** The highest active registered version, as `show` lists it. */
function latestRegistered(artifact: ArtifactState): string | null {
  const registered = artifact.versions.filter(
    v => v.active && !v.discovered && v.registrations.length > 0
  )
  return sortVersions(registered, 'semver')[0]?.version ?? null
}

/**
 * The stage columns of `show`: `.gto`'s stages, else every stage that an
 * artifact (deprecated ones too) holds now, sorted.
 */
export function stageColumns(
  registry: Registry,
  configured: string[] | undefined
): string[] {
  if (configured !== undefined) return configured
  const used = new Set<string>()
  for (const artifact of registry.artifacts.values()) {
    if (artifact.problem) continue
    const holders = stageHolders(artifact, {
      sort: 'semver',
      versionsPerStage: 1
    })
    for (const stage of holders.keys()) used.add(stage)
  }
  return [...used].sort()
}

export interface ShowEntry {
  version: string | null
  stage: Record<string, string | null>
  registered: boolean
  active: boolean
}

/** GTO's `show --json`: every active artifact with its stage columns. */
export function showRegistry(
  registry: Registry,
  columns: string[],
  options: ShowOptions
): Record<string, ShowEntry> {
  const result: Record<string, ShowEntry> = {}
  for (const name of registry.artifacts.keys()) {
    const artifact = artifactOf(registry, name) as ArtifactState
    if (!artifact.active) continue
    const holders = stageHolders(artifact, options)
    const stage: Record<string, string | null> = {}
    for (const column of columns) {
      const list = holders.get(column) ?? []
      stage[column] = list.map(s => s.version).join(', ') || null
    }
    result[name] = {
      version: latestRegistered(artifact),
      stage,
      registered: artifact.events.length > 0,
      active: artifact.active
    }
  }
  return result
}

/** One row per stage holder, ready for `strategy.matrix`. */
export interface MatrixEntry {
  name: string
  version: string
  stage: string
  tag: string
  commit: string
}

export function holdersMatrix(
  registry: Registry,
  options: ShowOptions,
  only?: string
): MatrixEntry[] {
  const rows: MatrixEntry[] = []
  for (const name of registry.artifacts.keys()) {
    if (only !== undefined && name !== only) continue
    const artifact = artifactOf(registry, name) as ArtifactState
    if (!artifact.active) continue
    for (const [stage, holders] of stageHolders(artifact, options)) {
      for (const s of holders) {
        const last = newest(s.assignments) as RegistryEvent
        rows.push({
          name,
          version: s.version,
          stage,
          tag: last.tag,
          commit: last.commit
        })
      }
    }
  }
  return rows
}

function eventJson(e: RegistryEvent) {
  return {
    artifact: e.artifact,
    created_at: isoTime(e.time, e.offset),
    author: e.author,
    author_email: e.authorEmail,
    message: e.message,
    commit_hexsha: e.commit,
    tag: e.tag,
    version: e.version ?? null,
    ...(e.stage === undefined ? {} : { stage: e.stage }),
    event: e.event,
    priority: PRIORITY[e.event]
  }
}

/** GTO's `show NAME --json`: the artifact's versions with their stages. */
export function showArtifact(
  registry: Registry,
  name: string,
  options: ShowOptions
) {
  const artifact = artifactOf(registry, name)
  if (!artifact || !artifact.active) return []
  const holders = [...stageHolders(artifact, options).values()].flat()
  const versions = sortVersions(
    artifact.versions.filter(v => v.active),
    'semver'
  )
  return versions.map(v => {
    const direct = [...v.registrations, ...v.deregistrations]
    const stageEvents = [...v.stages.values()].flatMap(s => [
      ...s.assignments,
      ...s.unassignments
    ])
    const author = newest(v.registrations) ?? newest(stageEvents)
    return {
      artifact: name,
      version: v.version,
      commit_hexsha: v.commit,
      is_active: v.active,
      discovered: direct.length === 0,
      created_at: author ? isoTime(author.time, author.offset) : null,
      author: author?.author ?? null,
      author_email: author?.authorEmail ?? null,
      message: author?.message ?? null,
      ref: author?.tag ?? v.commit,
      registrations: v.registrations.map(eventJson),
      deregistrations: v.deregistrations.map(eventJson),
      stages: holders
        .filter(s => s.version === v.version)
        .map(s => ({
          stage: s.stage,
          is_active: s.active,
          assignments: s.assignments.map(eventJson),
          unassignments: s.unassignments.map(eventJson)
        }))
    }
  })
}

export interface HistoryEntry {
  timestamp: string
  artifact: string
  event: string
  priority: number
  version: string | null
  stage: string | null
  commit: string
  author: string
  author_email: string
  message: string
  ref: string
}

/** GTO's `history --json`: every event, newest first. */
export function history(registry: Registry, only?: string): HistoryEntry[] {
  const events: RegistryEvent[] = []
  for (const name of registry.artifacts.keys()) {
    if (only !== undefined && name !== only) continue
    events.push(...artifactEvents(artifactOf(registry, name) as ArtifactState))
  }
  const ordered = sortedDesc(
    events,
    (a, b) => a.time - b.time || PRIORITY[a.event] - PRIORITY[b.event]
  )
  return ordered.map(e => ({
    timestamp: isoTime(e.time, e.offset),
    artifact: e.artifact,
    event: e.event,
    priority: PRIORITY[e.event],
    version: e.event === 'deprecation' ? null : (e.version ?? null),
    stage: e.stage ?? null,
    commit: e.commit,
    author: e.author,
    author_email: e.authorEmail,
    message: e.message,
    ref: e.tag
  }))
}

/** An artifact's events newest first, nested as GTO collects them. */
export function artifactEvents(artifact: ArtifactState): RegistryEvent[] {
  const byTime = (a: RegistryEvent, b: RegistryEvent) => a.time - b.time
  const fromVersions = artifact.versions.flatMap(v =>
    sortedDesc(
      [
        ...v.registrations,
        ...v.deregistrations,
        ...[...v.stages.values()].flatMap(s =>
          sortedDesc([...s.assignments, ...s.unassignments], byTime)
        )
      ],
      byTime
    )
  )
  return sortedDesc([...artifact.deprecations, ...fromVersions], byTime)
}
