// The action's front: read the inputs, run the command, write the outputs,
// and report any failure once.

import * as core from '@actions/core'
import { readSettings } from './action/inputs.js'
import { writeOutputs } from './action/outputs.js'
import { writeSummary } from './action/summary.js'
import { UserError } from './commands/repository.js'
import { runCommand } from './commands/run.js'

export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const outputs = await runCommand(settings)
    writeOutputs(outputs)
    try {
      await writeSummary(settings, outputs)
    } catch (error) {
      // The tags are already written: a summary problem must not fail them.
      core.warning(`Cannot write the job summary: ${String(error)}`)
    }
  } catch (error) {
    if (error instanceof UserError && error.outputs) {
      writeOutputs(error.outputs)
    }
    core.setFailed(error instanceof Error ? error.message : String(error))
  }
}
