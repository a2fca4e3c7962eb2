// Situations a new user ran into, each caught before anything is written:
// tags only this checkout has, inputs that do not apply, a dispatch that
// could not be sent, a repository with no commit, a broken dvc.yaml.

import { afterEach, describe, expect, it } from '@jest/globals'
import { runAction } from './helpers/action.js'
import {
  commit,
  git,
  sandbox,
  tagNames,
  tempDir,
  removeDir,
  type Sandbox
} from './helpers/git.js'

let box: Sandbox
afterEach(() => box?.cleanup())

function originTags(): string[] {
  return tagNames(box.origin)
}

describe('a push that builds on tags the remote lacks', () => {
  it('is refused after an earlier push: false step', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    const local = await runAction({
      command: 'assign',
      name: 'churn',
      stage: 'dev',
      push: 'false',
      repository: runner
    })
    expect(local.exitCode).toBe(0)

    const pushed = await runAction({
      command: 'assign',
      name: 'churn',
      stage: 'prod',
      repository: runner
    })
    expect(pushed.exitCode).toBe(1)
    expect(pushed.error).toMatch(
      /^Tags of 'churn' exist in this checkout but not on origin: churn#dev#1, churn@v0\.0\.1\./
    )
    expect(pushed.error).toMatch(/push them first|git tag -d/)
    expect(originTags()).toEqual([])
    expect(tagNames(runner)).toEqual(['churn#dev#1', 'churn@v0.0.1'])
  })

  it('does not mind local tags of other artifacts', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await runAction({
      command: 'register',
      name: 'other',
      push: 'false',
      repository: runner
    })
    const result = await runAction({
      command: 'assign',
      name: 'churn',
      stage: 'dev',
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(originTags()).toEqual(['churn#dev#1', 'churn@v0.0.1'])
  })
})

describe('inputs that do not apply', () => {
  it.each(['assign', 'register'])(
    "refuses 'delete' on %s before writing",
    async command => {
      box = sandbox()
      const runner = box.runnerClone()
      const result = await runAction({
        command,
        name: 'churn',
        stage: 'dev',
        delete: 'true',
        repository: runner
      })
      expect(result.exitCode).toBe(1)
      expect(result.error).toBe(
        "Input 'delete' applies to unassign, deregister and deprecate; " +
          `'${command}' only creates tags. Remove 'delete: true'.`
      )
      expect(tagNames(runner)).toEqual([])
      expect(originTags()).toEqual([])
    }
  )

  it('refuses a dispatch without a token before pushing', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    const result = await runAction(
      {
        command: 'assign',
        name: 'churn',
        stage: 'prod',
        dispatch: 'deploy-model',
        repository: runner
      },
      { GITHUB_REPOSITORY: 'o/r' }
    )
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(
      /^Input 'token' is empty, so 'deploy-model' cannot be sent\./
    )
    expect(tagNames(runner)).toEqual([])
    expect(originTags()).toEqual([])
  })
})

describe('a repository with no commit', () => {
  it('says so instead of blaming an input that was not given', async () => {
    const dir = tempDir()
    try {
      git(dir, ['init', '-q'])
      const result = await runAction({
        command: 'assign',
        name: 'churn',
        stage: 'dev',
        repository: dir
      })
      expect(result.exitCode).toBe(1)
      expect(result.error).toBe(
        'The repository has no commit checked out (HEAD names none), and ' +
          "input 'ref' is empty. Commit first, check a commit out, or give " +
          "'ref'."
      )
    } finally {
      removeDir(dir)
    }
  })
})

describe('.gto and dvc.yaml problems', () => {
  it('names the empty stage list when .gto allows none', async () => {
    box = sandbox({ '.gto': 'stages: []\n' })
    const runner = box.runnerClone()
    const result = await runAction({
      command: 'assign',
      name: 'churn',
      stage: 'dev',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/\.gto lists no stages \('stages: \[\]'\)/)
    expect(tagNames(runner)).toEqual([])
  })

  it('accepts GTO settings in .gto besides stages', async () => {
    box = sandbox({ '.gto': 'stages: [dev]\nenrichments: []\nEMOJIS: false\n' })
    const runner = box.runnerClone()
    const result = await runAction({
      command: 'assign',
      name: 'churn',
      stage: 'dev',
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(originTags()).toEqual(['churn#dev#1', 'churn@v0.0.1'])
  })

  it('warns about a broken dvc.yaml and still reads the tag', async () => {
    box = sandbox({ 'dvc.yaml': 'artifacts: [\n' })
    const runner = box.runnerClone()
    const assigned = await runAction({
      command: 'assign',
      name: 'churn',
      stage: 'dev',
      repository: runner
    })
    expect(assigned.exitCode).toBe(0)
    const parsed = await runAction(
      { repository: box.runnerClone('deploy') },
      { GITHUB_REF: 'refs/tags/churn#dev#1' }
    )
    expect(parsed.exitCode).toBe(0)
    expect(parsed.outputs['is-gto-tag']).toBe('true')
    expect(parsed.outputs.type).toBe('')
    expect(parsed.log).toMatch(
      /::warning::dvc\.yaml at [0-9a-f]{7} is not valid YAML .*type, path and description of 'churn' stay empty/
    )
  })
})

describe('check-ref of a tag that is not there', () => {
  it('says where it looked', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    const fetched = await runAction({
      ref: 'churn#dev#9',
      repository: runner
    })
    expect(fetched.outputs['is-gto-tag']).toBe('false')
    expect(fetched.log).toContain(
      '::warning::Tag churn#dev#9 is not in this checkout as a tag of a ' +
        "commit. 'origin' has no annotated tag of that name either."
    )
    const local = await runAction({
      ref: 'churn#dev#9',
      fetch: 'false',
      repository: runner
    })
    expect(local.log).toContain(
      "'fetch: false' kept the tags of 'origin' out; set it to true to look " +
        'there.'
    )
  })

  it('names a lightweight tag as such', async () => {
    box = sandbox()
    const head = commit(box.work, { 'x.txt': '1' })
    git(box.work, ['push', '-q', 'origin', 'main'])
    const runner = box.runnerClone()
    git(runner, ['tag', 'churn@v1.0.0', head])
    const result = await runAction({
      ref: 'churn@v1.0.0',
      fetch: 'false',
      repository: runner
    })
    expect(result.outputs['is-gto-tag']).toBe('false')
    expect(result.log).toContain(
      'Tag churn@v1.0.0 is a lightweight tag here, and GTO reads only annotated tags.'
    )
  })
})
