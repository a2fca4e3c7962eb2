// What iterative/gto-action did besides parsing the tag: print the registry
// and its history, print the outputs, and `dvc pull` the artifact. Kept so a
// workflow can move to this action by changing only its `uses:` line.

import * as core from '@actions/core'
import * as exec from '@actions/exec'
import type { Outputs } from '../action/outputs.js'
import { history, holdersMatrix } from '../core/views.js'
import { UserError, type Repository } from './repository.js'

export async function afterCheckRef(
  repo: Repository,
  outputs: Outputs
): Promise<void> {
  const { compat } = repo.settings
  const name = outputs['is-gto-tag'] === 'true' ? outputs.name : undefined

  if (compat.show || compat.history) {
    const { registry } = await repo.snapshot()
    if (compat.show) {
      core.startGroup('Registry (show)')
      const options = { sort: repo.settings.sort, versionsPerStage: -1 }
      for (const row of holdersMatrix(registry, options)) {
        core.info(`${row.name}  ${row.stage}  ${row.version}  ${row.tag}`)
      }
      core.endGroup()
    }
    if (compat.history) {
      core.startGroup(`History${name ? ` of ${name}` : ''}`)
      for (const e of history(registry, name)) {
        const what = [e.event, e.version, e.stage].filter(Boolean).join(' ')
        core.info(`${e.timestamp}  ${e.artifact}  ${what}  ${e.ref}`)
      }
      core.endGroup()
    }
  }

  if (compat.printOutputs) {
    core.startGroup('Outputs')
    for (const [key, value] of Object.entries(outputs)) {
      // JSON keeps a multi-line message on one line: no workflow command
      // hidden in a tag message reaches the runner.
      core.info(`${key}=${JSON.stringify(value ?? '')}`)
    }
    core.endGroup()
  }

  if (compat.pull && name) await dvcPull(repo, outputs.path ?? '')
}

async function dvcPull(repo: Repository, path: string): Promise<void> {
  if (!path) {
    throw new UserError(
      "Input 'pull' is true, but the artifact has no 'path' in dvc.yaml at " +
        'its commit, so there is nothing to pull. Annotate it, or set ' +
        "'pull: false'."
    )
  }
  core.startGroup(`dvc pull ${path}`)
  try {
    const code = await exec.exec('dvc', ['pull', '--', path], {
      cwd: repo.settings.repository,
      ignoreReturnCode: true
    })
    if (code !== 0) {
      throw new UserError(`'dvc pull ${path}' failed with exit code ${code}.`)
    }
  } catch (error) {
    if (error instanceof UserError) throw error
    throw new UserError(
      "Input 'pull' is true, but dvc could not be run: install it in an " +
        "earlier step (for example 'pip install dvc[s3]'), or pull with " +
        "'dvc artifacts get' yourself.",
      { cause: error }
    )
  } finally {
    core.endGroup()
  }
}
