// The registry's lifecycle end to end with real git: every writing command,
// then show, history and the job summary, checked in the origin and clones.

import * as core from '@actions/core'
import { afterEach, describe, expect, it } from '@jest/globals'
import { runAction, type ActionResult } from './helpers/action.js'
import {
  commit,
  git,
  sandbox,
  tagNames,
  tagsOf,
  type Sandbox,
  type TagInfo
} from './helpers/git.js'

const BOT_NAME = 'github-actions[bot]'
const BOT_EMAIL = '41898282+github-actions[bot]@users.noreply.github.com'
const BOT = `${BOT_NAME} <${BOT_EMAIL}>`

// Each step of a scenario gets its own tagger second, so the order of
// events is what the scenario says, not what the clock happened to do.
const T0 = 1_700_000_000

function iso(step: number): string {
  return new Date((T0 + step) * 1000).toISOString().replace('.000Z', '+00:00')
}

async function act(
  inputs: Record<string, string>,
  step: number,
  env: Record<string, string> = {}
): Promise<ActionResult> {
  forgetSummaryFile()
  const result = await runAction(inputs, {
    GIT_COMMITTER_DATE: `${T0 + step} +0000`,
    ...env
  })
  expect(result.error).toBeUndefined()
  expect(result.exitCode).toBe(0)
  return result
}

/**
 * `core.summary` keeps the first GITHUB_STEP_SUMMARY path it sees, and a
 * runner starts a new process for every step; here every run has its own
 * file, so forget the old one.
 */
function forgetSummaryFile(): void {
  ;(core.summary as unknown as { _filePath?: string })._filePath = undefined
}

function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

/** A new commit on main, pushed, and a fresh runner clone checking it out. */
function advance(box: Sandbox, file: string): { sha: string; runner: string } {
  const sha = commit(box.work, { [file]: `${file}\n` }, `add ${file}`)
  git(box.work, ['push', '-q', 'origin', 'main'])
  return { sha, runner: box.runnerClone() }
}

/** What a GTO tag holds: an annotated tag by the bot on a commit. */
function gto(commit: string, message: string): Omit<TagInfo, 'name'> {
  return { type: 'tag', commit, tagger: BOT, message: `${message}\n` }
}

/** The repository's tags, without the name field repeated in each value. */
function tagTable(repo: string): Record<string, Omit<TagInfo, 'name'>> {
  const table: Record<string, Omit<TagInfo, 'name'>> = {}
  for (const [name, info] of tagsOf(repo)) {
    table[name] = {
      type: info.type,
      commit: info.commit,
      tagger: info.tagger,
      message: info.message
    }
  }
  return table
}

let box: Sandbox
afterEach(() => box?.cleanup())

describe('register', () => {
  it('starts at v0.0.1, bumps, takes a version, and counts when not simple', async () => {
    box = sandbox()
    const c1 = head(box.work)
    const r1 = box.runnerClone()

    const first = await act(
      { command: 'register', name: 'rf', repository: r1 },
      1
    )
    expect(first.outputs).toMatchObject({
      event: 'registration',
      name: 'rf',
      model: 'rf',
      version: 'v0.0.1',
      stage: '',
      tag: 'rf@v0.0.1',
      tags: '["rf@v0.0.1"]',
      commit: c1,
      counter: '',
      pushed: 'true',
      message: 'Registering artifact rf version v0.0.1',
      author: BOT_NAME,
      'author-email': BOT_EMAIL,
      'created-at': iso(1)
    })
    const json = JSON.parse(first.outputs.json) as Record<string, string>[]
    expect(json).toEqual([
      {
        artifact: 'rf',
        created_at: iso(1),
        author: BOT_NAME,
        author_email: BOT_EMAIL,
        message: 'Registering artifact rf version v0.0.1',
        commit_hexsha: c1,
        tag: 'rf@v0.0.1',
        version: 'v0.0.1',
        event: 'registration'
      }
    ])
    expect(Object.keys(json[0])).toEqual([
      'artifact',
      'created_at',
      'author',
      'author_email',
      'message',
      'commit_hexsha',
      'tag',
      'version',
      'event'
    ])
    const v001 = gto(c1, 'Registering artifact rf version v0.0.1')
    expect(tagTable(box.origin)).toEqual({ 'rf@v0.0.1': v001 })
    expect(tagTable(r1)).toEqual({ 'rf@v0.0.1': v001 })

    const { sha: c2, runner: r2 } = advance(box, 'two.txt')
    const minor = await act(
      { command: 'register', name: 'rf', bump: 'minor', repository: r2 },
      2
    )
    expect(minor.outputs).toMatchObject({
      version: 'v0.1.0',
      tag: 'rf@v0.1.0',
      commit: c2,
      pushed: 'true'
    })
    const v010 = gto(c2, 'Registering artifact rf version v0.1.0')
    expect(tagTable(box.origin)).toEqual({
      'rf@v0.0.1': v001,
      'rf@v0.1.0': v010
    })
    // The runner fetched the older tag before computing the bump.
    expect(tagTable(r2)).toEqual({ 'rf@v0.0.1': v001, 'rf@v0.1.0': v010 })

    const { sha: c3, runner: r3 } = advance(box, 'three.txt')
    const given = await act(
      { command: 'register', name: 'rf', version: 'v1.0.0', repository: r3 },
      3
    )
    expect(given.outputs).toMatchObject({
      version: 'v1.0.0',
      tag: 'rf@v1.0.0',
      tags: '["rf@v1.0.0"]',
      commit: c3
    })
    const v100 = gto(c3, 'Registering artifact rf version v1.0.0')

    const { sha: c4, runner: r4 } = advance(box, 'four.txt')
    const counted = await act(
      { command: 'register', name: 'rf', simple: 'false', repository: r4 },
      4
    )
    expect(counted.outputs).toMatchObject({
      version: 'v1.0.1',
      tag: 'rf@v1.0.1#1',
      counter: '1',
      commit: c4,
      'created-at': iso(4)
    })
    const v101 = gto(c4, 'Registering artifact rf version v1.0.1')
    const all = {
      'rf@v0.0.1': v001,
      'rf@v0.1.0': v010,
      'rf@v1.0.0': v100,
      'rf@v1.0.1#1': v101
    }
    expect(tagTable(box.origin)).toEqual(all)
    expect(tagTable(r4)).toEqual(all)
  })
})

describe('assign', () => {
  it('assigns an existing version on its own commit, not on HEAD', async () => {
    box = sandbox()
    const c1 = head(box.work)
    await act(
      { command: 'register', name: 'rf', repository: box.runnerClone() },
      1
    )
    const { sha: c2, runner } = advance(box, 'later.txt')

    const result = await act(
      {
        command: 'assign',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'prod',
        repository: runner
      },
      2
    )

    expect(c2).not.toBe(c1)
    expect(result.outputs).toMatchObject({
      event: 'assignment',
      name: 'rf',
      version: 'v0.0.1',
      stage: 'prod',
      tag: 'rf#prod#1',
      tags: '["rf#prod#1"]',
      counter: '1',
      commit: c1,
      pushed: 'true',
      message: 'Assigning stage prod to artifact rf version v0.0.1'
    })
    const expected = {
      'rf@v0.0.1': gto(c1, 'Registering artifact rf version v0.0.1'),
      'rf#prod#1': gto(c1, 'Assigning stage prod to artifact rf version v0.0.1')
    }
    expect(tagTable(box.origin)).toEqual(expected)
    expect(tagTable(runner)).toEqual(expected)
  })

  it('assigns by ref: registers an unversioned commit, reuses a versioned one', async () => {
    box = sandbox()
    const c1 = head(box.work)
    await act(
      { command: 'register', name: 'rf', repository: box.runnerClone() },
      1
    )
    const { sha: c2, runner } = advance(box, 'later.txt')

    const fresh = await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        ref: c2,
        repository: runner
      },
      2
    )
    expect(fresh.outputs).toMatchObject({
      event: 'assignment',
      version: 'v0.0.2',
      stage: 'dev',
      tag: 'rf#dev#1',
      tags: '["rf@v0.0.2","rf#dev#1"]',
      commit: c2
    })
    const afterFresh = {
      'rf@v0.0.1': gto(c1, 'Registering artifact rf version v0.0.1'),
      'rf@v0.0.2': gto(c2, 'Registering artifact rf version v0.0.2'),
      'rf#dev#1': gto(c2, 'Assigning stage dev to artifact rf version v0.0.2')
    }
    expect(tagTable(box.origin)).toEqual(afterFresh)
    expect(tagTable(runner)).toEqual(afterFresh)

    // The full clone can name the older, already registered commit.
    const reused = await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        ref: c1,
        repository: box.work
      },
      3
    )
    expect(reused.outputs).toMatchObject({
      version: 'v0.0.1',
      tag: 'rf#dev#2',
      tags: '["rf#dev#2"]',
      commit: c1
    })
    const afterReuse = {
      ...afterFresh,
      'rf#dev#2': gto(c1, 'Assigning stage dev to artifact rf version v0.0.1')
    }
    expect(tagTable(box.origin)).toEqual(afterReuse)
    expect(tagTable(box.work)).toEqual(afterReuse)
  })
  it('assigns by a ref naming a tag the runner has not fetched yet', async () => {
    box = sandbox()
    const c1 = head(box.work)
    await act(
      { command: 'register', name: 'rf', repository: box.runnerClone() },
      1
    )
    const { runner } = advance(box, 'later.txt')
    expect(tagNames(runner)).toEqual([])

    const result = await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'prod',
        ref: 'rf@v0.0.1',
        repository: runner
      },
      2
    )

    expect(result.outputs).toMatchObject({
      version: 'v0.0.1',
      tag: 'rf#prod#1',
      tags: '["rf#prod#1"]',
      commit: c1
    })
    expect(tagTable(box.origin)['rf#prod#1']).toEqual(
      gto(c1, 'Assigning stage prod to artifact rf version v0.0.1')
    )
  })
})

describe('unassign', () => {
  it("creates name#stage!#N on the version's commit and pushes it", async () => {
    box = sandbox()
    const c1 = head(box.work)
    await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        repository: box.runnerClone()
      },
      1
    )
    const { runner } = advance(box, 'later.txt')

    const result = await act(
      {
        command: 'unassign',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        repository: runner
      },
      2
    )

    const message = "Unassigning stage 'dev' to artifact 'rf' version 'v0.0.1'"
    expect(result.outputs).toMatchObject({
      event: 'unassignment',
      name: 'rf',
      version: 'v0.0.1',
      stage: 'dev',
      tag: 'rf#dev!#2',
      tags: '["rf#dev!#2"]',
      counter: '2',
      commit: c1,
      pushed: 'true',
      message
    })
    const expected = {
      'rf@v0.0.1': gto(c1, 'Registering artifact rf version v0.0.1'),
      'rf#dev#1': gto(c1, 'Assigning stage dev to artifact rf version v0.0.1'),
      'rf#dev!#2': gto(c1, message)
    }
    expect(tagTable(box.origin)).toEqual(expected)
    expect(tagTable(runner)).toEqual(expected)
  })

  it("with delete removes only that version's tags of the stage", async () => {
    box = sandbox()
    const r1 = box.runnerClone()
    const base = { name: 'rf', repository: r1 }
    await act({ ...base, command: 'assign', stage: 'dev' }, 1)
    await act(
      { ...base, command: 'unassign', version: 'v0.0.1', stage: 'dev' },
      2
    )
    await act(
      { ...base, command: 'assign', version: 'v0.0.1', stage: 'dev' },
      3
    )
    await act(
      { ...base, command: 'assign', version: 'v0.0.1', stage: 'prod' },
      4
    )
    const { runner: r2 } = advance(box, 'later.txt')
    await act(
      { command: 'assign', name: 'rf', stage: 'dev', repository: r2 },
      5
    )
    const before = tagTable(box.origin)
    expect(Object.keys(before).sort()).toEqual([
      'rf#dev!#2',
      'rf#dev#1',
      'rf#dev#3',
      'rf#dev#5',
      'rf#prod#4',
      'rf@v0.0.1',
      'rf@v0.0.2'
    ])

    const result = await act(
      {
        command: 'unassign',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        delete: 'true',
        repository: r2
      },
      6
    )

    expect(result.outputs).toMatchObject({
      name: 'rf',
      version: 'v0.0.1',
      stage: 'dev',
      tags: '["rf#dev#1","rf#dev!#2","rf#dev#3"]',
      deleted: 'true',
      pushed: 'true'
    })
    const kept = ['rf#dev#5', 'rf#prod#4', 'rf@v0.0.1', 'rf@v0.0.2']
    expect(tagNames(box.origin)).toEqual(kept)
    expect(tagNames(r2)).toEqual(kept)
    // What is left is untouched.
    expect(tagTable(box.origin)['rf#prod#4']).toEqual(before['rf#prod#4'])
    expect(tagTable(box.origin)['rf#dev#5']).toEqual(before['rf#dev#5'])
  })
})

describe('deregister', () => {
  it("creates name@vX! on the version's commit", async () => {
    box = sandbox()
    const c1 = head(box.work)
    await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        repository: box.runnerClone()
      },
      1
    )
    const { runner } = advance(box, 'later.txt')

    const result = await act(
      {
        command: 'deregister',
        name: 'rf',
        version: 'v0.0.1',
        repository: runner
      },
      2
    )

    expect(result.outputs).toMatchObject({
      event: 'deregistration',
      name: 'rf',
      version: 'v0.0.1',
      stage: '',
      tag: 'rf@v0.0.1!',
      tags: '["rf@v0.0.1!"]',
      counter: '',
      commit: c1,
      pushed: 'true'
    })
    const expected = {
      'rf@v0.0.1': gto(c1, 'Registering artifact rf version v0.0.1'),
      'rf#dev#1': gto(c1, 'Assigning stage dev to artifact rf version v0.0.1'),
      'rf@v0.0.1!': gto(c1, 'Deregistering artifact rf version v0.0.1')
    }
    expect(tagTable(box.origin)).toEqual(expected)
    expect(tagTable(runner)).toEqual(expected)
  })

  it('with delete removes every tag of the version and nothing else', async () => {
    box = sandbox()
    await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        repository: box.runnerClone()
      },
      1
    )
    const { runner } = advance(box, 'later.txt')
    const base = { name: 'rf', repository: runner }
    await act({ ...base, command: 'assign', stage: 'prod' }, 2)
    await act(
      { ...base, command: 'unassign', version: 'v0.0.1', stage: 'dev' },
      3
    )
    const before = tagTable(box.origin)

    const result = await act(
      { ...base, command: 'deregister', version: 'v0.0.1', delete: 'true' },
      4
    )

    expect(result.outputs).toMatchObject({
      name: 'rf',
      version: 'v0.0.1',
      tags: '["rf@v0.0.1","rf#dev#1","rf#dev!#3"]',
      deleted: 'true',
      pushed: 'true'
    })
    const kept = {
      'rf@v0.0.2': before['rf@v0.0.2'],
      'rf#prod#2': before['rf#prod#2']
    }
    expect(tagTable(box.origin)).toEqual(kept)
    expect(tagTable(runner)).toEqual(kept)
  })
})

describe('deprecate', () => {
  it("tags the commit of the artifact's newest event, not HEAD", async () => {
    box = sandbox()
    const c1 = head(box.work)
    await act(
      { command: 'register', name: 'rf', repository: box.runnerClone() },
      1
    )
    const { sha: c2, runner: r2 } = advance(box, 'two.txt')
    await act({ command: 'register', name: 'rf', repository: r2 }, 2)
    // The newest event is on the older commit.
    await act(
      {
        command: 'assign',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        repository: r2
      },
      3
    )
    const { sha: c3, runner: r3 } = advance(box, 'three.txt')

    const result = await act(
      { command: 'deprecate', name: 'rf', repository: r3 },
      4
    )

    expect(new Set([c1, c2, c3]).size).toBe(3)
    expect(result.outputs).toMatchObject({
      event: 'deprecation',
      name: 'rf',
      version: '',
      stage: '',
      tag: 'rf@deprecated',
      tags: '["rf@deprecated"]',
      counter: '',
      commit: c1,
      pushed: 'true',
      message: "Deprecating artifact 'rf'"
    })
    const tag = gto(c1, "Deprecating artifact 'rf'")
    expect(tagTable(box.origin)['rf@deprecated']).toEqual(tag)
    expect(tagTable(r3)['rf@deprecated']).toEqual(tag)
    expect(tagNames(box.origin)).toEqual([
      'rf#dev#1',
      'rf@deprecated',
      'rf@v0.0.1',
      'rf@v0.0.2'
    ])

    // A deprecated artifact drops out of `show`.
    const shown = await act({ command: 'show', repository: r3 }, 5)
    expect(JSON.parse(shown.outputs.json)).toEqual({})
    expect(JSON.parse(shown.outputs.matrix)).toEqual({ include: [] })
  })

  it('with force uses the counter form, even when already deprecated', async () => {
    box = sandbox()
    const c1 = head(box.work)
    const runner = box.runnerClone()
    await act(
      { command: 'assign', name: 'rf', stage: 'dev', repository: runner },
      1
    )
    await act({ command: 'deprecate', name: 'rf', repository: runner }, 2)

    const result = await act(
      { command: 'deprecate', name: 'rf', force: 'true', repository: runner },
      3
    )

    expect(result.outputs).toMatchObject({
      event: 'deprecation',
      tag: 'rf@deprecated#2',
      tags: '["rf@deprecated#2"]',
      counter: '2',
      commit: c1
    })
    const expected = {
      'rf@v0.0.1': gto(c1, 'Registering artifact rf version v0.0.1'),
      'rf#dev#1': gto(c1, 'Assigning stage dev to artifact rf version v0.0.1'),
      'rf@deprecated': gto(c1, "Deprecating artifact 'rf'"),
      'rf@deprecated#2': gto(c1, "Deprecating artifact 'rf'")
    }
    expect(tagTable(box.origin)).toEqual(expected)
    expect(tagTable(runner)).toEqual(expected)
  })

  it('with delete removes every tag of the artifact and no other', async () => {
    box = sandbox()
    const r1 = box.runnerClone()
    await act(
      { command: 'assign', name: 'rf', stage: 'dev', repository: r1 },
      1
    )
    await act({ command: 'register', name: 'other', repository: r1 }, 1)
    await act(
      {
        command: 'unassign',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        repository: r1
      },
      2
    )
    const { runner: r2 } = advance(box, 'later.txt')
    await act(
      { command: 'assign', name: 'rf', stage: 'prod', repository: r2 },
      3
    )
    const before = tagTable(box.origin)
    expect(Object.keys(before)).toHaveLength(6)

    const result = await act(
      { command: 'deprecate', name: 'rf', delete: 'true', repository: r2 },
      4
    )

    expect(result.outputs).toMatchObject({
      name: 'rf',
      tags: JSON.stringify([
        'rf@v0.0.1',
        'rf#dev#1',
        'rf#dev!#2',
        'rf@v0.0.2',
        'rf#prod#3'
      ]),
      deleted: 'true',
      pushed: 'true'
    })
    const kept = { 'other@v0.0.1': before['other@v0.0.1'] }
    expect(tagTable(box.origin)).toEqual(kept)
    // The runner fetched only rf's tags, and holds none of them now.
    expect(tagTable(r2)).toEqual({})
  })
})

describe('dry-run and push: false', () => {
  it('dry-run creates and pushes nothing, yet reports the tags', async () => {
    box = sandbox()
    const c1 = head(box.work)
    const runner = box.runnerClone()

    const result = await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        'dry-run': 'true',
        repository: runner
      },
      1
    )

    expect(result.outputs).toMatchObject({
      event: 'assignment',
      name: 'rf',
      version: 'v0.0.1',
      stage: 'dev',
      tag: 'rf#dev#1',
      tags: '["rf@v0.0.1","rf#dev#1"]',
      counter: '1',
      commit: c1,
      pushed: 'false'
    })
    expect(result.log).toContain(`Would create tag rf#dev#1 on ${c1}`)
    expect(tagNames(box.origin)).toEqual([])
    expect(tagNames(runner)).toEqual([])
  })

  it('dry-run with delete deletes nothing, yet lists the tags', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    await act(
      { command: 'assign', name: 'rf', stage: 'dev', repository: runner },
      1
    )
    const origin = tagTable(box.origin)
    const local = tagTable(runner)

    const result = await act(
      {
        command: 'deprecate',
        name: 'rf',
        delete: 'true',
        'dry-run': 'true',
        repository: runner
      },
      2
    )

    expect(result.outputs).toMatchObject({
      tags: '["rf@v0.0.1","rf#dev#1"]',
      deleted: 'false',
      pushed: 'false'
    })
    expect(tagTable(box.origin)).toEqual(origin)
    expect(tagTable(runner)).toEqual(local)
    expect(Object.keys(origin)).toHaveLength(2)
  })

  it('push: false creates the tags locally only', async () => {
    box = sandbox()
    const c1 = head(box.work)
    const runner = box.runnerClone()

    const result = await act(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        push: 'false',
        repository: runner
      },
      1
    )

    expect(result.outputs).toMatchObject({
      tag: 'rf#dev#1',
      tags: '["rf@v0.0.1","rf#dev#1"]',
      commit: c1,
      pushed: 'false'
    })
    expect(tagTable(runner)).toEqual({
      'rf@v0.0.1': gto(c1, 'Registering artifact rf version v0.0.1'),
      'rf#dev#1': gto(c1, 'Assigning stage dev to artifact rf version v0.0.1')
    })
    expect(tagNames(box.origin)).toEqual([])
  })
})

describe('show, history and the job summary', () => {
  // register v0.0.1, assign dev; assign prod to a newer commit (registering
  // v0.0.2); assign dev to v0.0.2 and unassign it, so dev falls back.
  async function scenario(): Promise<{ c1: string; c2: string }> {
    box = sandbox()
    const c1 = head(box.work)
    const r1 = box.runnerClone()
    await act({ command: 'register', name: 'rf', repository: r1 }, 1)
    await act(
      {
        command: 'assign',
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        repository: r1
      },
      2
    )
    const { sha: c2, runner: r2 } = advance(box, 'later.txt')
    await act(
      { command: 'assign', name: 'rf', stage: 'prod', repository: r2 },
      3
    )
    await act(
      {
        command: 'assign',
        name: 'rf',
        version: 'v0.0.2',
        stage: 'dev',
        repository: r2
      },
      4
    )
    await act(
      {
        command: 'unassign',
        name: 'rf',
        version: 'v0.0.2',
        stage: 'dev',
        repository: r2
      },
      5
    )
    return { c1, c2 }
  }

  it("gives GTO's show --json and a matrix of stage holders", async () => {
    const { c1, c2 } = await scenario()
    expect(tagNames(box.origin)).toEqual([
      'rf#dev!#4',
      'rf#dev#1',
      'rf#dev#3',
      'rf#prod#2',
      'rf@v0.0.1',
      'rf@v0.0.2'
    ])
    const runner = box.runnerClone()
    const origin = tagTable(box.origin)

    const result = await act({ command: 'show', repository: runner }, 6)

    expect(JSON.parse(result.outputs.json)).toEqual({
      rf: {
        version: 'v0.0.2',
        stage: { dev: 'v0.0.1', prod: 'v0.0.2' },
        registered: true,
        active: true
      }
    })
    const matrix = JSON.parse(result.outputs.matrix) as {
      include: Array<Record<string, string>>
    }
    expect(Object.keys(matrix)).toEqual(['include'])
    const byStage = [...matrix.include].sort((a, b) =>
      a.stage.localeCompare(b.stage)
    )
    expect(byStage).toEqual([
      {
        name: 'rf',
        version: 'v0.0.1',
        stage: 'dev',
        tag: 'rf#dev#1',
        commit: c1
      },
      {
        name: 'rf',
        version: 'v0.0.2',
        stage: 'prod',
        tag: 'rf#prod#2',
        commit: c2
      }
    ])
    // Reading fetches the tags but creates none.
    expect(tagTable(box.origin)).toEqual(origin)
    expect(tagTable(runner)).toEqual(origin)

    const named = await act(
      { command: 'show', name: 'rf', repository: runner },
      7
    )
    const versions = JSON.parse(named.outputs.json) as Array<{
      artifact: string
      version: string
      commit_hexsha: string
      is_active: boolean
      discovered: boolean
      stages: Array<{ stage: string; is_active: boolean }>
    }>
    expect(
      versions.map(v => ({
        artifact: v.artifact,
        version: v.version,
        commit: v.commit_hexsha,
        active: v.is_active,
        discovered: v.discovered,
        stages: v.stages.map(s => [s.stage, s.is_active])
      }))
    ).toEqual([
      {
        artifact: 'rf',
        version: 'v0.0.2',
        commit: c2,
        active: true,
        discovered: false,
        stages: [['prod', true]]
      },
      {
        artifact: 'rf',
        version: 'v0.0.1',
        commit: c1,
        active: true,
        discovered: false,
        stages: [['dev', true]]
      }
    ])
    expect(JSON.parse(named.outputs.matrix)).toEqual(matrix)
  })

  it('gives the history newest first', async () => {
    const { c1, c2 } = await scenario()
    const runner = box.runnerClone()

    const result = await act({ command: 'history', repository: runner }, 6)

    const events = JSON.parse(result.outputs.json) as Array<
      Record<string, string | number | null>
    >
    expect(
      events.map(e => [e.timestamp, e.event, e.version, e.stage, e.ref])
    ).toEqual([
      [iso(5), 'unassignment', 'v0.0.2', 'dev', 'rf#dev!#4'],
      [iso(4), 'assignment', 'v0.0.2', 'dev', 'rf#dev#3'],
      [iso(3), 'assignment', 'v0.0.2', 'prod', 'rf#prod#2'],
      [iso(3), 'registration', 'v0.0.2', null, 'rf@v0.0.2'],
      [iso(2), 'assignment', 'v0.0.1', 'dev', 'rf#dev#1'],
      [iso(1), 'registration', 'v0.0.1', null, 'rf@v0.0.1']
    ])
    expect(events[0]).toEqual({
      timestamp: iso(5),
      artifact: 'rf',
      event: 'unassignment',
      priority: 6,
      version: 'v0.0.2',
      stage: 'dev',
      commit: c2,
      author: BOT_NAME,
      author_email: BOT_EMAIL,
      message: "Unassigning stage 'dev' to artifact 'rf' version 'v0.0.2'",
      ref: 'rf#dev!#4'
    })
    expect(events[5]).toMatchObject({ priority: 3, commit: c1 })
  })

  it('writes a job summary table linking tags with # escaped', async () => {
    box = sandbox()
    const c1 = head(box.work)
    const runner = box.runnerClone()
    const github = {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'o/r'
    }

    const result = await act(
      { command: 'assign', name: 'rf', stage: 'dev', repository: runner },
      1,
      github
    )

    const { summary } = result
    expect(summary).toContain('Created tags and pushed to origin')
    expect(summary).toContain('<table>')
    expect(summary).toContain(
      '<a href="https://github.com/o/r/tree/rf%23dev%231">rf#dev#1</a>'
    )
    expect(summary).toContain(
      '<a href="https://github.com/o/r/tree/rf@v0.0.1">rf@v0.0.1</a>'
    )
    expect(summary).toContain(
      `<a href="https://github.com/o/r/commit/${c1}">${c1.slice(0, 7)}</a>`
    )
    expect(summary).not.toMatch(/href="[^"]*#/)

    const history = await act(
      { command: 'history', repository: runner },
      2,
      github
    )
    expect(history.summary).toContain('<table>')
    expect(history.summary).toContain(
      '<a href="https://github.com/o/r/tree/rf%23dev%231">rf#dev#1</a>'
    )
    expect(history.summary).not.toMatch(/href="[^"]*#/)

    const shown = await act(
      { command: 'show', name: 'rf', repository: runner },
      3,
      github
    )
    expect(shown.summary).toContain('Stages of rf')
    expect(shown.summary).toContain(
      '<td>dev</td><td><a href="https://github.com/o/r/tree/rf%23dev%231">' +
        'rf#dev#1</a></td>'
    )
  })
})
