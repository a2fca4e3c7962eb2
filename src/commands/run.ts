// Runs the command the inputs name and returns its outputs.

import type { Settings } from '../action/inputs.js'
import type { Outputs } from '../action/outputs.js'
import { checkRef } from './check-ref.js'
import { afterCheckRef } from './compat.js'
import { history, show } from './read.js'
import { assign, deprecate, deregister, register, unassign } from './change.js'
import { Repository, UserError } from './repository.js'

async function checkRefCommand(repo: Repository): Promise<Outputs> {
  const outputs = await checkRef(repo)
  try {
    await afterCheckRef(repo, outputs)
  } catch (error) {
    // The tag was read: later steps (`if: failure()`) may still use it.
    if (error instanceof UserError) error.outputs = outputs
    throw error
  }
  return outputs
}

const COMMANDS = {
  'check-ref': checkRefCommand,
  register,
  assign,
  unassign,
  deregister,
  deprecate,
  show,
  history
} satisfies Record<Settings['command'], (repo: Repository) => unknown>

export async function runCommand(settings: Settings): Promise<Outputs> {
  const repo = await Repository.open(settings)
  return COMMANDS[settings.command](repo)
}
