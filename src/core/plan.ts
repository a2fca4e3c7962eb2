// GTO's writing rules: given the registry and a request, the tags to create
// (register and assign here; the rest in plan-lifecycle.ts). Pure, so every
// rule is tested without git; errors are user errors.

import { FIRST_VERSION, bumpVersion, type Bump } from './names.js'
import {
  activeStages,
  artifactOf,
  findVersion,
  latestActiveVersion,
  versionAtCommit,
  type Registry
} from './registry.js'
import { PlanError, planned, type PlannedTag } from './planned.js'

export { PlanError, type Change, type PlannedTag } from './planned.js'
export {
  planDeprecate,
  planDeregister,
  planUnassign,
  type DeprecateRequest,
  type DeregisterRequest,
  type UnassignRequest
} from './plan-lifecycle.js'

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
