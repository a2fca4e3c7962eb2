// Load test: N `assign` runs of dist/index.js at once, each in its own
// runner-like clone, on one artifact of a local bare origin. `npm run load`.
//
//   npm run load -- --processes 20 --retries 30 --time-limit 120 [--keep]

import { execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { clearTimeout, setTimeout } from 'node:timers'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'dist', 'index.js')
const ARTIFACT = 'm'

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Load Test',
  GIT_AUTHOR_EMAIL: 'load@example.com',
  GIT_COMMITTER_NAME: 'Load Test',
  GIT_COMMITTER_EMAIL: 'load@example.com'
}

function usage(message) {
  console.error(
    `${message}\nusage: node scripts/load.mjs [--processes N] ` +
      '[--retries N] [--time-limit SECONDS] [--keep]'
  )
  process.exit(2)
}

function parseArgs(argv) {
  const options = { processes: 20, retries: 30, timeLimit: 120, keep: false }
  const numbers = {
    '--processes': 'processes',
    '--retries': 'retries',
    '--time-limit': 'timeLimit'
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--keep') {
      options.keep = true
      continue
    }
    const [flag, inline] = arg.split(/=(.*)/s)
    const key = numbers[flag]
    if (!key) usage(`Unknown argument: ${arg}`)
    const text = inline ?? argv[++i]
    if (!/^[0-9]+$/.test(text ?? '')) usage(`${flag} needs a whole number`)
    options[key] = Number(text)
  }
  if (options.processes < 1) usage('--processes must be at least 1')
  if (options.timeLimit < 1) usage('--time-limit must be at least 1')
  return options
}

/** This machine's environment minus a surrounding workflow's inputs. */
function baseEnv(emptyConfig) {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) continue
    if (key === 'NODE_OPTIONS') continue
    env[key] = value
  }
  return {
    ...env,
    GIT_CONFIG_GLOBAL: emptyConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0'
  }
}

/** An origin with `m@v0.0.1` registered, and one clone per process. */
function setUp(root, env, processes) {
  const git = (cwd, args, input) =>
    execFileSync('git', args, {
      cwd,
      env: { ...env, ...IDENTITY },
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe']
    })
  const origin = join(root, 'origin.git')
  const work = join(root, 'work')
  git(root, ['init', '-q', '--bare', '-b', 'main', origin])
  git(root, ['init', '-q', '-b', 'main', work])
  writeFileSync(join(work, 'README.md'), 'load test\n')
  git(work, ['add', '-A'])
  git(work, ['commit', '-q', '-m', 'initial'])
  git(
    work,
    ['tag', '-a', '--cleanup=verbatim', '-F', '-', `${ARTIFACT}@v0.0.1`],
    `Registering artifact ${ARTIFACT} version v0.0.1\n`
  )
  git(work, ['push', '-q', `file://${origin}`, 'main', '--tags'])
  const clones = []
  for (let i = 1; i <= processes; i++) {
    const dir = join(root, `runner-${i}`)
    git(root, [
      'clone',
      '-q',
      '--depth=1',
      '--no-tags',
      `file://${origin}`,
      dir
    ])
    clones.push(dir)
  }
  return { origin, clones, git }
}

/** One `assign` run; resolves when it exits or is killed. */
function startRun(env, clone, stage, retries) {
  const outputFile = `${clone}.output`
  writeFileSync(outputFile, '')
  const started = performance.now()
  const child = spawn(process.execPath, [ACTION], {
    env: {
      ...env,
      INPUT_COMMAND: 'assign',
      INPUT_NAME: ARTIFACT,
      INPUT_STAGE: stage,
      INPUT_RETRIES: String(retries),
      INPUT_REPOSITORY: clone,
      GITHUB_OUTPUT: outputFile
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', chunk => (log += chunk))
  child.stderr.on('data', chunk => (log += chunk))
  const done = new Promise(resolve => {
    const finish = (code, signal) =>
      resolve({
        clone,
        stage,
        code,
        signal,
        seconds: (performance.now() - started) / 1000,
        log,
        outputs: readOutputs(outputFile)
      })
    child.on('close', finish)
    child.on('error', () => finish(null, 'spawn error'))
  })
  return { child, done }
}

function readOutputs(file) {
  const outputs = {}
  const lines = readFileSync(file, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const head = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!head) continue
    const value = []
    for (i++; i < lines.length && lines[i] !== head[2]; i++) {
      value.push(lines[i])
    }
    outputs[head[1]] = value.join('\n')
  }
  return outputs
}

/** The origin's tags, by name, as object ids. */
function refIds(git, repo, prefix) {
  const out = git(repo, ['for-each-ref', '--format=%(objectname) %(refname)'])
  const ids = new Map()
  for (const line of out.split('\n')) {
    const [id, ref] = line.split(' ')
    if (ref?.startsWith(prefix)) ids.set(ref.slice(prefix.length), id)
  }
  return ids
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const seconds = value => `${value.toFixed(2)} s`

async function main() {
  const options = parseArgs(process.argv.slice(2))
  if (!existsSync(ACTION)) {
    console.error(`${ACTION} is missing: run 'npm run build' first.`)
    return 1
  }
  const scriptStart = performance.now()
  const root = mkdtempSync(join(tmpdir(), 'gto-load-'))
  const emptyConfig = join(root, 'gitconfig')
  writeFileSync(emptyConfig, '')
  const env = baseEnv(emptyConfig)
  try {
    const { origin, clones, git } = setUp(root, env, options.processes)
    const setupSeconds = (performance.now() - scriptStart) / 1000

    // The hard limit counts from the script's start, set-up included.
    const left = Math.max(0, options.timeLimit * 1000 - setupSeconds * 1000)
    const raceStart = performance.now()
    const runs = clones.map((clone, i) =>
      startRun(env, clone, `s${i + 1}`, options.retries)
    )
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      for (const run of runs) {
        if (run.child.exitCode === null && run.child.signalCode === null) {
          run.child.kill('SIGKILL')
        }
      }
    }, left)
    const results = await Promise.all(runs.map(run => run.done))
    clearTimeout(timer)
    const wall = (performance.now() - raceStart) / 1000

    // What the origin holds.
    const remote = refIds(git, origin, 'refs/tags/')
    const assignRe = new RegExp(`^${ARTIFACT}#(s[0-9]+)#([0-9]+)$`)
    const landed = [...remote.keys()]
      .map(tag => assignRe.exec(tag))
      .filter(Boolean)
      .map(m => ({ tag: m[0], stage: m[1], counter: Number(m[2]) }))
    const counters = landed.map(t => t.counter).sort((a, b) => a - b)
    const distinct = new Set(counters).size === counters.length
    const dense = counters.every((c, i) => c === i + 1)
    const stagesOnce =
      new Set(landed.map(t => t.stage)).size === landed.length &&
      results.every(r => landed.some(t => t.stage === r.stage))

    // Each successful run's tag must be on the origin as its own object.
    const lost = results.filter(r => {
      if (r.code !== 0) return false
      const tag = r.outputs.tag ?? ''
      const local = refIds(git, r.clone, 'refs/tags/').get(tag)
      return !tag || !local || remote.get(tag) !== local
    })
    const retriesOf = r =>
      (r.log.match(/^::warning::.*\bretry [0-9]+ of [0-9]+/gm) ?? []).length
    const retries = results.map(retriesOf)
    const codes = new Map()
    for (const r of results) {
      const key = r.code === null ? `killed (${r.signal})` : String(r.code)
      codes.set(key, (codes.get(key) ?? 0) + 1)
    }
    const times = results.map(r => r.seconds)

    const lines = [
      ['processes', `${options.processes} (retries ${options.retries})`],
      ['set-up', seconds(setupSeconds)],
      ['wall time', seconds(wall)],
      [
        'per process',
        `min ${seconds(Math.min(...times))}, median ` +
          `${seconds(median(times))}, max ${seconds(Math.max(...times))}`
      ],
      [
        'retries',
        `${retries.reduce((a, b) => a + b, 0)} in total, ` +
          `max ${Math.max(...retries)} in one process`
      ],
      [
        'exit codes',
        [...codes]
          .sort()
          .map(([code, n]) => `${code} x${n}`)
          .join(', ')
      ],
      [
        'counters distinct',
        `${distinct ? 'yes' : 'no'} (${
          dense ? `1..${counters.length}` : counters.join(' ')
        })`
      ],
      ['tags landed', `${landed.length} of ${options.processes} expected`],
      ['every stage once', stagesOnce ? 'yes' : 'no'],
      ['reported, not on origin', String(lost.length)],
      [
        'time limit',
        timedOut
          ? `hit after ${options.timeLimit} s: remaining runs killed`
          : `${options.timeLimit} s, not reached`
      ]
    ]
    for (const [label, value] of lines) {
      console.log(`${label.padEnd(24)}${value}`)
    }
    for (const r of results.filter(r => r.code !== 0)) {
      const error =
        r.code === null
          ? `killed (${r.signal})`
          : (/^::error::(.*)$/m.exec(r.log)?.[1] ?? '(no ::error:: line)')
      console.log(`failed: ${r.stage}: ${error.split('%0A')[0]}`)
    }
    if (options.keep) console.log(`kept ${root}`)

    const ok =
      !timedOut &&
      results.every(r => r.code === 0) &&
      distinct &&
      dense &&
      stagesOnce &&
      landed.length === options.processes &&
      lost.length === 0
    return ok ? 0 : 1
  } finally {
    if (!options.keep) rmSync(root, { recursive: true, force: true })
  }
}

process.exitCode = await main()
