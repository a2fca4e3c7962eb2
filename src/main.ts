// The action's front: read the inputs, run the command, write the outputs,
// and report any failure once.

import * as core from '@actions/core'
import { readSettings } from './action/inputs.js'
import { writeOutputs } from './action/outputs.js'
import { runCommand } from './commands/run.js'

export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const outputs = await runCommand(settings)
    writeOutputs(outputs)
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
