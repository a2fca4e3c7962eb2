// Races between runs of the bundled action: separate `node dist/index.js`
// processes, each in its own runner-like clone, pushing to one bare origin.

import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseTag } from '../src/core/tags.js'
import {
  commit,
  git,
  gtoTag,
  sandbox,
  tagsOf,
  type Sandbox
} from './helpers/git.js'

const ACTION = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const BOT =
  'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>'
const LOCK = 'refs/gto-action/counter/m'

// A run that outlives this is killed, so a hang fails the test instead of
// holding the worker.
const PROCESS_LIMIT_MS = 40_000

interface Run {
  clone: string
  code: number | null
  log: string
  outputs: Record<string, string>
  error?: string
}

let box: Sandbox | undefined
afterEach(() => {
  box?.cleanup()
  box = undefined
})

/** The environment of a run: this one's, minus a surrounding workflow's. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key === 'NODE_OPTIONS') continue
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) continue
    env[key] = value
  }
  return { ...env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }
}

function inputEnv(inputs: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  return env
}

/** Reads the `name<<delimiter` blocks of a GITHUB_OUTPUT file. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!head) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== head[2]; i++) {
      value.push(lines[i])
    }
    outputs[head[1]] = value.join('\n')
  }
  return outputs
}

function errorOf(log: string): string | undefined {
  const line = /^::error::(.*)$/m.exec(log)?.[1]
  return line?.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
}

/** Runs the action as a process in `clone`, as a runner would. */
function runProcess(
  clone: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<Run> {
  const outputFile = `${clone}.output`
  writeFileSync(outputFile, '')
  const child = spawn(process.execPath, [ACTION], {
    env: {
      ...baseEnv(),
      ...inputEnv({ repository: clone, ...inputs }),
      ...env,
      GITHUB_OUTPUT: outputFile
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', chunk => (log += chunk))
  child.stderr.on('data', chunk => (log += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      resolve({
        clone,
        code,
        log,
        outputs: readOutputs(outputFile),
        error: errorOf(log)
      })
    })
  })
}

/** Starts every run at once and waits for all of them. */
function race(runs: [string, Record<string, string>][]): Promise<Run[]> {
  return Promise.all(runs.map(([clone, inputs]) => runProcess(clone, inputs)))
}

/** Object id of every ref under `prefix`, by full ref name. */
function refIds(repo: string, prefix: string): Map<string, string> {
  const out = git(repo, ['for-each-ref', '--format=%(objectname) %(refname)'])
  const ids = new Map<string, string>()
  for (const line of out.split('\n')) {
    const [id, ref] = line.split(' ')
    if (ref?.startsWith(prefix)) ids.set(ref, id)
  }
  return ids
}

/** Every run exited 0; on failure the diff shows the runs' errors. */
function expectAllSucceeded(runs: Run[]) {
  expect(runs.map(r => ({ code: r.code, error: r.error }))).toEqual(
    runs.map(() => ({ code: 0, error: undefined }))
  )
}

/**
 * No half state: every tag a clone holds is on the origin, as the same tag
 * object (nothing was created locally and left there, nothing overwritten).
 */
function expectClonesWithinOrigin(origin: string, clones: string[]) {
  const remote = refIds(origin, 'refs/tags/')
  for (const clone of clones) {
    const extra = [...refIds(clone, 'refs/tags/')].filter(
      ([ref, id]) => remote.get(ref) !== id
    )
    expect({ clone, extra }).toEqual({ clone, extra: [] })
  }
}

function retriesIn(log: string): number {
  return (log.match(/^::warning::.*\(retry \d+ of \d+\)/gm) ?? []).length
}

/** The origin's assignment tags of `m`, by counter. */
function assignments(origin: string) {
  return [...tagsOf(origin).values()]
    .map(info => ({ ...info, parsed: parseTag(info.name) }))
    .filter(t => t.parsed?.name === 'm' && t.parsed.action === 'assign')
    .sort((a, b) => (a.parsed?.counter ?? 0) - (b.parsed?.counter ?? 0))
}

/** An origin whose `m` has v0.0.1 registered at the initial commit. */
function registeredOrigin(): { sb: Sandbox; head: string } {
  const sb = sandbox()
  box = sb
  const head = git(sb.work, ['rev-parse', 'HEAD']).trim()
  gtoTag(sb.work, 'm@v0.0.1', head, 'Registering artifact m version v0.0.1\n')
  git(sb.work, ['push', '-q', 'origin', '--tags'])
  return { sb, head }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

describe('concurrent assign processes on one artifact', () => {
  it('10 runs assigning 10 stages all land, with counters 1..10', async () => {
    const { sb, head } = registeredOrigin()
    const clones = range(10).map(i => sb.runnerClone(`runner-${i}`))

    const runs = await race(
      clones.map((clone, i) => [
        clone,
        { command: 'assign', name: 'm', stage: `s${i + 1}`, retries: '12' }
      ])
    )

    expectAllSucceeded(runs)
    const landed = assignments(sb.origin)
    expect(landed.map(t => t.parsed?.counter)).toEqual(range(10))
    expect(landed.map(t => t.parsed?.stage).sort()).toEqual(
      range(10)
        .map(i => `s${i}`)
        .sort()
    )
    for (const t of landed) {
      expect(t).toMatchObject({
        type: 'tag',
        commit: head,
        tagger: BOT,
        message: `Assigning stage ${t.parsed?.stage} to artifact m version v0.0.1\n`
      })
    }
    // The registration is untouched and nothing else was pushed.
    const remote = tagsOf(sb.origin)
    expect(remote.size).toBe(11)
    expect(remote.get('m@v0.0.1')?.tagger).toBe('GTO User <gto@example.com>')

    // Each run reports the tag it made, and the origin holds that very tag
    // object: no run's tag was replaced by another's.
    const remoteIds = refIds(sb.origin, 'refs/tags/')
    runs.forEach((run, i) => {
      expect(run.outputs).toMatchObject({
        stage: `s${i + 1}`,
        version: 'v0.0.1',
        pushed: 'true',
        commit: head
      })
      const tag = run.outputs.tag
      expect(parseTag(tag)).toMatchObject({ stage: `s${i + 1}` })
      expect(run.outputs.counter).toBe(String(parseTag(tag)?.counter))
      const ref = `refs/tags/${tag}`
      expect(remoteIds.get(ref)).toBe(refIds(run.clone, ref).get(ref))
    })
    expectClonesWithinOrigin(sb.origin, clones)

    // The lock ends on the tag with the highest counter: pushes were serial.
    const lock = refIds(sb.origin, LOCK).get(LOCK)
    expect(lock).toBe(remoteIds.get(`refs/tags/${landed[9].name}`))
  }, 50_000)

  it('10 runs forcing the same stage all land, with counters 1..10', async () => {
    const { sb, head } = registeredOrigin()
    const clones = range(10).map(i => sb.runnerClone(`runner-${i}`))

    const runs = await race(
      clones.map(clone => [
        clone,
        {
          command: 'assign',
          name: 'm',
          stage: 'prod',
          force: 'true',
          retries: '12'
        }
      ])
    )

    expectAllSucceeded(runs)
    const landed = assignments(sb.origin)
    expect(landed.map(t => t.name)).toEqual(range(10).map(i => `m#prod#${i}`))
    for (const t of landed) {
      expect(t).toMatchObject({
        type: 'tag',
        commit: head,
        tagger: BOT,
        message: 'Assigning stage prod to artifact m version v0.0.1\n'
      })
    }
    expect(tagsOf(sb.origin).size).toBe(11)
    // Ten runs, ten different tags reported.
    expect(new Set(runs.map(r => r.outputs.tag)).size).toBe(10)
    const remoteIds = refIds(sb.origin, 'refs/tags/')
    for (const run of runs) {
      const ref = `refs/tags/${run.outputs.tag}`
      expect(remoteIds.get(ref)).toBe(refIds(run.clone, ref).get(ref))
    }
    expectClonesWithinOrigin(sb.origin, clones)
  }, 50_000)

  it('5 runs on 5 new commits register 5 distinct versions', async () => {
    const { sb, head } = registeredOrigin()
    const commits = range(5).map(i => {
      git(sb.work, ['checkout', '-q', '-b', `b${i}`, 'main'])
      const sha = commit(sb.work, { 'model.txt': `weights ${i}\n` }, `m ${i}`)
      git(sb.work, ['push', '-q', 'origin', `b${i}`])
      return sha
    })
    const clones = range(5).map(i => {
      const dir = join(sb.root, `runner-${i}`)
      git(sb.root, [
        'clone',
        '-q',
        '--depth=1',
        '--no-tags',
        `--branch=b${i}`,
        `file://${sb.origin}`,
        dir
      ])
      return dir
    })

    const runs = await race(
      clones.map(clone => [
        clone,
        { command: 'assign', name: 'm', stage: 'dev', retries: '12' }
      ])
    )

    expectAllSucceeded(runs)
    const remote = [...tagsOf(sb.origin).values()].map(info => ({
      ...info,
      parsed: parseTag(info.name)
    }))
    const versions = remote.filter(t => t.parsed?.action === 'register')
    // One version per commit, each commit its own version, none reused.
    const versionAt = new Map(versions.map(t => [t.commit, t.parsed?.version]))
    expect(versionAt.size).toBe(versions.length)
    expect(versionAt.get(head)).toBe('v0.0.1')
    expect(commits.map(c => versionAt.get(c)).sort()).toEqual([
      'v0.0.2',
      'v0.0.3',
      'v0.0.4',
      'v0.0.5',
      'v0.0.6'
    ])
    for (const t of versions.filter(v => v.commit !== head)) {
      expect(t).toMatchObject({
        type: 'tag',
        tagger: BOT,
        message: `Registering artifact m version ${t.parsed?.version}\n`
      })
    }

    const landed = assignments(sb.origin)
    expect(landed.map(t => t.name)).toEqual(range(5).map(i => `m#dev#${i}`))
    expect(landed.map(t => t.commit).sort()).toEqual([...commits].sort())
    for (const t of landed) {
      expect(t.message).toBe(
        `Assigning stage dev to artifact m version ${versionAt.get(t.commit)}\n`
      )
    }
    expect(remote.length).toBe(11)

    // Each run reports its own commit, the version registered there, and
    // both of its tags in order.
    runs.forEach((run, i) => {
      const version = versionAt.get(commits[i])
      const assigned = landed.find(t => t.commit === commits[i])
      expect(run.outputs).toMatchObject({
        commit: commits[i],
        version,
        tag: assigned?.name,
        tags: JSON.stringify([`m@${version}`, assigned?.name])
      })
    })
    expectClonesWithinOrigin(sb.origin, clones)
  }, 50_000)
})

describe('a rival run pushing at a chosen moment', () => {
  /**
   * Lets another run of the action (in `rival`, forcing `stage`) push at a
   * chosen moment of `clone`'s run, deterministically, from a hook of
   * `clone`: 'push' runs it from pre-push, after git read the origin's refs
   * and before it sends its own, so `clone`'s push loses; 'tag' runs it
   * right after `clone` created its tag, before it starts to push.
   */
  function rivalPushesFirst(
    clone: string,
    rival: string,
    stage: string,
    when: 'push' | 'tag' = 'push'
  ) {
    const env = {
      ...inputEnv({
        command: 'assign',
        name: 'm',
        stage,
        force: 'true',
        retries: '0',
        repository: rival
      }),
      GITHUB_OUTPUT: `${rival}.output`
    }
    const assignments = Object.entries(env)
      .map(([key, value]) => `'${key}=${value}'`)
      .join(' ')
    // reference-transaction also sees fetches: wait for the assignment tag.
    const trigger =
      when === 'push'
        ? ['cat >/dev/null']
        : [
            '[ "$1" = committed ] || { cat >/dev/null; exit 0; }',
            "grep -q ' refs/tags/m#' || exit 0"
          ]
    const hook = [
      '#!/bin/sh',
      '# Another run pushes in the middle of this one.',
      ...trigger,
      `[ -e '${rival}.done' ] && exit 0`,
      `: >'${rival}.done'`,
      'unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX',
      `env ${assignments} '${process.execPath}' '${ACTION}' ` +
        `>'${rival}.log' 2>&1`,
      `echo $? >'${rival}.rc'`,
      'exit 0',
      ''
    ].join('\n')
    const name = when === 'push' ? 'pre-push' : 'reference-transaction'
    const path = join(clone, '.git', 'hooks', name)
    writeFileSync(path, hook)
    chmodSync(path, 0o755)
    writeFileSync(`${rival}.output`, '')
  }

  function rivalResult(rival: string) {
    return {
      code: readFileSync(`${rival}.rc`, 'utf8').trim(),
      error: errorOf(readFileSync(`${rival}.log`, 'utf8'))
    }
  }

  it.each([
    ['another stage (the lock ref moved)', 's2', 'm#s2#1'],
    ['the same stage (the tag exists)', 's1', 'm#s1#1']
  ])(
    'with retries: 0 fails with exit 1 and leaves no tag, rival on %s',
    async (_what, rivalStage, rivalTag) => {
      const { sb, head } = registeredOrigin()
      const loser = sb.runnerClone('loser')
      const rival = sb.runnerClone('rival')
      rivalPushesFirst(loser, rival, rivalStage)

      const [run] = await race([
        [loser, { command: 'assign', name: 'm', stage: 's1', retries: '0' }]
      ])

      expect(rivalResult(rival)).toEqual({ code: '0', error: undefined })
      expect(run.code).toBe(1)
      expect(run.error).toMatch(/lost the race/)
      expect(run.error).toMatch(/retries: 0/)
      expect(run.outputs.pushed ?? '').not.toBe('true')
      // Nothing of the loser's: locally only what it had fetched.
      expect([...tagsOf(loser).keys()]).toEqual(['m@v0.0.1'])
      expect([...tagsOf(sb.origin).keys()].sort()).toEqual(
        [rivalTag, 'm@v0.0.1'].sort()
      )
      expect(tagsOf(sb.origin).get(rivalTag)?.commit).toBe(head)
      expectClonesWithinOrigin(sb.origin, [loser, rival])
    },
    30_000
  )

  it('with retries: 1 fetches, takes the next counter and lands', async () => {
    const { sb } = registeredOrigin()
    const runner = sb.runnerClone('runner')
    const rival = sb.runnerClone('rival')
    rivalPushesFirst(runner, rival, 's2')

    const [run] = await race([
      [runner, { command: 'assign', name: 'm', stage: 's1', retries: '1' }]
    ])

    expect(rivalResult(rival)).toEqual({ code: '0', error: undefined })
    expect({ code: run.code, error: run.error }).toEqual({
      code: 0,
      error: undefined
    })
    expect(retriesIn(run.log)).toBe(1)
    expect(run.outputs).toMatchObject({ tag: 'm#s1#2', counter: '2' })
    expect([...tagsOf(sb.origin).keys()].sort()).toEqual([
      'm#s1#2',
      'm#s2#1',
      'm@v0.0.1'
    ])
    expectClonesWithinOrigin(sb.origin, [runner, rival])
  }, 30_000)

  it('gets its own tag when a rival pushed an identical one first', async () => {
    // Two runs forcing one stage in the same second write byte-identical
    // tag objects. When the rival's push lands between this run's fetch
    // and its push, git reports this push "up to date" (the lock ref's
    // lease is not even checked) and exits 0, though it created nothing.
    const { sb } = registeredOrigin()
    const runner = sb.runnerClone('runner')
    const rival = sb.runnerClone('rival')
    rivalPushesFirst(runner, rival, 'prod', 'tag')

    const same = { GIT_COMMITTER_DATE: '1700000100 +0000' }
    const inputs = { name: 'm', stage: 'prod', force: 'true', retries: '1' }
    const run = await runProcess(runner, { command: 'assign', ...inputs }, same)

    expect(rivalResult(rival)).toEqual({ code: '0', error: undefined })
    expect({ code: run.code, error: run.error }).toEqual({
      code: 0,
      error: undefined
    })
    expect(assignments(sb.origin).map(t => t.name)).toEqual([
      'm#prod#1',
      'm#prod#2'
    ])
    expect(run.outputs).toMatchObject({ tag: 'm#prod#2', counter: '2' })
    expectClonesWithinOrigin(sb.origin, [runner, rival])
  }, 30_000)

  it('reads a listing taken mid-push without reusing its counter', async () => {
    // A rival's atomic push updates the lock ref first, then creates its
    // tag (git sends existing refs first). An `ls-remote` between the two
    // sees the lock at a tag that is not listed yet; a stress run of real
    // pushes and listings saw this in about 0.3% of listings. Freeze that
    // moment on the origin, and let the rival's push finish just before
    // this run pushes (its pre-push hook).
    const { sb, head } = registeredOrigin()
    const rivalTag = 'm#s2#1'
    gtoTag(
      sb.work,
      rivalTag,
      head,
      'Assigning stage s2 to artifact m version v0.0.1\n'
    )
    git(sb.work, ['push', '-q', 'origin', `refs/tags/${rivalTag}`])
    const rivalId = git(sb.origin, ['rev-parse', `refs/tags/${rivalTag}`])
    git(sb.origin, ['update-ref', LOCK, rivalId.trim()])
    git(sb.origin, ['update-ref', '-d', `refs/tags/${rivalTag}`])

    const runner = sb.runnerClone('runner')
    const hook = join(runner, '.git', 'hooks', 'pre-push')
    writeFileSync(
      hook,
      [
        '#!/bin/sh',
        '# The rival push completes: its tag appears after its lock.',
        'cat >/dev/null',
        'unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX',
        `git -C '${sb.origin}' update-ref 'refs/tags/${rivalTag}' ` +
          `${rivalId.trim()} ''`,
        'exit 0',
        ''
      ].join('\n')
    )
    chmodSync(hook, 0o755)

    const [run] = await race([
      [runner, { command: 'assign', name: 'm', stage: 's1', retries: '3' }]
    ])

    expect({ code: run.code, error: run.error }).toEqual({
      code: 0,
      error: undefined
    })
    const landed = assignments(sb.origin)
    expect(landed.map(t => t.parsed?.stage).sort()).toEqual(['s1', 's2'])
    // Two assignments of m, two different counters.
    expect(landed.map(t => t.parsed?.counter)).toEqual([1, 2])
    expectClonesWithinOrigin(sb.origin, [runner])
  }, 30_000)

  it('with retries: 0 at once, each run lands or fails cleanly', async () => {
    const { sb } = registeredOrigin()
    const clones = range(4).map(i => sb.runnerClone(`runner-${i}`))

    const runs = await race(
      clones.map((clone, i) => [
        clone,
        { command: 'assign', name: 'm', stage: `s${i + 1}`, retries: '0' }
      ])
    )

    const winners = runs.filter(r => r.code === 0)
    const losers = runs.filter(r => r.code !== 0)
    expect(winners.length).toBeGreaterThan(0)
    for (const run of losers) {
      expect({ code: run.code, error: run.error }).toEqual({
        code: 1,
        error: expect.stringMatching(/lost the race/)
      })
    }
    // Exactly the winners' tags landed, with counters 1..winners.
    const landed = assignments(sb.origin)
    expect(landed.map(t => t.name).sort()).toEqual(
      winners.map(r => r.outputs.tag).sort()
    )
    expect(landed.map(t => t.parsed?.counter)).toEqual(range(winners.length))
    expectClonesWithinOrigin(sb.origin, clones)
  }, 30_000)
})
