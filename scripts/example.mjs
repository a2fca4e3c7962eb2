// The built-in example: a throwaway origin with one annotated model, an
// `assign` run in a runner-like checkout, then a deploy-style `check-ref`
// run on the tag it pushed. Run it with `npm run example`.

import { execFileSync, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ACTION = join(ROOT, 'dist', 'index.js')

const DVC_YAML = `artifacts:
  churn:
    type: model
    path: models/churn.pkl
    desc: Predicts which customers will cancel next month
`

// Who commits in the example repository. The action sets its own tagger.
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Example Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Example Author',
  GIT_COMMITTER_EMAIL: 'author@example.com'
}

/**
 * The environment every git call and action run starts from: this machine's,
 * minus anything a surrounding workflow set (its inputs and GITHUB_*
 * variables would leak into the example), with the user's git configuration
 * replaced by an empty file so that settings like tag signing change nothing.
 */
function baseEnv(emptyConfig) {
  const env = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('INPUT_') || key.startsWith('GITHUB_')) continue
    env[key] = value
  }
  return {
    ...env,
    ...IDENTITY,
    GIT_CONFIG_GLOBAL: emptyConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0'
  }
}

function main() {
  if (!existsSync(ACTION)) {
    console.error(`${ACTION} is missing: run 'npm run build' first.`)
    return 1
  }

  const root = mkdtempSync(join(tmpdir(), 'gto-example-'))
  try {
    return runExample(root)
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

function runExample(root) {
  const emptyConfig = join(root, 'gitconfig')
  writeFileSync(emptyConfig, '')
  const env = baseEnv(emptyConfig)
  const git = (cwd, args) =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: 'pipe' })

  heading('Setting up a repository with a model')
  const origin = join(root, 'origin.git')
  const work = join(root, 'work')
  git(root, ['init', '-q', '--bare', '-b', 'main', origin])
  git(root, ['init', '-q', '-b', 'main', work])
  writeFileSync(join(work, 'dvc.yaml'), DVC_YAML)
  git(work, ['add', 'dvc.yaml'])
  git(work, ['commit', '-q', '-m', 'Annotate the churn model'])
  git(work, ['remote', 'add', 'origin', origin])
  git(work, ['push', '-q', 'origin', 'main'])
  const head = git(work, ['rev-parse', 'HEAD']).trim()
  console.log(`origin:  ${origin}`)
  console.log(`commit:  ${head} (dvc.yaml declares model 'churn')`)

  heading('Step 1: assign stage dev to churn (a workflow_dispatch run)')
  const assignDir = checkout(git, root, origin, 'assign-run')
  const assigned = runAction(root, env, 'assign', {
    workspace: assignDir,
    inputs: { command: 'assign', name: 'churn', stage: 'dev' },
    event: 'workflow_dispatch',
    ref: 'refs/heads/main',
    payload: { ref: 'refs/heads/main', inputs: { stage: 'dev' } }
  })
  if (!assigned) return 1
  printOutputs(assigned)
  const tag = assigned.tag
  if (!tag) {
    console.error('The assign step succeeded but reported no tag.')
    return 1
  }

  heading(`Step 2: parse ${tag} (a run triggered by the tag push)`)
  const deployDir = checkout(git, root, origin, 'deploy-run')
  const parsed = runAction(root, env, 'check-ref', {
    workspace: deployDir,
    inputs: {},
    event: 'push',
    ref: `refs/tags/${tag}`,
    payload: { ref: `refs/tags/${tag}`, created: true, deleted: false }
  })
  if (!parsed) return 1
  printOutputs(parsed)
  if (parsed['is-gto-tag'] !== 'true') {
    console.error(`check-ref did not recognise ${tag} as a GTO tag.`)
    return 1
  }

  heading('Tags on origin')
  console.log(
    git(origin, [
      'for-each-ref',
      '--format=%(refname:strip=2)  ->  %(*objectname:short)  ' +
        '%(taggername) %(taggeremail)  "%(contents:subject)"',
      'refs/tags'
    ]).trimEnd()
  )
  return 0
}

/** A clone like actions/checkout's default: one commit, no tags. */
function checkout(git, root, origin, name) {
  const dir = join(root, name)
  git(root, ['clone', '-q', '--depth=1', '--no-tags', `file://${origin}`, dir])
  return dir
}

/**
 * Runs `node dist/index.js` the way a runner runs a step: inputs as INPUT_*
 * variables, outputs collected in the GITHUB_OUTPUT file. Returns the
 * outputs, or undefined (after printing the log) when the step failed.
 */
function runAction(root, env, label, step) {
  const outputFile = join(root, `${label}.output`)
  const summaryFile = join(root, `${label}.summary`)
  const eventFile = join(root, `${label}.event.json`)
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(step.payload))

  const inputs = {}
  for (const [name, value] of Object.entries(step.inputs)) {
    inputs[`INPUT_${name.toUpperCase()}`] = value
  }
  const result = spawnSync(process.execPath, [ACTION], {
    cwd: step.workspace,
    encoding: 'utf8',
    env: {
      ...env,
      ...inputs,
      GITHUB_WORKSPACE: step.workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_EVENT_NAME: step.event,
      GITHUB_EVENT_PATH: eventFile,
      GITHUB_REF: step.ref,
      GITHUB_REPOSITORY: 'example/churn-models'
    }
  })

  const log = `${result.stdout ?? ''}${result.stderr ?? ''}`
  console.log('Log:')
  console.log(indent(asRunnerShows(log) || '(nothing)'))
  const summary = readFileSync(summaryFile, 'utf8').trim()
  if (summary) {
    console.log('Job summary:')
    console.log(indent(summary))
  }
  if (result.error || result.status !== 0) {
    const why = result.error?.message ?? `exit code ${result.status}`
    console.error(`The ${label} step failed (${why}).`)
    return undefined
  }
  return parseOutputFile(readFileSync(outputFile, 'utf8'))
}

/** The log as a runner displays it: groups as titles, debug lines hidden. */
function asRunnerShows(log) {
  return log
    .split('\n')
    .filter(line => !/^::(debug|endgroup)::/.test(line))
    .map(line => line.replace(/^::group::/, '> '))
    .join('\n')
    .trimEnd()
}

/** Reads the `name<<delimiter`, value lines, `delimiter` blocks. */
function parseOutputFile(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!start) continue
    const value = []
    for (i++; i < lines.length && lines[i] !== start[2]; i++) {
      value.push(lines[i])
    }
    outputs[start[1]] = value.join('\n')
  }
  return outputs
}

function printOutputs(outputs) {
  console.log('Outputs:')
  const width = Math.max(...Object.keys(outputs).map(name => name.length))
  for (const [name, value] of Object.entries(outputs)) {
    console.log(`  ${name.padEnd(width)}  ${shown(value, width + 4)}`)
  }
}

/** An output value on one line, or long JSON spread over indented lines. */
function shown(value, margin) {
  if (value === '') return '(empty)'
  if (value.length > 60 && /^[[{]/.test(value)) {
    try {
      const text = JSON.stringify(JSON.parse(value), null, 2)
      return text.replace(/\n/g, `\n${' '.repeat(margin)}`)
    } catch {
      // Not JSON after all: print it as it is.
    }
  }
  return value.replace(/\n/g, '\\n')
}

function heading(text) {
  console.log(`\n== ${text}`)
}

function indent(text) {
  return text.replace(/^/gm, '  | ')
}

process.exitCode = main()
