// Faults around the repository and its remote: unreachable or refusing
// remotes, tags only the remote has, detached HEAD, broken registries.

import { afterEach, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { runAction } from './helpers/action.js'
import {
  commit,
  git,
  gtoTag,
  removeDir,
  sandbox,
  tagNames,
  tagsOf,
  tempDir,
  type Sandbox
} from './helpers/git.js'

let box: Sandbox | undefined
const dirs: string[] = []
afterEach(() => {
  box?.cleanup()
  box = undefined
  for (const dir of dirs.splice(0)) removeDir(dir)
})

function sb(): Sandbox {
  return box as Sandbox
}

function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

/** Every ref of a repository but its branches, with the object it names. */
function refsOf(repo: string): string {
  return git(repo, [
    'for-each-ref',
    '--format=%(objectname) %(refname)',
    'refs/tags',
    'refs/gto-action'
  ])
}

const REGISTER = (name: string, version: string) =>
  `Registering artifact ${name} version ${version}\n`
const ASSIGN = (name: string, version: string, stage: string) =>
  `Assigning stage ${stage} to artifact ${name} version ${version}\n`

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

describe('an unreachable remote', () => {
  async function unreachable(url: string, pattern: RegExp) {
    box = sandbox()
    const runner = box.runnerClone()
    git(runner, ['remote', 'set-url', 'origin', url])
    for (const fetch of ['true', 'false']) {
      const result = await runAction({
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        fetch,
        repository: runner
      })
      expect(result.exitCode).toBe(1)
      // Names the remote and says why git could not reach it.
      expect(result.error).toMatch(/'?origin'?/)
      expect(result.error).toMatch(pattern)
      expect(result.outputs.tag ?? '').toBe('')
      expect(tagNames(runner)).toEqual([])
    }
    expect(tagNames(box.origin)).toEqual([])
  }

  it('fails for a path that does not exist', async () => {
    const missing = join(tempDir('gto-gone-'), 'nothing-here.git')
    dirs.push(join(missing, '..'))
    await unreachable(
      missing,
      new RegExp(`${missing}' does not appear to be a git repository`)
    )
  })

  it('fails for an HTTP port nothing listens on', async () => {
    const port = await closedPort()
    await unreachable(
      `http://127.0.0.1:${port}/x.git`,
      new RegExp(`Failed to connect to 127\\.0\\.0\\.1 port ${port}`)
    )
  })

  it('reads the remote before pushing, even with fetch off', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    const port = await closedPort()
    git(runner, ['remote', 'set-url', 'origin', `http://127.0.0.1:${port}/x`])
    const result = await runAction({
      command: 'register',
      name: 'rf',
      fetch: 'false',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    // A push needs the remote's tags, so the listing fails first, before
    // any tag is created.
    expect(result.error).toMatch(/^Cannot list the refs of 'origin'/)
    expect(result.error).toMatch(/'token' input/)
    expect(result.log).toContain("'fetch: false' is ignored")
    expect(result.log).not.toContain('Creating tag')
    expect(tagNames(runner)).toEqual([])
  })
})

describe('a remote that refuses part of a push', () => {
  /** An update hook on origin: refuses one ref, accepts the others. */
  function refuseRef(ref: string): void {
    const hook = join(sb().origin, 'hooks', 'update')
    writeFileSync(
      hook,
      '#!/bin/sh\n' +
        `if [ "$1" = '${ref}' ]; then\n` +
        '  echo "policy: $1 is protected" >&2\n' +
        '  exit 1\n' +
        'fi\n' +
        'exit 0\n'
    )
    chmodSync(hook, 0o755)
  }

  it('lands neither tag when the server refuses one of them', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    refuseRef('refs/tags/rf#dev#1')
    const before = refsOf(box.origin)
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/Push to origin failed/)
    expect(result.error).toContain('policy: refs/tags/rf#dev#1 is protected')
    // The registration the hook accepted was not applied either: atomic.
    expect(refsOf(box.origin)).toBe(before)
    expect(tagNames(box.origin)).toEqual([])
    expect(tagNames(runner)).toEqual([])
  })

  it('pushes without the counter lock when the remote refuses it', async () => {
    box = sandbox()
    const first = head(box.work)
    gtoTag(box.work, 'rf@v0.0.1', first, REGISTER('rf', 'v0.0.1'))
    git(box.work, ['push', '-q', 'origin', '--tags'])
    const runner = box.runnerClone()
    refuseRef('refs/gto-action/counter/rf')
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'prod',
      retries: '0',
      repository: runner
    })
    // The first push is refused whole (it is atomic); the second goes
    // without the lock, and says what that costs.
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(result.log).toMatch(
      /::warning::origin refuses the counter lock ref .*not protected/
    )
    expect(tagNames(box.origin)).toEqual(['rf#prod#1', 'rf@v0.0.1'])
    expect(git(box.origin, ['for-each-ref', 'refs/gto-action']).trim()).toBe('')
    expect(tagNames(runner)).toEqual(['rf#prod#1', 'rf@v0.0.1'])
  })
})

describe('tags only the remote has', () => {
  /** origin: rf@v0.0.1 and rf#dev#1 on the first commit; none in runners. */
  function remoteOnly(): string {
    box = sandbox()
    const first = head(box.work)
    gtoTag(box.work, 'rf@v0.0.1', first, REGISTER('rf', 'v0.0.1'))
    gtoTag(
      box.work,
      'rf#dev#1',
      first,
      ASSIGN('rf', 'v0.0.1', 'dev'),
      '1700000100 +0000'
    )
    git(box.work, ['push', '-q', 'origin', '--tags'])
    return first
  }

  it('continues the counter from them', async () => {
    const first = remoteOnly()
    const runner = sb().runnerClone()
    expect(tagNames(runner)).toEqual([])
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'prod',
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    // The remote's v0.0.1 is the version at HEAD: no new registration.
    expect(result.outputs.tags).toBe('["rf#prod#2"]')
    expect(result.outputs.version).toBe('v0.0.1')
    expect(result.outputs.counter).toBe('2')
    expect(result.outputs.commit).toBe(first)
    expect(tagNames(sb().origin)).toEqual([
      'rf#dev#1',
      'rf#prod#2',
      'rf@v0.0.1'
    ])
  })

  it('reads them for check-ref', async () => {
    const first = remoteOnly()
    const runner = sb().runnerClone()
    const result = await runAction({
      command: 'check-ref',
      ref: 'refs/tags/rf#dev#1',
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['is-gto-tag']).toBe('true')
    expect(result.outputs.event).toBe('assignment')
    expect(result.outputs.version).toBe('v0.0.1')
    expect(result.outputs.stage).toBe('dev')
    expect(result.outputs.counter).toBe('1')
    expect(result.outputs.commit).toBe(first)
    expect(result.outputs['created-at']).toBe('2023-11-14T22:15:00+00:00')
    // It fetched that artifact's tags.
    expect(tagNames(runner)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
  })
})

describe('a detached HEAD', () => {
  it('assigns the commit HEAD is detached at', async () => {
    box = sandbox()
    const first = head(box.work)
    commit(box.work, { 'model.txt': '2' })
    git(box.work, ['push', '-q', 'origin', 'main'])
    const runner = join(box.root, 'detached')
    git(box.root, ['clone', '-q', `file://${box.origin}`, runner])
    git(runner, ['checkout', '-q', '--detach', first])
    expect(() => git(runner, ['symbolic-ref', '-q', 'HEAD'])).toThrow()

    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.commit).toBe(first)
    expect(result.outputs.tags).toBe('["rf@v0.0.1","rf#dev#1"]')
    const origin = tagsOf(box.origin)
    expect(origin.get('rf@v0.0.1')?.commit).toBe(first)
    expect(origin.get('rf#dev#1')?.commit).toBe(first)
    // HEAD stays detached where it was.
    expect(head(runner)).toBe(first)
  })
})

describe('no repository', () => {
  it('names a folder that does not exist', async () => {
    const parent = tempDir('gto-nothing-')
    dirs.push(parent)
    const missing = join(parent, 'no-such-checkout')
    const result = await runAction({ command: 'show', repository: missing })
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/Input 'repository'/)
    expect(result.error).toContain(missing)
    expect(result.error).toMatch(/actions\/checkout/)
  })

  it('names GITHUB_WORKSPACE when it is no repository', async () => {
    const workspace = tempDir('gto-workspace-')
    dirs.push(workspace)
    mkdirSync(join(workspace, 'sub'))
    const result = await runAction(
      { command: 'assign', name: 'rf', stage: 'dev' },
      { GITHUB_WORKSPACE: workspace }
    )
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/is not a git repository/)
    expect(result.error).toContain(workspace)
    expect(result.error).toMatch(/actions\/checkout/)
  })
})

describe('two versions of one artifact on one commit', () => {
  function broken(): { runner: string; first: string } {
    box = sandbox()
    const first = head(box.work)
    gtoTag(box.work, 'rf@v0.0.1', first, REGISTER('rf', 'v0.0.1'))
    gtoTag(
      box.work,
      'rf@v0.0.2',
      first,
      REGISTER('rf', 'v0.0.2'),
      '1700000100 +0000'
    )
    gtoTag(box.work, 'nn@v1.0.0', first, REGISTER('nn', 'v1.0.0'))
    git(box.work, ['push', '-q', 'origin', '--tags'])
    return { runner: box.runnerClone(), first }
  }

  const problem = (first: string) => [
    /Artifact 'rf'/,
    /v0\.0\.1/,
    /v0\.0\.2/,
    new RegExp(first),
    /delete the tags of one of them/
  ]

  it.each<Record<string, string>>([
    { command: 'show', name: 'rf' },
    { command: 'history', name: 'rf' },
    { command: 'assign', name: 'rf', stage: 'dev' },
    { command: 'register', name: 'rf' },
    { command: 'check-ref', ref: 'rf@v0.0.2' }
  ])('fails $command of that artifact', async inputs => {
    const { runner, first } = broken()
    const before = refsOf(sb().origin)
    const result = await runAction({ ...inputs, repository: runner })
    expect(result.exitCode).toBe(1)
    for (const pattern of problem(first)) expect(result.error).toMatch(pattern)
    expect(refsOf(sb().origin)).toBe(before)
    expect(tagNames(runner).filter(t => t.includes('#'))).toEqual([])
  })

  it('still serves the other artifact', async () => {
    const { runner, first } = broken()
    const assigned = await runAction({
      command: 'assign',
      name: 'nn',
      stage: 'prod',
      repository: runner
    })
    expect(assigned.error).toBeUndefined()
    expect(assigned.exitCode).toBe(0)
    expect(assigned.outputs.tags).toBe('["nn#prod#1"]')
    expect(assigned.outputs.version).toBe('v1.0.0')
    expect(tagsOf(sb().origin).get('nn#prod#1')?.commit).toBe(first)

    const shown = await runAction({
      command: 'show',
      name: 'nn',
      repository: runner
    })
    expect(shown.exitCode).toBe(0)
    expect(JSON.parse(shown.outputs.matrix).include).toEqual([
      expect.objectContaining({ name: 'nn', version: 'v1.0.0', stage: 'prod' })
    ])
  })
})

describe('fetch: false with a remote that moved on', () => {
  /**
   * origin: rf@v0.0.1 and rf#dev#1 (pushed by another run); the runner has
   * only rf@v0.0.1.
   */
  function behind(): { runner: string; first: string } {
    box = sandbox()
    const first = head(box.work)
    gtoTag(box.work, 'rf@v0.0.1', first, REGISTER('rf', 'v0.0.1'))
    git(box.work, ['push', '-q', 'origin', '--tags'])
    const runner = box.runnerClone()
    git(runner, ['fetch', '-q', 'origin', '+refs/tags/*:refs/tags/*'])
    gtoTag(
      box.work,
      'rf#dev#1',
      first,
      ASSIGN('rf', 'v0.0.1', 'dev'),
      '1700000100 +0000'
    )
    git(box.work, ['push', '-q', 'origin', '--tags'])
    return { runner, first }
  }

  it('reads the remote anyway when pushing: the next counter', async () => {
    const { runner, first } = behind()
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'prod',
      fetch: 'false',
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(result.log).toContain("'fetch: false' is ignored")
    // The remote's rf#dev#1 was read, so the counter moves on.
    expect(result.outputs.tags).toBe('["rf#prod#2"]')
    const origin = tagsOf(sb().origin)
    expect([...origin.keys()].sort()).toEqual([
      'rf#dev#1',
      'rf#prod#2',
      'rf@v0.0.1'
    ])
    expect(origin.get('rf#dev#1')?.message).toBe(ASSIGN('rf', 'v0.0.1', 'dev'))
    expect(origin.get('rf#dev#1')?.commit).toBe(first)
    // The counter lock was taken, at the new tag.
    const lock = git(sb().origin, [
      'for-each-ref',
      '--format=%(tag)',
      'refs/gto-action'
    ])
    expect(lock.trim()).toBe('rf#prod#2')
  })

  it('refuses a stage the remote says is held, overwriting nothing', async () => {
    const { runner } = behind()
    const before = refsOf(sb().origin)
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      fetch: 'false',
      retries: '2',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    expect(result.error).toBe(
      "Version v0.0.1 of 'rf' is already in stage 'dev'. Set 'force: true' " +
        'to assign it again.'
    )
    expect(refsOf(sb().origin)).toBe(before)
    expect(tagNames(runner)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
  })
})
