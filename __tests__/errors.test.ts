// Failures end to end with real git: each fails with exit code 1 and an
// error naming the input and what to do, and leaves every tag list as it was.

import * as core from '@actions/core'
import { afterEach, describe, expect, it } from '@jest/globals'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAction, type ActionResult } from './helpers/action.js'
import {
  commit,
  git,
  gtoTag,
  removeDir,
  sandbox,
  tagNames,
  tempDir,
  type Sandbox
} from './helpers/git.js'

// An imperative telling the user what to do next.
const ADVICE =
  /\b(use|set|give|check|choose|leave|register|assign|delete|add|point|run)\b/i

let box: Sandbox
afterEach(() => box?.cleanup())

/** Every tag ref with the object it names: any change shows. */
function refsOf(repo: string): string {
  return git(repo, [
    'for-each-ref',
    '--format=%(objectname) %(refname)',
    'refs/tags'
  ])
}

function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

/** A runner-like clone that already holds the origin's tags. */
function syncedRunner(): string {
  const runner = box.runnerClone()
  git(runner, ['fetch', '-q', 'origin', '+refs/tags/*:refs/tags/*'])
  return runner
}

/** `rf@v0.0.1` on the first commit, pushed with the tags. */
function registered(extra: (first: string) => void = () => {}): string {
  box = sandbox()
  const first = head(box.work)
  gtoTag(
    box.work,
    'rf@v0.0.1',
    first,
    'Registering artifact rf version v0.0.1\n'
  )
  extra(first)
  git(box.work, ['push', '-q', 'origin', 'main', '--tags'])
  return first
}

/**
 * Runs the action, expects it to fail with an error matching every pattern
 * and some advice, and the tags of `repos` to be exactly as before.
 */
async function expectFailure(
  inputs: Record<string, string>,
  repos: string[],
  patterns: RegExp[]
): Promise<ActionResult> {
  const before = repos.map(refsOf)
  ;(core.summary as unknown as { _filePath?: string })._filePath = undefined
  const result = await runAction(inputs)
  expect(result.exitCode).toBe(1)
  expect(result.error).toBeDefined()
  for (const pattern of patterns) expect(result.error).toMatch(pattern)
  expect(result.error).toMatch(ADVICE)
  expect(result.outputs.tag ?? '').toBe('')
  expect(repos.map(refsOf)).toEqual(before)
  return result
}

describe('invalid inputs', () => {
  it.each(['a model', '-x'])('rejects the name %j', async name => {
    box = sandbox()
    const runner = box.runnerClone()
    await expectFailure(
      { command: 'assign', name, stage: 'dev', repository: runner },
      [box.origin, runner],
      [/Input 'name'/, new RegExp(name), /letters, digits/]
    )
    expect(tagNames(runner)).toEqual([])
    expect(tagNames(box.origin)).toEqual([])
  })

  it('rejects an invalid stage', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await expectFailure(
      { command: 'assign', name: 'rf', stage: '_prod', repository: runner },
      [box.origin, runner],
      [/Input 'stage'/, /_prod/, /letters, digits/]
    )
    expect(tagNames(box.origin)).toEqual([])
  })

  it('rejects a version without the v', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await expectFailure(
      { command: 'register', name: 'rf', version: '1.2.3', repository: runner },
      [box.origin, runner],
      [/Input 'version'/, /"1\.2\.3"/, /v1\.2\.3/]
    )
    expect(tagNames(box.origin)).toEqual([])
  })

  it('rejects a ref that names no commit', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await expectFailure(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        ref: 'no-such-branch',
        repository: runner
      },
      [box.origin, runner],
      [/Input 'ref'/, /no-such-branch/]
    )
    expect(tagNames(box.origin)).toEqual([])
  })

  it("rejects 'bump' on the first version", async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await expectFailure(
      { command: 'register', name: 'rf', bump: 'minor', repository: runner },
      [box.origin, runner],
      [/'bump/, /v0\.0\.1/]
    )
    expect(tagNames(box.origin)).toEqual([])
  })

  it("rejects 'version' and 'bump' together", async () => {
    registered()
    const runner = syncedRunner()
    commit(box.work, { 'x.txt': 'x' })
    await expectFailure(
      {
        command: 'register',
        name: 'rf',
        version: 'v1.0.0',
        bump: 'minor',
        repository: runner
      },
      [box.origin, runner],
      [/'version'/, /'bump'/]
    )
    expect(tagNames(box.origin)).toEqual(['rf@v0.0.1'])
  })

  it("rejects a 'repository' that is no git repository", async () => {
    box = sandbox()
    const dir = tempDir('gto-not-a-repo-')
    try {
      await expectFailure(
        { command: 'register', name: 'rf', repository: dir },
        [box.origin],
        [/Input 'repository'/, new RegExp(dir)]
      )
    } finally {
      removeDir(dir)
    }
    expect(tagNames(box.origin)).toEqual([])
  })

  it("rejects an unknown 'remote' while pushing", async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await expectFailure(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        remote: 'upstream',
        repository: runner
      },
      [box.origin, runner],
      [/Input 'remote'/, /'upstream'/, /'push: false'/]
    )
    expect(tagNames(runner)).toEqual([])
  })
})

describe('registry rules', () => {
  it('rejects a stage that .gto does not list, listing the allowed ones', async () => {
    box = sandbox({ '.gto': 'stages: [dev, prod]\n' })
    const runner = box.runnerClone()
    await expectFailure(
      { command: 'assign', name: 'rf', stage: 'qa', repository: runner },
      [box.origin, runner],
      [/[Ss]tage 'qa'/, /dev, prod/, /\.gto/]
    )
    expect(tagNames(box.origin)).toEqual([])
    expect(tagNames(runner)).toEqual([])
  })

  it('rejects a version registered at another commit', async () => {
    const first = registered()
    commit(box.work, { 'x.txt': 'x' })
    git(box.work, ['push', '-q', 'origin', 'main'])
    const runner = syncedRunner()
    await expectFailure(
      {
        command: 'register',
        name: 'rf',
        version: 'v0.0.1',
        repository: runner
      },
      [box.origin, runner],
      [
        /v0\.0\.1/,
        new RegExp(`already registered at commit ${first}`),
        /'version'/
      ]
    )
    expect(tagNames(box.origin)).toEqual(['rf@v0.0.1'])
  })

  it('rejects registering a commit that already has a version', async () => {
    const first = registered()
    const runner = syncedRunner()
    await expectFailure(
      { command: 'register', name: 'rf', repository: runner },
      [box.origin, runner],
      [new RegExp(`${first} already has version v0\\.0\\.1`), /'force: true'/]
    )
    await expectFailure(
      {
        command: 'register',
        name: 'rf',
        version: 'v0.0.2',
        repository: runner
      },
      [box.origin, runner],
      [/already has version v0\.0\.1/]
    )
    expect(tagNames(box.origin)).toEqual(['rf@v0.0.1'])
  })

  it('rejects assigning a stage the version already holds', async () => {
    registered(first =>
      gtoTag(
        box.work,
        'rf#dev#1',
        first,
        'Assigning stage dev to artifact rf version v0.0.1\n'
      )
    )
    const runner = syncedRunner()
    const byVersion = {
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      version: 'v0.0.1',
      repository: runner
    }
    await expectFailure(
      byVersion,
      [box.origin, runner],
      [/v0\.0\.1/, /already in stage 'dev'/, /'force: true'/]
    )
    const byRef = {
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      repository: runner
    }
    await expectFailure(
      byRef,
      [box.origin, runner],
      [/already in stage 'dev'/, /'force: true'/]
    )
    expect(tagNames(box.origin)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
  })
})

describe('a push the remote refuses', () => {
  function refuse(): void {
    const hook = join(box.origin, 'hooks', 'pre-receive')
    writeFileSync(hook, '#!/bin/sh\necho "refused by policy" >&2\nexit 1\n')
    chmodSync(hook, 0o755)
  }

  it('leaves neither the registration nor the assignment anywhere', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    refuse()
    const result = await expectFailure(
      { command: 'assign', name: 'rf', stage: 'dev', repository: runner },
      [box.origin, runner],
      [/Push to origin failed/, /refused by policy/, /token/]
    )
    expect(tagNames(runner)).toEqual([])
    expect(tagNames(box.origin)).toEqual([])
    // It tried to push both tags at once.
    expect(result.log).toContain('Pushing to origin: rf@v0.0.1, rf#dev#1')
  })

  it('keeps the tags of an existing version when the push fails', async () => {
    registered()
    const runner = syncedRunner()
    refuse()
    await expectFailure(
      { command: 'assign', name: 'rf', stage: 'prod', repository: runner },
      [box.origin, runner],
      [/Push to origin failed/]
    )
    expect(tagNames(runner)).toEqual(['rf@v0.0.1'])
    expect(tagNames(box.origin)).toEqual(['rf@v0.0.1'])
  })

  it('deletes nothing, locally or remotely, when the deletion is refused', async () => {
    registered(first =>
      gtoTag(
        box.work,
        'rf#dev#1',
        first,
        'Assigning stage dev to artifact rf version v0.0.1\n'
      )
    )
    const runner = syncedRunner()
    refuse()
    await expectFailure(
      { command: 'deprecate', name: 'rf', delete: 'true', repository: runner },
      [box.origin, runner],
      [/Push to origin failed/]
    )
    expect(tagNames(runner)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
    expect(tagNames(box.origin)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
  })
})
