// The commands that change the registry: register, assign, unassign,
// deregister and deprecate. Each turns the settings into a request for the
// core's rules and lets `applyChange` create or delete the tags.

import * as core from '@actions/core'
import { dispatchProblem } from '../action/dispatch.js'
import type { Outputs } from '../action/outputs.js'
import {
  planAssign,
  planDeprecate,
  planDeregister,
  planRegister,
  planUnassign
} from '../core/plan.js'
import { UserError, type Repository } from './repository.js'
import { applyChange } from './write.js'

export async function register(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  await prepare(repo, 'register', ['name'])
  const commit = await repo.commitOf('ref', s.ref)
  return applyChange(repo, ({ registry, tagNames }) => ({
    kind: 'create',
    tags: [
      planRegister(registry, tagNames, {
        name: s.name,
        commit,
        version: s.version || undefined,
        bump: s.bump,
        force: s.force,
        simple: s.simple,
        message: s.message || undefined
      })
    ]
  }))
}

export async function assign(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  await prepare(repo, 'assign', ['name', 'stage'])
  const config = await repo.config()

  // With only `version`, assign that registered version; otherwise act on
  // the commit `ref` names (HEAD by default), registering it when needed.
  const byVersion = s.version !== '' && s.ref === ''
  const commit = byVersion ? undefined : await repo.commitOf('ref', s.ref)

  return applyChange(repo, ({ registry, tagNames }) => ({
    kind: 'create',
    tags: planAssign(registry, tagNames, {
      name: s.name,
      stage: s.stage,
      version: byVersion ? s.version : undefined,
      commit,
      registerVersion: byVersion ? undefined : s.version || undefined,
      bump: s.bump,
      force: s.force,
      simple: s.simple,
      skipRegistration: s.skipRegistration,
      message: s.message || undefined,
      allowedStages: config.stages
    })
  }))
}

export async function unassign(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  requireOne(s.version, s.ref, 'unassign')
  await prepare(repo, 'unassign', ['name', 'stage'])
  const commit = s.ref ? await repo.commitOf('ref', s.ref) : undefined
  return applyChange(repo, ({ registry, tagNames }) =>
    planUnassign(registry, tagNames, {
      name: s.name,
      stage: s.stage,
      version: s.version || undefined,
      commit,
      force: s.force,
      simple: s.simple,
      message: s.message || undefined,
      delete: s.delete
    })
  )
}

export async function deregister(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  requireOne(s.version, s.ref, 'deregister')
  await prepare(repo, 'deregister', ['name'])
  const commit = s.ref ? await repo.commitOf('ref', s.ref) : undefined
  return applyChange(repo, ({ registry, tagNames }) =>
    planDeregister(registry, tagNames, {
      name: s.name,
      version: s.version || undefined,
      commit,
      force: s.force,
      simple: s.simple,
      message: s.message || undefined,
      delete: s.delete
    })
  )
}

export async function deprecate(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  await prepare(repo, 'deprecate', ['name'])
  const commit = s.ref ? await repo.commitOf('ref', s.ref) : undefined
  const head = commit ?? (await repo.git.resolveCommit('HEAD')) ?? ''
  return applyChange(repo, ({ registry, tagNames }) =>
    planDeprecate(registry, tagNames, {
      name: s.name,
      commit,
      head,
      force: s.force,
      simple: s.simple,
      message: s.message || undefined,
      delete: s.delete
    })
  )
}

/**
 * Checks the inputs that no rule of the registry decides, before anything
 * reaches the network; then reads the remote's tags (`ref` may name a tag
 * only the remote has).
 */
async function prepare(
  repo: Repository,
  command: string,
  required: Array<'name' | 'stage'>
): Promise<void> {
  const s = repo.settings
  for (const input of required) requireInput(input, s[input], command)
  if (s.delete && (command === 'register' || command === 'assign')) {
    throw new UserError(
      `Input 'delete' applies to unassign, deregister and deprecate; ` +
        `'${command}' only creates tags. Remove 'delete: true'.`
    )
  }
  if (s.dispatch && (!s.push || s.dryRun)) {
    core.warning(
      `No repository_dispatch '${s.dispatch}' will be sent: this run ` +
        "pushes nothing ('push: false' or 'dry-run: true')."
    )
  } else if (s.dispatch) {
    // Found out now, not after the tags are on the remote.
    const problem = dispatchProblem(s.token, `'${s.dispatch}'`)
    if (problem) throw new UserError(problem)
  }
  // Only this artifact's tags decide its counter, versions and stages.
  await repo.syncTags({ name: s.name, ref: s.ref })
}

export function requireInput(input: string, value: string, command: string) {
  if (value === '') {
    throw new UserError(
      `Input '${input}' is required for '${command}'; it is empty.`
    )
  }
}

function requireOne(version: string, ref: string, command: string) {
  if ((version === '') === (ref === '')) {
    throw new UserError(
      `'${command}' needs exactly one of the inputs 'version' and 'ref' ` +
        `to name the version; got ${version || ref ? 'both' : 'neither'}.`
    )
  }
}
