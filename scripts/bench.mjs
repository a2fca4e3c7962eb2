// Benchmarks the bundled action (dist/index.js) on generated GTO registries
// of 1 000, 10 000 and 100 000 tags, against the floor of one
// `git for-each-ref` with the format the action uses. Run it with
// `npm run bench`; see docs/benchmarks.md for the options and the results.
//
//   npm run bench                                  every size, 5 runs each
//                                                  (3 at 100 000 tags)
//   npm run bench -- --sizes 1000,10000 --runs 3   some sizes, fewer runs
//   npm run bench -- --sizes 100000 --profile show one command under
//                                                  node --cpu-prof
//
// Generated repositories are cached under .bench/, keyed by size and by the
// generator's version, so a second run only measures.

import { spawnSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { cpus, freemem, homedir, totalmem } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Buffer } from 'node:buffer'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import * as prettier from 'prettier'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const BENCH = join(ROOT, '.bench')
const DIST = join(ROOT, 'dist', 'index.js')
// The copy of the bundle that runs: taken once, so a rebuild of dist/ while
// the benchmark runs cannot mix two builds in one table.
let action
const DOC = join(ROOT, 'docs', 'benchmarks.md')
const TIME = '/usr/bin/time'

// Bump when the generated repositories change, so cached ones are rebuilt.
const GENERATOR = 'g1'
const START = '<!-- bench:start -->'
const END = '<!-- bench:end -->'

const USAGE = `Usage: npm run bench -- [options]
  --sizes 1000,10000,100000  registry sizes in tags (default: all three)
  --runs N                   timed runs per command, after one warm-up (5)
  --large-runs N             runs at 50 000 tags or more (3, or --runs if
                             fewer), to keep a whole run well under 15 min
  --refs loose,packed        ref storage variants to measure (both)
  --profile COMMAND[,…]      instead of timing, run COMMAND once per size
                             under node --cpu-prof and print where the time
                             goes: check-ref, show, history, assign-dry-run
                             or assign-push; --sizes may then include tiny
  --no-doc                   print the table only; leave docs/ alone
  --rev REV                  measure dist/index.js as committed at REV,
                             not the working tree's
  --rebuild                  regenerate the cached repositories`

// ---------------------------------------------------------------------------
// Processes

/** Git's environment: nobody's config, no inherited repository. */
function cleanEnv(extra = {}) {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_') && !key.startsWith('GITHUB_')) env[key] = value
    if (key.startsWith('INPUT_') || key.startsWith('RUNNER_')) delete env[key]
  }
  return {
    ...env,
    HOME: process.env.HOME ?? homedir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    LC_ALL: 'C',
    ...extra
  }
}

const AUTHOR = {
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.com',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.com'
}

/** Runs git and returns its stdout; throws with its stderr on failure. */
function git(args, { cwd = ROOT, input } = {}) {
  const result = spawnSync('git', args, {
    cwd,
    input,
    env: cleanEnv(AUTHOR),
    maxBuffer: 1 << 30,
    encoding: 'utf8'
  })
  if (result.status !== 0) {
    throw new Error(
      `git ${args.join(' ')} failed (${result.status}): ${result.stderr}`
    )
  }
  return result.stdout
}

/**
 * Runs a command under GNU time: wall time from this process's clock; from
 * time, peak RSS (%M: the largest single process of the tree) and CPU time
 * (%U + %S: the process and the children it waited for).
 */
function measure(argv, { env, stdout = 'ignore', cwd = ROOT }) {
  const tmp = tmpDir()
  const timeFile = join(tmp, 'time.txt')
  const logFile = join(tmp, 'log.txt')
  const log = openSync(logFile, 'w')
  const out = stdout === 'ignore' ? openSync('/dev/null', 'w') : log
  const started = process.hrtime.bigint()
  const result = spawnSync(
    TIME,
    ['-f', '%e %M %U %S', '-o', timeFile, ...argv],
    {
      cwd,
      env,
      stdio: ['ignore', out, log]
    }
  )
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (out !== log) closeSync(out)
  closeSync(log)
  if (result.error) throw result.error
  // GNU time's last line is the format; a failure adds a line before it.
  const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop()
  const [, rss, user, system] = last.split(' ').map(Number)
  if (result.status !== 0) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15)
    throw new Error(
      `${argv.join(' ')} exited with ${result.status}:\n${tail.join('\n')}`
    )
  }
  return { seconds, rssKb: rss, cpu: user + system }
}

let tmpRoot
function tmpDir() {
  if (!tmpRoot) {
    mkdirSync(BENCH, { recursive: true })
    tmpRoot = mkdtempSync(join(BENCH, 'tmp-'))
    process.on('exit', () => rmSync(tmpRoot, { recursive: true, force: true }))
  }
  return tmpRoot
}

// ---------------------------------------------------------------------------
// The generated registry

/** A small deterministic random generator (mulberry32). */
function randomFrom(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const STAGES = ['dev', 'staging', 'prod']
const PEOPLE = [
  { name: 'Alice Liddell', email: 'alice@example.com', tz: '+0300' },
  {
    name: 'github-actions[bot]',
    email: '41898282+github-actions[bot]@users.noreply.github.com',
    tz: '+0000'
  },
  { name: 'Bob Tables', email: 'bob@example.org', tz: '-0700' },
  { name: 'Chandra Rao', email: 'chandra@example.in', tz: '+0530' }
]

const pad = n => String(n).padStart(4, '0')

/**
 * Artifact i: one in ten in the root dvc.yaml, the others in team-1 … team-9
 * (`team-3:model-0013`, tag form `team-3=model-0013`); one in seven has a
 * `/` in its name (`cv/seg-0003`).
 */
function artifactOf(i) {
  const group = i % 10
  const short = i % 7 === 3 ? `cv/seg-${pad(i)}` : `model-${pad(i)}`
  const dir = group === 0 ? '' : `team-${group}`
  return {
    index: i,
    dir,
    short,
    name: dir ? `${dir}:${short}` : short,
    tagName: dir ? `${dir}=${short}` : short,
    versions: [],
    held: [],
    counter: 0,
    simpleDeprecated: false,
    lastEvent: '',
    lastCommit: 0,
    core: [0, 0, 0],
    prerelease: false
  }
}

function dvcYaml(artifacts) {
  const lines = ['artifacts:']
  for (const a of artifacts) {
    lines.push(
      `  ${a.short}:`,
      `    type: model`,
      `    path: models/${a.short}.pkl`,
      `    desc: Benchmark model ${a.index}`,
      `    labels: [bench, ${a.dir || 'root'}]`
    )
  }
  return lines.join('\n') + '\n'
}

/** `data` of fast-import: byte count, the bytes, a newline. */
const data = text => `data ${Buffer.byteLength(text)}\n${text}\n`

/**
 * The fast-import stream of a registry with `total` tags over total/100
 * artifacts, and facts about it the benchmark needs. One commit per
 * registered version; every event one tag, in increasing tagger time.
 */
function generate(total) {
  const random = randomFrom(total)
  const pick = list => list[Math.floor(random() * list.length)]
  const count = Math.max(1, Math.round(total / 100))
  const artifacts = Array.from({ length: count }, (_, i) => artifactOf(i))
  const budget = artifacts.map(
    (_, i) => Math.floor(total / count) + (i < total % count ? 1 : 0)
  )

  const chunks = []
  const dirs = [...new Set(artifacts.map(a => a.dir))]
  dirs.forEach((dir, i) => {
    const files = artifacts.filter(a => a.dir === dir)
    chunks.push(`blob\nmark :${i + 1}\n${data(dvcYaml(files))}`)
  })

  const stats = {
    registration: 0,
    deregistration: 0,
    assignment: 0,
    unassignment: 0,
    deprecation: 0
  }
  let time = 1_600_000_000
  let mark = 1000
  let commits = 0
  let headArtifact
  let lastAssignment

  const tag = (a, name, commitMark, person, message, kind) => {
    chunks.push(
      `tag ${name}\nfrom :${commitMark}\n` +
        `tagger ${person.name} <${person.email}> ${time} ${person.tz}\n` +
        data(`${message}\n`)
    )
    stats[kind]++
    a.lastEvent = kind
    a.lastCommit = commitMark
  }

  const nextVersion = a => {
    if (a.prerelease) {
      a.prerelease = false
      return `v${a.core.join('.')}`
    }
    const r = random()
    if (a.versions.length === 0) a.core = [0, 0, 1]
    else if (r < 0.05) a.core = [a.core[0] + 1, 0, 0]
    else if (r < 0.2) a.core = [a.core[0], a.core[1] + 1, 0]
    else a.core = [a.core[0], a.core[1], a.core[2] + 1]
    a.prerelease = a.versions.length > 0 && random() < 0.06
    return `v${a.core.join('.')}${a.prerelease ? '-rc.1' : ''}`
  }

  const register = (a, person) => {
    const version = nextVersion(a)
    mark++
    commits++
    const files =
      commits === 1
        ? dirs
            .map((dir, i) => `M 100644 :${i + 1} ${dir ? `${dir}/` : ''}`)
            .map(line => `${line}dvc.yaml\n`)
            .join('')
        : ''
    const who = `${person.name} <${person.email}> ${time} ${person.tz}`
    chunks.push(
      `commit refs/heads/main\nmark :${mark}\n` +
        `author ${who}\ncommitter ${who}\n` +
        data(`Train ${a.name} ${version}\n`) +
        files +
        `M 100644 inline VERSION\n${data(`${a.name} ${version}\n`)}`
    )
    a.versions.push({ version, commit: mark, active: true })
    headArtifact = a
    tag(
      a,
      `${a.tagName}@${version}`,
      mark,
      person,
      `Registering artifact ${a.name} version ${version}`,
      'registration'
    )
  }

  const assign = (a, person) => {
    const v =
      random() < 0.7 ? a.versions[a.versions.length - 1] : pick(a.versions)
    const free = STAGES.filter(
      s => !a.held.some(h => h.version === v && h.stage === s)
    )
    if (free.length === 0) return unassign(a, person)
    const stage = pick(free)
    a.held.push({ version: v, stage })
    const name = `${a.tagName}#${stage}#${++a.counter}`
    lastAssignment = name
    tag(
      a,
      name,
      v.commit,
      person,
      `Assigning stage ${stage} to artifact ${a.name} version ${v.version}`,
      'assignment'
    )
  }

  const unassign = (a, person) => {
    if (a.held.length === 0) return assign(a, person)
    const i = Math.floor(random() * a.held.length)
    const { version: v, stage } = a.held[i]
    a.held.splice(i, 1)
    tag(
      a,
      `${a.tagName}#${stage}!#${++a.counter}`,
      v.commit,
      person,
      `Unassigning stage '${stage}' to artifact '${a.name}' version ` +
        `'${v.version}'`,
      'unassignment'
    )
  }

  const deregister = (a, person) => {
    // Never the newest: a later `assign` bumps from the highest version.
    const candidates = a.versions.slice(0, -1).filter(v => v.active)
    if (candidates.length === 0) return assign(a, person)
    const v = pick(candidates)
    v.active = false
    tag(
      a,
      `${a.tagName}@${v.version}!`,
      v.commit,
      person,
      `Deregistering artifact ${a.name} version ${v.version}`,
      'deregistration'
    )
  }

  const deprecate = (a, person, simple) => {
    if (simple) a.simpleDeprecated = true
    tag(
      a,
      simple
        ? `${a.tagName}@deprecated`
        : `${a.tagName}@deprecated#${++a.counter}`,
      a.lastCommit,
      person,
      `Deprecating artifact '${a.name}'`,
      'deprecation'
    )
  }

  const open = artifacts.map((_, i) => i)
  while (open.length > 0) {
    const k = Math.floor(random() * open.length)
    const a = artifacts[open[k]]
    const left = budget[a.index]--
    time += 1 + Math.floor(random() * 90)
    const person = pick(PEOPLE)
    const r = random()
    if (a.versions.length === 0) register(a, person)
    else if (left === 1 && a.index % 25 === 7 && !a.simpleDeprecated) {
      // A few artifacts end deprecated: GTO's simple `@deprecated` tag.
      deprecate(a, person, true)
    } else if (r < 0.38) register(a, person)
    else if (r < 0.8) assign(a, person)
    else if (r < 0.95) unassign(a, person)
    else if (r < 0.985) deregister(a, person)
    else if (r < 0.988) deprecate(a, person, false)
    else register(a, person)
    if (budget[a.index] === 0) {
      open[k] = open[open.length - 1]
      open.pop()
    }
  }
  chunks.push('done\n')

  // `assign` in the benchmark registers the next version of an active
  // artifact at HEAD (which holds a version of another one) and assigns it.
  const target = artifacts.find(
    a =>
      a !== headArtifact &&
      a.lastEvent !== 'deprecation' &&
      a.versions[a.versions.length - 1].active
  )
  return {
    stream: Buffer.from(chunks.join('')),
    meta: {
      tags: total,
      artifacts: count,
      commits,
      events: stats,
      checkRefTag: lastAssignment,
      assignName: target.name
    }
  }
}

/** The one-tag repository that measures start-up. */
function tinyStream() {
  const who = 'Alice Liddell <alice@example.com> 1600000000 +0300'
  const yaml = dvcYaml([artifactOf(0)])
  return Buffer.from(
    `commit refs/heads/main\nmark :1\nauthor ${who}\ncommitter ${who}\n` +
      `${data('Train model-0000 v0.0.1\n')}` +
      `M 100644 inline dvc.yaml\n${data(yaml)}` +
      `tag model-0000@v0.0.1\nfrom :1\ntagger ${who}\n` +
      `${data('Registering artifact model-0000 version v0.0.1\n')}done\n`
  )
}

/** Files under a repository's refs/tags: its loose tags. */
function looseTags(repo) {
  return readdirSync(join(repo, '.git', 'refs', 'tags'), {
    recursive: true,
    withFileTypes: true
  }).filter(entry => entry.isFile()).length
}

/**
 * The repositories of one size, generated once: `loose`, made by
 * fast-import (one file per tag under .git/refs/tags); `packed`, a clone of
 * it with every ref in .git/packed-refs, as a fresh checkout has them; and
 * a bare `remote.git` that both push to.
 */
function repositories(size, rebuild) {
  const dir = join(BENCH, `${GENERATOR}-${size}`)
  const metaFile = join(dir, 'meta.json')
  if (!rebuild && existsSync(metaFile)) {
    return { dir, ...JSON.parse(readFileSync(metaFile, 'utf8')) }
  }
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  if (size !== 'tiny') process.stderr.write(`Generating ${size} tags: `)
  const started = Date.now()
  const generated =
    size === 'tiny'
      ? {
          stream: tinyStream(),
          meta: { tags: 1, artifacts: 1, checkRefTag: 'model-0000@v0.0.1' }
        }
      : generate(size)
  const { meta } = generated
  const loose = join(dir, 'loose')
  git(['init', '--quiet', '--initial-branch=main', loose])
  git(['config', 'gc.auto', '0'], { cwd: loose })
  git(['fast-import', '--quiet'], { cwd: loose, input: generated.stream })
  git(['reset', '--hard', '--quiet'], { cwd: loose })
  meta.importSeconds = (Date.now() - started) / 1000
  if (size !== 'tiny') {
    const packed = join(dir, 'packed')
    const remote = join(dir, 'remote.git')
    git(['clone', '--quiet', loose, packed])
    git(['pack-refs', '--all'], { cwd: packed })
    git(['clone', '--bare', '--quiet', packed, remote])
    for (const repo of [packed, remote]) {
      git(['config', 'gc.auto', '0'], { cwd: repo })
    }
    git(['remote', 'add', 'origin', remote], { cwd: loose })
    git(['remote', 'set-url', 'origin', remote], { cwd: packed })
    const found =
      git(['for-each-ref', '--format=x', 'refs/tags'], {
        cwd: packed
      }).split('\n').length - 1
    if (found !== size) throw new Error(`${size}: generated ${found} tags`)
    if (looseTags(loose) !== size || looseTags(packed) !== 0) {
      throw new Error(`${size}: tags not stored as intended`)
    }
  }
  meta.seconds = (Date.now() - started) / 1000
  if (size !== 'tiny') {
    process.stderr.write(
      `${meta.seconds.toFixed(1)} s (fast-import ${meta.importSeconds} s)\n`
    )
  }
  writeFileSync(metaFile, JSON.stringify(meta, null, 2))
  return { dir, ...meta }
}

// ---------------------------------------------------------------------------
// What is measured

/** The action's for-each-ref format, read from its source so both agree. */
function tagFormat() {
  const source = readFileSync(join(ROOT, 'src', 'git', 'git.ts'), 'utf8')
  const block = /const FIELDS = \[([^\]]*)\]/.exec(source)
  if (!block) throw new Error('FIELDS not found in src/git/git.ts')
  const fields = [...block[1].matchAll(/'([^']*)'/g)].map(m => m[1])
  if (!/FIELDS\.join\('%00'\) \+ '%00%1e%00'/.test(source)) {
    throw new Error('TAG_FORMAT in src/git/git.ts changed; update bench.mjs')
  }
  return fields.join('%00') + '%00%1e%00'
}

/** Parses a GITHUB_OUTPUT file (`name<<DELIMITER` blocks). */
function readOutputs(file) {
  const outputs = {}
  if (!existsSync(file)) return outputs
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

/**
 * The cases of one repository: how to run each, what its outputs must say,
 * and what to undo afterwards.
 */
function casesOf(repo, meta, format) {
  const remote = join(dirname(repo), 'remote.git')
  const action = (command, inputs, expect, undo) => ({
    command,
    action: true,
    inputs: { INPUT_COMMAND: command.split(' ')[0], ...inputs },
    expect,
    undo
  })
  // Back to the generated state: the new tags go, and so do the counter
  // locks the action keeps under refs/gto-action/ (here and on the remote).
  const undoPush = outputs => {
    const tags = JSON.parse(outputs.tags)
    for (const cwd of [repo, remote]) {
      git(['tag', '--delete', '--', ...tags], { cwd })
      const locks = git(
        ['for-each-ref', '--format=delete %(refname)', 'refs/gto-action/'],
        { cwd }
      )
      if (locks) git(['update-ref', '--stdin'], { cwd, input: locks })
    }
  }
  const assignInputs = {
    INPUT_NAME: meta.assignName,
    INPUT_STAGE: 'bench'
  }
  const cases = [
    {
      command: 'floor',
      argv: [
        'git',
        '-C',
        repo,
        'for-each-ref',
        `--format=${format}`,
        '--',
        'refs/tags'
      ]
    },
    action(
      'check-ref',
      { INPUT_REF: `refs/tags/${meta.checkRefTag}` },
      o => o['is-gto-tag'] === 'true'
    )
  ]
  if (meta.tags === 1) return cases
  return [
    ...cases,
    action('show', {}, o => o.json.startsWith('{')),
    action('history', {}, o => o.json.startsWith('[')),
    action(
      'assign dry-run',
      { ...assignInputs, 'INPUT_DRY-RUN': 'true' },
      o => o.event === 'assignment' && o.pushed === 'false'
    ),
    action(
      'assign push',
      { ...assignInputs, INPUT_PUSH: 'true' },
      o => o.event === 'assignment' && o.pushed === 'true',
      undoPush
    )
  ]
}

function actionEnv(repo, inputs, files) {
  return cleanEnv({
    INPUT_REPOSITORY: repo,
    INPUT_FETCH: 'false',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...inputs
  })
}

/** One run of a case: time, peak memory, and the size of its outputs. */
function runCase(c, repo) {
  if (!c.action) {
    return measure(c.argv, { env: cleanEnv() })
  }
  const files = {
    output: join(tmpDir(), 'output.txt'),
    summary: join(tmpDir(), 'summary.md')
  }
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  const result = measure([process.execPath, action.path], {
    env: actionEnv(repo, c.inputs, files),
    stdout: 'log'
  })
  const outputs = readOutputs(files.output)
  if (!c.expect(outputs)) {
    throw new Error(
      `${c.command} on ${repo} gave unexpected outputs: ` +
        JSON.stringify(outputs).slice(0, 400)
    )
  }
  c.undo?.(outputs)
  return {
    ...result,
    outputKb: statSync(files.output).size / 1024,
    summaryKb: statSync(files.summary).size / 1024
  }
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Measures every case of a repository: one warm-up each, then `runs`
 * rounds that take the cases in turn, so a burst of load from other work
 * on the machine spreads over all of them.
 */
function measureRepo(label, repo, cases, runs) {
  for (const c of cases) runCase(c, repo)
  const samples = cases.map(() => [])
  for (let round = 0; round < runs; round++) {
    cases.forEach((c, i) => samples[i].push(runCase(c, repo)))
    process.stderr.write('.')
  }
  const floor = median(samples[0].map(s => s.seconds))
  return cases.map((c, i) => {
    const s = samples[i]
    const seconds = s.map(x => x.seconds)
    return {
      ...label,
      command: c.command,
      runs,
      median: median(seconds),
      min: Math.min(...seconds),
      max: Math.max(...seconds),
      ratio: median(seconds) / floor,
      cpu: median(s.map(x => x.cpu)),
      peakMb: Math.max(...s.map(x => x.rssKb)) / 1024,
      outputKb: s[0].outputKb,
      summaryKb: s[0].summaryKb
    }
  })
}

function nodeFloor(runs) {
  const c = { command: 'node -e 0', argv: [process.execPath, '-e', '0'] }
  runCase(c)
  const s = Array.from({ length: runs }, () => runCase(c))
  const seconds = s.map(x => x.seconds)
  return {
    size: '—',
    refs: '—',
    command: c.command,
    runs,
    median: median(seconds),
    min: Math.min(...seconds),
    max: Math.max(...seconds),
    ratio: undefined,
    cpu: median(s.map(x => x.cpu)),
    peakMb: Math.max(...s.map(x => x.rssKb)) / 1024
  }
}

// ---------------------------------------------------------------------------
// Profiling

/**
 * Dist line → the source module ncc concatenated there
 * (`// CONCATENATED MODULE: ./src/core/registry.ts`), or a webpack module id.
 */
function distModules() {
  const lines = readFileSync(action.path, 'utf8').split('\n')
  const starts = []
  lines.forEach((line, i) => {
    const concatenated = /CONCATENATED MODULE: (.*)$/.exec(line)
    if (concatenated) {
      starts.push([i, concatenated[1].replace(/^\.\//, '')])
    }
    const id = /^\/\*\*\*\/ (\d+):$/.exec(line)
    if (id) starts.push([i, `bundled module ${id[1]}`])
    if (line === '/******/ });') starts.push([i, 'webpack runtime'])
  })
  // What the bundle's code calls each webpack module: a hint at its package.
  const text = lines.join('\n')
  const hints = new Map()
  const imported = /(?:var|const|let) ([\w$]+) = __nccwpck_require__\((\d+)\)/g
  for (const [, name, id] of text.matchAll(imported)) {
    if (!hints.has(id)) hints.set(id, name.replace(/_1$|_+WEBPACK.*$/, ''))
  }
  for (const start of starts) {
    const id = /^bundled module (\d+)$/.exec(start[1])?.[1]
    if (id && hints.has(id)) start[1] += ` (${hints.get(id)})`
  }
  return line => {
    let found = 'dist/index.js'
    for (const [start, name] of starts) {
      if (start > line) break
      found = name
    }
    return found
  }
}

const isBundle = url => url === pathToFileURL(action.path).href

/** Where a profile node's code lives, for grouping. */
function placeOf(frame, moduleAt) {
  const { url, functionName } = frame
  if (!url) return functionName.startsWith('(') ? functionName : '(native)'
  if (isBundle(url)) return moduleAt(frame.lineNumber)
  if (url.startsWith('node:')) return 'node internals'
  return url.replace(/^file:\/\//, '')
}

function summariseProfile(file, wallSeconds) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const moduleAt = distModules()
  const byId = new Map(profile.nodes.map(n => [n.id, n]))
  const parent = new Map()
  for (const n of profile.nodes) {
    for (const child of n.children ?? []) parent.set(child, n.id)
  }
  const label = frame => {
    const place = placeOf(frame, moduleAt)
    if (!frame.url) return { place, name: frame.functionName }
    const fn = frame.functionName || '(anonymous)'
    const where = isBundle(frame.url) ? 'dist line' : 'line'
    return { place, name: `${fn}  ${place} (${where} ${frame.lineNumber + 1})` }
  }
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms)

  const byFunction = new Map()
  const byPlace = new Map()
  const inclusive = new Map()
  const factories = new Map()
  const { samples, timeDeltas } = profile
  let elapsed = 0
  let startup
  for (let i = 0; i < samples.length; i++) {
    // A sample stands for the time until the next one.
    const ms = (timeDeltas[i + 1] ?? 0) / 1000
    const { place, name } = label(byId.get(samples[i]).callFrame)
    add(byFunction, name, ms)
    add(byPlace, place, ms)
    const seen = new Set()
    for (let id = samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id).callFrame
      const l = label(frame)
      // A webpack module's factory, named by its id: loading that module.
      if (/^\d+$/.test(frame.functionName) && !seen.has(l.place)) {
        seen.add(l.place)
        add(factories, l.place, ms)
      }
      if (!l.place.startsWith('src/') || seen.has(l.name)) continue
      seen.add(l.name)
      add(inclusive, l.name, ms)
      if (startup === undefined && l.place === 'src/main.ts') startup = elapsed
    }
    elapsed += ms
  }
  const total = (profile.endTime - profile.startTime) / 1000
  const rows = (map, top) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([name, ms]) =>
          `  ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total)
            .toFixed(1)
            .padStart(5)} %  ${name}`
      )
      .join('\n')
  return [
    `process ${wallSeconds.toFixed(2)} s wall; profile ${total.toFixed(0)} ms;` +
      ` ${(startup ?? 0).toFixed(0)} ms of it before the action's run() ` +
      'starts (loading and evaluating the bundle).',
    'The rest of the wall time is Node start-up before the profiler and exit.',
    '(idle) is the main thread waiting: on git child processes and I/O.',
    '',
    'Self time by place:',
    rows(byPlace, 15),
    '',
    'Top self-time functions:',
    rows(byFunction, 25),
    '',
    "Inclusive time of the action's own functions (synchronous parts):",
    rows(inclusive, 15),
    '',
    'Loading bundled modules, inclusive (nested ones count in their parent',
    "too; the largest is the action's own, with what ncc concatenated in):",
    rows(factories, 12)
  ].join('\n')
}

function profileCommand(command, size, refs, repos) {
  const repo = join(repos.dir, refs)
  const c = casesOf(repo, repos, tagFormat()).find(
    x => x.command.replace(' ', '-') === command
  )
  if (!c || !c.action) throw new Error(`Cannot profile '${command}'`)
  const dir = mkdtempSync(join(tmpDir(), 'prof-'))
  const files = { output: join(dir, 'out.txt'), summary: join(dir, 's.md') }
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  // Node's own peak RSS, written as it exits (time's %M is the largest
  // process of the tree, which may be a git child).
  const rss = join(dir, 'rss.txt')
  const preload = join(dir, 'rss.cjs')
  writeFileSync(
    preload,
    "process.on('exit', () => require('fs').writeFileSync(" +
      `${JSON.stringify(rss)}, String(process.resourceUsage().maxRSS)))\n`
  )
  const argv = [process.execPath, '--cpu-prof', '--cpu-prof-dir', dir]
  const { seconds, rssKb } = measure(
    [...argv, '--require', preload, action.path],
    {
      env: actionEnv(repo, c.inputs, files),
      stdout: 'log'
    }
  )
  const outputs = readOutputs(files.output)
  if (!c.expect(outputs)) throw new Error(`${command}: unexpected outputs`)
  c.undo?.(outputs)
  const profile = readdirSync(dir).find(f => f.endsWith('.cpuprofile'))
  const nodeKb = Number(readFileSync(rss, 'utf8'))
  console.log(`\n## ${command}, ${sizeLabel(size)} tags, ${refs} refs\n`)
  console.log(
    `peak RSS: node ${fmt(nodeKb / 1024, 0)} MB; largest process of the ` +
      `tree ${fmt(rssKb / 1024, 0)} MB`
  )
  console.log(summariseProfile(join(dir, profile), seconds))
}

// ---------------------------------------------------------------------------
// Report

const fmt = (n, digits = 2) => n.toFixed(digits)
const sizeLabel = size =>
  typeof size === 'number'
    ? size.toLocaleString('en-US').replace(/,/g, ' ')
    : size

function table(rows) {
  const lines = [
    '| size | refs | command | median s | min–max s | × floor | CPU s | ' +
      'peak MB | output + summary KB |',
    `|${' --- |'.repeat(9)}`
  ]
  for (const r of rows) {
    const outputs =
      r.outputKb === undefined
        ? '—'
        : `${fmt(r.outputKb, 0)} + ${fmt(r.summaryKb, 0)}`
    lines.push(
      `| ${sizeLabel(r.size)} | ${r.refs} | ${r.command} | ` +
        `${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ` +
        `${r.ratio === undefined ? '—' : fmt(r.ratio, 1)} | ` +
        `${fmt(r.cpu)} | ${fmt(r.peakMb, 0)} | ${outputs} |`
    )
  }
  return lines.join('\n')
}

function find(rows, size, refs, command) {
  return rows.find(
    r => r.size === size && r.refs === refs && r.command === command
  )
}

/** How each command's median grows from the smallest size to the largest. */
function growth(rows, sizes) {
  if (sizes.length < 2) return ''
  const refs = rows.some(r => r.refs === 'packed') ? 'packed' : 'loose'
  const commands = [
    ...new Set(rows.filter(r => r.refs === refs).map(r => r.command))
  ]
  const head = `| command (${refs} refs) | ${sizes
    .map(s => `${sizeLabel(s)} s`)
    .join(' | ')} | ${sizeLabel(sizes[0])}→${sizeLabel(
    sizes[sizes.length - 1]
  )} | ms per 1 000 tags |`
  const lines = [head, `|${' --- |'.repeat(sizes.length + 3)}`]
  for (const command of commands) {
    const cells = sizes.map(s => find(rows, s, refs, command))
    if (cells.some(c => !c)) continue
    const first = cells[0]
    const last = cells[cells.length - 1]
    const slope =
      ((last.median - first.median) * 1e6) /
      (sizes[sizes.length - 1] - sizes[0])
    lines.push(
      `| ${command} | ${cells.map(c => fmt(c.median)).join(' | ')} | ` +
        `×${fmt(last.median / first.median, 1)} | ${fmt(slope, 1)} |`
    )
  }
  return lines.join('\n')
}

/**
 * The targets, each judged on the wall-time medians (what the targets say)
 * and on the CPU-time medians (what a quiet machine would show: on a shared
 * one the wall time includes waiting for a CPU).
 */
function targets(rows) {
  const lines = [
    '| target | wall median | by wall | CPU median | by CPU |',
    `|${' --- |'.repeat(5)}`
  ]
  const verdict = ok => (ok ? 'met' : '**missed**')
  const under = (what, r, limit) => {
    const digits = limit < 1 ? 3 : 2
    lines.push(
      `| ${what} under ${limit} s | ${fmt(r.median, digits)} s | ` +
        `${verdict(r.median < limit)} | ${fmt(r.cpu, digits)} s | ` +
        `${verdict(r.cpu < limit)} |`
    )
  }
  const tiny = find(rows, 'tiny', 'loose', 'check-ref')
  if (tiny) under('tiny repository: check-ref', tiny, 0.3)
  for (const refs of ['packed', 'loose']) {
    const floor = find(rows, 10000, refs, 'floor')
    for (const command of ['check-ref', 'show']) {
      const r = find(rows, 10000, refs, command)
      if (!r) continue
      const wall = r.median / floor.median
      const cpu = r.cpu / floor.cpu
      lines.push(
        `| 10 000 tags, ${refs}: ${command} within 2× the floor | ` +
          `×${fmt(wall, 1)} (${fmt(r.median)} / ${fmt(floor.median)} s) | ` +
          `${verdict(wall <= 2)} | ` +
          `×${fmt(cpu, 1)} (${fmt(r.cpu)} / ${fmt(floor.cpu)} s) | ` +
          `${verdict(cpu <= 2)} |`
      )
      under(`10 000 tags, ${refs}: ${command}`, r, 1)
    }
  }
  for (const refs of ['packed', 'loose']) {
    const big = rows.filter(
      r => r.size === 100000 && r.refs === refs && r.command !== 'floor'
    )
    if (big.length === 0) continue
    for (const r of big) under(`100 000 tags, ${refs}: ${r.command}`, r, 5)
    const byPeak = [...big].sort((a, b) => a.peakMb - b.peakMb)
    const [lightest, heaviest] = [byPeak[0], byPeak[byPeak.length - 1]]
    lines.push(
      `| 100 000 tags, ${refs}: peak memory under 200 MB | ` +
        `${fmt(lightest.peakMb, 0)} MB (${lightest.command}) to ` +
        `${fmt(heaviest.peakMb, 0)} MB (${heaviest.command}) | ` +
        `${verdict(heaviest.peakMb < 200)} | — | — |`
    )
  }
  return lines.join('\n')
}

/**
 * Copies the bundle to measure, dist/ (index.js and the chunks it loads when
 * needed) or the one committed at `rev`, to .bench/action-<tree>/, and says
 * which build it is.
 */
function snapshotAction(rev) {
  const treeish = rev ? `${rev}:dist` : undefined
  const files = rev
    ? git(['ls-tree', '--name-only', `${rev}:dist`])
        .trim()
        .split('\n')
    : readdirSync(join(ROOT, 'dist'))
  const read = name =>
    rev
      ? git(['show', `${treeish}/${name}`])
      : readFileSync(join(ROOT, 'dist', name), 'utf8')
  const texts = files
    .filter(name => name.endsWith('.js'))
    .map(name => [name, read(name)])
  const blob = git(['hash-object', '--stdin'], {
    input: texts.map(([name, text]) => `${name}\n${text}`).join('\0')
  }).trim()
  const dir = join(BENCH, `action-${blob.slice(0, 10)}`)
  mkdirSync(dir, { recursive: true })
  for (const [name, text] of texts) writeFileSync(join(dir, name), text)
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  const head = git(['rev-parse', '--short', rev ? `${rev}^{commit}` : 'HEAD'])
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'dist'], {
    cwd: ROOT,
    env: cleanEnv(),
    encoding: 'utf8'
  }).stdout.trim()
  const build =
    rev || !dirty
      ? `dist/ as committed at ${head.trim()} (${blob.slice(0, 10)})`
      : `dist/ ${blob.slice(0, 10)}, an uncommitted build ` +
        `(working tree on ${head.trim()})`
  return { path: join(dir, 'index.js'), build }
}

function machine() {
  const cpu =
    /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ??
    cpus()[0]?.model
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3)
  return {
    nproc: spawnSync('nproc', { encoding: 'utf8' }).stdout.trim(),
    memory: `${fmt(totalmem() / 2 ** 30, 1)} GiB (${fmt(
      freemem() / 2 ** 30,
      1
    )} GiB free at the start)`,
    cpu,
    node: process.version,
    git: git(['--version'])
      .trim()
      .replace(/^git version /, ''),
    load: load.join(' ')
  }
}

function report({ rows, sizes, runs, largeRuns, m, generated, format }) {
  const large = sizes.some(s => s >= 50000) && largeRuns !== runs
  const runText =
    `${runs} timed run${runs === 1 ? '' : 's'} per command after one ` +
    'warm-up' +
    (large ? ` (${largeRuns} at 50 000 tags or more)` : '')
  const grown = growth(rows, sizes)
  return [
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
      `with \`npm run bench\`: ${runText}; load average at the start ` +
      `${m.load}, at the end ${m.loadAfter}.`,
    '',
    `- Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memory}`,
    `- Node ${m.node}, git ${m.git}`,
    `- Action: ${action.build}`,
    ...generated.map(g => `- ${g}`),
    `- Floor: \`git for-each-ref --format='${format}' -- refs/tags\` ` +
      'with its output to /dev/null.',
    '',
    table(rows),
    '',
    ...(grown ? ['### Growth', '', grown, ''] : []),
    '### Targets',
    '',
    targets(rows)
  ].join('\n')
}

async function writeDoc(block) {
  const old = existsSync(DOC) ? readFileSync(DOC, 'utf8') : ''
  const start = old.indexOf(START)
  const end = old.indexOf(END)
  const inner = `${START}\n\n${block}\n\n${END}`
  const text =
    start >= 0 && end > start
      ? old.slice(0, start) + inner + old.slice(end + END.length)
      : `${old || '# Benchmarks\n'}\n${inner}\n`
  const options = (await prettier.resolveConfig(DOC)) ?? {}
  writeFileSync(DOC, await prettier.format(text, { ...options, filepath: DOC }))
}

// ---------------------------------------------------------------------------

async function main() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000,100000' },
      runs: { type: 'string', default: '5' },
      'large-runs': { type: 'string' },
      refs: { type: 'string', default: 'loose,packed' },
      profile: { type: 'string' },
      'no-doc': { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      rev: { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return console.log(USAGE)
  const sizes = values.sizes.split(',').map(s => {
    if (s === 'tiny' && values.profile) return s
    const n = Number(s.replace(/[_ ]/g, ''))
    if (!Number.isInteger(n) || n < 100) throw new Error(`Bad size: ${s}`)
    return n
  })
  const runs = Number(values.runs)
  const largeRuns = Number(values['large-runs'] ?? Math.min(runs, 3))
  const refsList = values.refs.split(',')
  if (!values.rev && !existsSync(DIST)) throw new Error(`${DIST} is missing`)
  action = snapshotAction(values.rev)

  if (values.profile) {
    console.log(`Profiling ${action.build}`)
    for (const size of sizes) {
      const repos = repositories(size, values.rebuild)
      const only = size === 'tiny' || !refsList.includes('packed')
      for (const refs of only ? ['loose'] : ['packed']) {
        for (const command of values.profile.split(',')) {
          profileCommand(command, size, refs, repos)
        }
      }
    }
    return
  }

  const m = machine()
  const format = tagFormat()
  const rows = []
  const generated = []
  const tiny = repositories('tiny', values.rebuild)
  for (const size of sizes) {
    const r = repositories(size, values.rebuild)
    const events = Object.entries(r.events)
      .map(([kind, n]) => `${n} ${kind}s`)
      .join(', ')
    generated.push(
      `${sizeLabel(size)} tags: ${r.artifacts} artifacts, ${r.commits} ` +
        `commits; ${events}; generated in ${fmt(r.seconds, 1)} s`
    )
  }

  process.stderr.write('node -e 0 ')
  rows.push(nodeFloor(runs))
  process.stderr.write('\ntiny ')
  const tinyRepo = join(tiny.dir, 'loose')
  rows.push(
    ...measureRepo(
      { size: 'tiny', refs: 'loose' },
      tinyRepo,
      casesOf(tinyRepo, tiny, format),
      runs
    )
  )
  for (const size of sizes) {
    const repos = repositories(size, false)
    const n = size >= 50000 ? largeRuns : runs
    for (const refs of refsList) {
      process.stderr.write(`\n${size} ${refs} `)
      const repo = join(repos.dir, refs)
      rows.push(
        ...measureRepo({ size, refs }, repo, casesOf(repo, repos, format), n)
      )
    }
  }
  process.stderr.write('\n')

  m.loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ')[0]

  const block = report({ rows, sizes, runs, largeRuns, m, generated, format })
  console.log(await prettier.format(block, { parser: 'markdown' }))
  if (!values['no-doc']) {
    await writeDoc(block)
    console.log(`Wrote ${DOC}`)
  }
}

main().catch(error => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
