// assign and register end to end: real git, a bare origin, runner-like
// clones; assertions on what git holds afterwards.

import { afterEach, describe, expect, it } from '@jest/globals'
import { runAction } from './helpers/action.js'
import {
  commit,
  git,
  gtoTag,
  sandbox,
  tagsOf,
  type Sandbox
} from './helpers/git.js'

const DVC_YAML = `artifacts:
  pool-segmentation:
    type: model
    path: models/seg.pt
    desc: Segments pools
`

let box: Sandbox
afterEach(() => box?.cleanup())

describe('assign on a runner-like clone', () => {
  it('registers and assigns, pushing both tags with GTO messages', async () => {
    box = sandbox({ 'cv/dvc.yaml': DVC_YAML })
    const head = git(box.work, ['rev-parse', 'HEAD']).trim()
    const runner = box.runnerClone()

    const result = await runAction({
      command: 'assign',
      name: 'cv:pool-segmentation',
      stage: 'dev',
      repository: runner
    })

    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    const remote = tagsOf(box.origin)
    expect([...remote.keys()].sort()).toEqual([
      'cv=pool-segmentation#dev#1',
      'cv=pool-segmentation@v0.0.1'
    ])
    const reg = remote.get('cv=pool-segmentation@v0.0.1')
    expect(reg).toMatchObject({
      type: 'tag',
      commit: head,
      message: 'Registering artifact cv:pool-segmentation version v0.0.1\n'
    })
    expect(remote.get('cv=pool-segmentation#dev#1')).toMatchObject({
      type: 'tag',
      commit: head,
      message:
        'Assigning stage dev to artifact cv:pool-segmentation version v0.0.1\n'
    })
    expect(result.outputs).toMatchObject({
      event: 'assignment',
      name: 'cv:pool-segmentation',
      version: 'v0.0.1',
      stage: 'dev',
      tag: 'cv=pool-segmentation#dev#1',
      counter: '1',
      commit: head,
      pushed: 'true',
      tags: '["cv=pool-segmentation@v0.0.1","cv=pool-segmentation#dev#1"]'
    })

    const deploy = box.runnerClone('deploy')
    const parsed = await runAction(
      { repository: deploy },
      { GITHUB_REF: 'refs/tags/cv=pool-segmentation#dev#1' }
    )
    expect(parsed.exitCode).toBe(0)
    expect(parsed.outputs).toMatchObject({
      'is-gto-tag': 'true',
      event: 'assignment',
      name: 'cv:pool-segmentation',
      version: 'v0.0.1',
      stage: 'dev',
      commit: head,
      counter: '1',
      type: 'model',
      path: 'models/seg.pt',
      description: 'Segments pools'
    })
  })

  it('continues the counter the remote holds', async () => {
    box = sandbox({ 'dvc.yaml': 'artifacts:\n  rf:\n    type: model\n' })
    const first = git(box.work, ['rev-parse', 'HEAD']).trim()
    gtoTag(
      box.work,
      'rf@v1.0.0',
      first,
      'Registering artifact rf version v1.0.0\n'
    )
    gtoTag(
      box.work,
      'rf#prod#7',
      first,
      'Assigning stage prod to artifact rf version v1.0.0\n'
    )
    const second = commit(box.work, { 'model.txt': '2' })
    git(box.work, ['push', '-q', 'origin', 'main', '--tags'])
    const runner = box.runnerClone()

    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'prod',
      repository: runner
    })

    expect(result.error).toBeUndefined()
    const remote = tagsOf(box.origin)
    expect(remote.get('rf@v1.0.1')?.commit).toBe(second)
    expect(remote.get('rf#prod#8')?.commit).toBe(second)
    expect(result.outputs.counter).toBe('8')
  })
})
