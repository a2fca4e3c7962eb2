// iterative/gto-action's inputs (show, history, print-outputs, pull) on
// check-ref, so a workflow can switch to this action by changing `uses:`.

import { afterEach, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import { git, gtoTag, sandbox, type Sandbox } from './helpers/git.js'

const DVC_YAML = 'artifacts:\n  rf:\n    type: model\n    path: models/rf.pkl\n'

let box: Sandbox
afterEach(() => box?.cleanup())

function registry(): string {
  box = sandbox({ 'dvc.yaml': DVC_YAML })
  const head = git(box.work, ['rev-parse', 'HEAD']).trim()
  gtoTag(
    box.work,
    'rf@v1.0.0',
    head,
    'Registering artifact rf version v1.0.0\n'
  )
  gtoTag(
    box.work,
    'rf#prod#1',
    head,
    'Assigning stage prod to artifact rf version v1.0.0\n',
    '1700000100 +0000'
  )
  git(box.work, ['push', '-q', 'origin', '--tags'])
  return box.runnerClone()
}

/** A stand-in `dvc` that records its arguments in a file. */
function fakeDvc(code: number): { bin: string; calls: string } {
  const bin = join(box.root, 'bin')
  mkdirSync(bin)
  const calls = join(box.root, 'dvc-calls')
  writeFileSync(
    join(bin, 'dvc'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexit ${code}\n`
  )
  chmodSync(join(bin, 'dvc'), 0o755)
  return { bin, calls }
}

describe('gto-action inputs on check-ref', () => {
  it('prints the registry, its history and the outputs', async () => {
    const runner = registry()
    const result = await runAction(
      {
        repository: runner,
        show: 'true',
        history: 'true',
        'print-outputs': 'true'
      },
      { GITHUB_REF: 'refs/tags/rf#prod#1' }
    )
    expect(result.exitCode).toBe(0)
    expect(result.log).toContain('rf  prod  v1.0.0  rf#prod#1')
    expect(result.log).toMatch(/rf {2}registration v1\.0\.0 {2}rf@v1\.0\.0/)
    expect(result.log).toContain('stage="prod"')
  })

  it('pulls the artifact with dvc when asked', async () => {
    const runner = registry()
    const { bin, calls } = fakeDvc(0)
    const result = await runAction(
      { repository: runner, pull: 'true' },
      {
        GITHUB_REF: 'refs/tags/rf#prod#1',
        PATH: `${bin}:${process.env.PATH}`
      }
    )
    expect(result.error).toBeUndefined()
    expect(readFileSync(calls, 'utf8')).toBe('pull -- models/rf.pkl\n')
  })

  it('fails clearly when dvc pull fails', async () => {
    const runner = registry()
    const { bin, calls } = fakeDvc(3)
    const result = await runAction(
      { repository: runner, pull: 'true' },
      {
        GITHUB_REF: 'refs/tags/rf#prod#1',
        PATH: `${bin}:${process.env.PATH}`
      }
    )
    expect(result.exitCode).toBe(1)
    expect(result.error).toContain("'dvc pull models/rf.pkl' failed")
    expect(existsSync(calls)).toBe(true)
  })

  it('does not pull for a ref that is no GTO tag', async () => {
    const runner = registry()
    const { bin, calls } = fakeDvc(0)
    const result = await runAction(
      { repository: runner, pull: 'true' },
      { GITHUB_REF: 'refs/heads/main', PATH: `${bin}:${process.env.PATH}` }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['is-gto-tag']).toBe('false')
    expect(existsSync(calls)).toBe(false)
  })
})
