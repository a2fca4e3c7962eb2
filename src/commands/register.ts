// `register` and `assign`: the commands that add versions and stages.

import * as core from '@actions/core'
import type { Outputs } from '../action/outputs.js'
import { planAssign, planRegister } from '../core/plan.js'
import { UserError, type Repository } from './repository.js'
import { writeTags } from './write.js'

export async function register(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  requireInput('name', s.name, 'register')
  const commit = await repo.commitOf('ref', s.ref || 'HEAD')
  return writeTags(repo, ({ registry, tagNames }) => [
    planRegister(registry, tagNames, {
      name: s.name,
      commit,
      version: s.version || undefined,
      bump: s.bump,
      force: s.force,
      simple: s.simple,
      message: s.message || undefined
    })
  ])
}

export async function assign(repo: Repository): Promise<Outputs> {
  const s = repo.settings
  requireInput('name', s.name, 'assign')
  requireInput('stage', s.stage, 'assign')
  const config = await repo.config()

  // With only `version`, assign that registered version; otherwise act on
  // the commit `ref` names (HEAD by default), registering it when needed.
  const byVersion = s.version !== '' && s.ref === ''
  const commit = byVersion
    ? undefined
    : await repo.commitOf('ref', s.ref || 'HEAD')
  core.debug(byVersion ? `Assigning ${s.version}` : `Assigning ${commit}`)

  return writeTags(repo, ({ registry, tagNames }) =>
    planAssign(registry, tagNames, {
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
  )
}

export function requireInput(input: string, value: string, command: string) {
  if (value === '') {
    throw new UserError(
      `Input '${input}' is required for '${command}'; it is empty.`
    )
  }
}
