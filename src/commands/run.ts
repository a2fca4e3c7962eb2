// Runs the command the inputs name and returns its outputs.

import type { Settings } from '../action/inputs.js'
import type { Outputs } from '../action/outputs.js'
import { checkRef } from './check-ref.js'
import { assign, register } from './register.js'
import { Repository, UserError } from './repository.js'

export async function runCommand(settings: Settings): Promise<Outputs> {
  const repo = await Repository.open(settings)
  switch (settings.command) {
    case 'check-ref':
      return checkRef(repo)
    case 'register':
      return register(repo)
    case 'assign':
      return assign(repo)
    default:
      throw new UserError(`Command '${settings.command}' is not available yet.`)
  }
}
