// The README's inputs and outputs tables are generated from action.yml by
// scripts/readme-usage.mjs; these tests keep them in step and check that the
// generator notices drift and repairs it.

import { afterEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { removeDir, tempDir } from './helpers/git.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SCRIPT = join(ROOT, 'scripts', 'readme-usage.mjs')

function usage(args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`
  }
}

let dir: string | undefined
afterEach(() => {
  if (dir) removeDir(dir)
  dir = undefined
})

describe('README usage tables', () => {
  it('match action.yml (run `npm run docs` when this fails)', () => {
    const { status, output } = usage(['--check'])

    expect(output).toContain('match action.yml')
    expect(status).toBe(0)
  })

  it('list every input and output action.yml declares', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const action = readFileSync(join(ROOT, 'action.yml'), 'utf8')
    const section = (name: string) =>
      readme.split(`<!-- ${name}:start -->`)[1].split(`<!-- ${name}:end -->`)[0]

    for (const input of ['command', 'skip-registration', 'dry-run']) {
      expect(action).toContain(`  ${input}:`)
      expect(section('inputs')).toContain(`| \`${input}\``)
    }
    for (const output of ['is-gto-tag', 'created-at', 'json']) {
      expect(action).toContain(`  ${output}:`)
      expect(section('outputs')).toContain(`| \`${output}\``)
    }
  })

  it('are reported stale, then rewritten, when action.yml changes', () => {
    dir = tempDir('gto-readme-')
    const readme = join(dir, 'README.md')
    const action = join(dir, 'action.yml')
    copyFileSync(join(ROOT, 'README.md'), readme)
    const original = readFileSync(join(ROOT, 'action.yml'), 'utf8')
    writeFileSync(
      action,
      original.replace(
        /^inputs:\n/m,
        'inputs:\n  colour:\n    description: red | green\n    default: red\n'
      )
    )
    const paths = ['--readme', readme, '--action', action]

    const stale = usage(['--check', ...paths])
    expect(stale.status).toBe(1)
    expect(stale.output).toContain('npm run docs')
    expect(readFileSync(readme, 'utf8')).not.toContain('colour')

    expect(usage(paths).status).toBe(0)
    const rewritten = readFileSync(readme, 'utf8')
    expect(rewritten).toMatch(/^\| `colour` +\| `red` +\| red \\\| green +\|$/m)
    expect(usage(['--check', ...paths]).status).toBe(0)

    // Only the marked sections change.
    const outside = (text: string) => text.split('<!-- inputs:start -->')[0]
    expect(outside(rewritten)).toBe(
      outside(readFileSync(join(ROOT, 'README.md'), 'utf8'))
    )
  })

  it('need both markers', () => {
    dir = tempDir('gto-readme-')
    const readme = join(dir, 'README.md')
    writeFileSync(readme, '# Title\n\n<!-- inputs:start -->\n')

    const { status, output } = usage(['--check', '--readme', readme])

    expect(status).toBe(2)
    expect(output).toContain('<!-- inputs:end -->')
  })
})
