// Hostile inputs end to end: option injection, control characters, huge
// values, illegal refs and shell syntax are refused or kept as plain data.

import { afterEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, readSettings } from '../src/action/inputs.js'
import { runAction, type ActionResult } from './helpers/action.js'
import {
  git,
  gtoTag,
  sandbox,
  tagNames,
  tagsOf,
  type Sandbox
} from './helpers/git.js'

type Input = Record<string, string>

let box: Sandbox | undefined
const markers: string[] = []
afterEach(() => {
  box?.cleanup()
  box = undefined
  // A marker that exists is a failure, asserted in the test; clean it anyway.
  for (const m of markers.splice(0)) rmSync(m, { force: true })
})

/** A path in the temp folder that must never come to exist. */
function marker(): string {
  const path = join(tmpdir(), `gto-pwned-${randomBytes(6).toString('hex')}`)
  markers.push(path)
  return path
}

function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

/** An empty registry: a sandbox and a runner-like clone of it. */
function emptyRunner(): string {
  box = sandbox()
  return box.runnerClone()
}

/** `rf@v0.0.1` on the first commit of origin, fetched into a runner. */
function registeredRunner(): string {
  box = sandbox()
  gtoTag(
    box.work,
    'rf@v0.0.1',
    head(box.work),
    'Registering artifact rf version v0.0.1\n'
  )
  git(box.work, ['push', '-q', 'origin', '--tags'])
  const runner = box.runnerClone()
  git(runner, ['fetch', '-q', 'origin', '+refs/tags/*:refs/tags/*'])
  return runner
}

/**
 * Runs the action in `runner`, expecting it to fail with an error matching
 * every pattern, and the tags of the runner and origin to be unchanged.
 */
async function expectRefused(
  runner: string,
  inputs: Record<string, string>,
  patterns: RegExp[],
  env: Record<string, string> = {}
): Promise<ActionResult> {
  const sb = box as Sandbox
  const before = [tagNames(runner), tagNames(sb.origin)]
  const result = await runAction({ ...inputs, repository: runner }, env)
  expect(result.exitCode).toBe(1)
  expect(result.error).toBeDefined()
  for (const pattern of patterns) expect(result.error).toMatch(pattern)
  expect(result.outputs.tag ?? '').toBe('')
  expect(result.outputs.pushed ?? '').not.toBe('true')
  expect([tagNames(runner), tagNames(sb.origin)]).toEqual(before)
  return result
}

describe("values starting with '-'", () => {
  it.each([
    {
      what: 'a name',
      inputs: (m: string) => ({
        command: 'assign',
        name: `--upload-pack=touch ${m}`,
        stage: 'dev'
      }),
      patterns: [/Input 'name' is not valid/, /--upload-pack/, /letters/]
    },
    {
      // Passes GTO's name rule: the `dir` part may start with '-'.
      what: 'a name GTO accepts',
      inputs: () => ({
        command: 'assign',
        name: '--upload-pack:rf',
        stage: 'dev'
      }),
      patterns: [/Input 'name' must not start with '-'/, /--upload-pack:rf/]
    },
    {
      what: 'a stage',
      inputs: (m: string) => ({
        command: 'assign',
        name: 'rf',
        stage: `--upload-pack=touch ${m}`
      }),
      patterns: [/Input 'stage' is not valid/, /--upload-pack/, /letters/]
    },
    {
      what: 'a version',
      inputs: (m: string) => ({
        command: 'register',
        name: 'rf',
        version: `--upload-pack=touch ${m}`
      }),
      patterns: [/Input 'version' is not valid/, /v1\.2\.3/]
    },
    {
      what: 'an assign ref',
      inputs: (m: string) => ({
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        ref: `--upload-pack=touch ${m}`
      }),
      patterns: [/Input 'ref' must not start with '-'/, /--upload-pack/]
    },
    {
      what: 'a check-ref ref',
      inputs: (m: string) => ({
        command: 'check-ref',
        ref: `--output=${m}`
      }),
      patterns: [/Input 'ref' must not start with '-'/, /--output=/]
    },
    {
      what: 'a remote',
      inputs: (m: string) => ({
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        remote: `--upload-pack=touch ${m}`
      }),
      patterns: [/Input 'remote' must not start with '-'/, /--upload-pack/]
    },
    {
      what: 'a remote when only fetching',
      inputs: (m: string) => ({
        command: 'show',
        remote: `--upload-pack=touch ${m}`
      }),
      patterns: [/Input 'remote' must not start with '-'/]
    },
    {
      what: 'a tagger name',
      inputs: () => ({
        command: 'register',
        name: 'rf',
        'tagger-name': '--help'
      }),
      patterns: [/Input 'tagger-name' must not start with '-'/]
    }
  ])('refuses $what', async ({ inputs, patterns }) => {
    const runner = emptyRunner()
    const m = marker()
    await expectRefused(runner, inputs(m), patterns)
    expect(existsSync(m)).toBe(false)
    expect(tagNames(runner)).toEqual([])
    expect(tagNames((box as Sandbox).origin)).toEqual([])
  })

  it('takes a remote that is a transport URL for no remote at all', async () => {
    const runner = emptyRunner()
    const m = marker()
    await expectRefused(
      runner,
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        remote: `ext::sh -c touch% ${m}`
      },
      [/Input 'remote' names no remote/, /ext::sh/, /'push: false'/]
    )
    expect(existsSync(m)).toBe(false)
    expect(tagNames(runner)).toEqual([])
    expect(tagNames((box as Sandbox).origin)).toEqual([])
  })
})

describe('control characters and line breaks', () => {
  it.each<{ what: string; inputs: Input; patterns: RegExp[] }>([
    {
      what: 'a newline inside a name',
      inputs: { command: 'assign', name: 'rf\nprod', stage: 'dev' },
      patterns: [/Input 'name' is not valid/, /"rf\\nprod"/]
    },
    {
      what: 'an escape sequence in a stage',
      inputs: { command: 'assign', name: 'rf', stage: 'dev\u001b[31m' },
      patterns: [/Input 'stage' is not valid/, /dev\\u001b\[31m/]
    },
    {
      what: 'a carriage return in a version',
      inputs: { command: 'register', name: 'rf', version: 'v1.0.0\rv2.0.0' },
      patterns: [/Input 'version' is not valid/]
    },
    {
      what: 'a newline in a ref',
      inputs: {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        ref: 'main\nHEAD'
      },
      patterns: [
        /Input 'ref' holds a control character or line break/,
        /one line/
      ]
    },
    {
      what: 'a bell in a check-ref ref',
      inputs: { command: 'check-ref', ref: 'rf#dev#1\u0007' },
      patterns: [/Input 'ref' holds a control character/, /one line/]
    },
    {
      what: 'a newline in the tagger name',
      inputs: {
        command: 'register',
        name: 'rf',
        'tagger-name': 'Bot\nGIT_DIR=/tmp'
      },
      patterns: [/Input 'tagger-name' holds a control character/]
    },
    {
      what: 'an escape sequence in a message',
      inputs: {
        command: 'register',
        name: 'rf',
        message: 'clear the screen \u001b[2J now'
      },
      patterns: [/Input 'message' holds a control character/, /plain text/]
    },
    {
      what: 'a backspace in a message',
      inputs: { command: 'register', name: 'rf', message: 'ok\u0008\u0008no' },
      patterns: [/Input 'message' holds a control character/]
    }
  ])('refuses $what', async ({ inputs, patterns }) => {
    const runner = emptyRunner()
    await expectRefused(runner, inputs, patterns)
    expect(tagNames(runner)).toEqual([])
    expect(tagNames((box as Sandbox).origin)).toEqual([])
  })

  // A runner's environment cannot carry NUL (nor can process.env), so NUL
  // is checked where the inputs are read.
  it.each(['name', 'stage', 'ref', 'remote', 'message'])(
    'refuses a NUL in %s',
    input => {
      const values: Record<string, string> = {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        [input]: input === 'message' ? 'a\0b' : 'rf\0x'
      }
      const read = (name: string) => values[name] ?? ''
      expect(() => readSettings(read)).toThrow(InputError)
      expect(() => readSettings(read)).toThrow(new RegExp(`Input '${input}'`))
    }
  )
})

describe('very long values', () => {
  const long = 'a'.repeat(10000)
  it.each<{ input: string; inputs: Input }>([
    {
      input: 'name',
      inputs: { command: 'assign', name: long, stage: 'dev' }
    },
    {
      input: 'stage',
      inputs: { command: 'assign', name: 'rf', stage: long }
    },
    {
      input: 'ref',
      inputs: { command: 'assign', name: 'rf', stage: 'dev', ref: long }
    },
    { input: 'ref', inputs: { command: 'check-ref', ref: `${long}@v1.0.0` } }
  ])('refuses a 10 000 character $input', async ({ input, inputs }) => {
    const runner = emptyRunner()
    const result = await expectRefused(runner, inputs, [
      new RegExp(`Input '${input}' is 100\\d\\d characters long`),
      /at most 255/
    ])
    // The error quotes the value cut short, not whole.
    expect((result.error as string).length).toBeLessThan(400)
    expect(tagNames(runner)).toEqual([])
  })

  it('refuses a message over 10 000 characters', async () => {
    const runner = emptyRunner()
    await expectRefused(
      runner,
      { command: 'register', name: 'rf', message: 'm'.repeat(10001) },
      [/Input 'message' is longer than 10000 characters/]
    )
    expect(tagNames(runner)).toEqual([])
    expect(tagNames((box as Sandbox).origin)).toEqual([])
  })

  it('stores a message of exactly 10 000 characters whole', async () => {
    const runner = emptyRunner()
    const text = 'x'.repeat(9999) + 'y'
    const result = await runAction({
      command: 'register',
      name: 'rf',
      message: text,
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(tagsOf((box as Sandbox).origin).get('rf@v0.0.1')?.message).toBe(
      `${text}\n`
    )
  })
})

describe("names GTO accepts but git's ref rules refuse", () => {
  it.each<{ what: string; inputs: Input; tag: string; inputNames: RegExp }>([
    {
      what: "'//' in a name",
      inputs: { command: 'assign', name: 'a//b', stage: 'dev' },
      tag: 'a//b@v0.0.1',
      inputNames: /'name'/
    },
    {
      what: "a '.lock' folder",
      inputs: { command: 'register', name: 'x.lock/y:m' },
      tag: 'x.lock/y=m@v0.0.1',
      inputNames: /'name'/
    },
    {
      what: "a folder starting with '.'",
      inputs: { command: 'register', name: '.hidden:m' },
      tag: '.hidden=m@v0.0.1',
      inputNames: /'name'/
    },
    {
      what: "'..' in a folder",
      inputs: { command: 'register', name: 'a..b:m' },
      tag: 'a..b=m@v0.0.1',
      inputNames: /'name'/
    },
    {
      what: "a folder starting with '/'",
      inputs: { command: 'register', name: '/abs:m' },
      tag: '/abs=m@v0.0.1',
      inputNames: /'name'/
    }
  ])('refuses $what', async ({ inputs, tag, inputNames }) => {
    const runner = emptyRunner()
    const escaped = tag.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    await expectRefused(runner, inputs, [
      new RegExp(`Tag ${escaped} is no legal git ref name`),
      /git check-ref-format/,
      inputNames,
      /GTO's rules allow it/
    ])
    expect(tagNames(runner)).toEqual([])
    expect(tagNames((box as Sandbox).origin)).toEqual([])
  })

  it("refuses '//' in a stage, keeping the registered version", async () => {
    const runner = registeredRunner()
    await expectRefused(
      runner,
      { command: 'assign', name: 'rf', stage: 'de//v', version: 'v0.0.1' },
      [
        /Tag rf#de\/\/v#1 is no legal git ref name/,
        /git check-ref-format/,
        /'name' or 'stage'/
      ]
    )
    expect(tagNames(runner)).toEqual(['rf@v0.0.1'])
    expect(tagNames((box as Sandbox).origin)).toEqual(['rf@v0.0.1'])
  })
})

describe('check-ref refs that try to leave refs/tags', () => {
  /**
   * A GTO tag object reachable only outside refs/tags: `refs/gto/x=rf@v0.0.1`
   * in the runner and on origin.
   */
  function hiddenTag(): string {
    const runner = registeredRunner()
    const object = git(runner, ['rev-parse', 'refs/tags/rf@v0.0.1']).trim()
    for (const repo of [runner, (box as Sandbox).origin]) {
      git(repo, ['update-ref', 'refs/gto/x=rf@v0.0.1', object])
      git(repo, ['update-ref', 'refs/heads/x=rf@v0.0.1', head(runner)])
    }
    return runner
  }

  it.each([
    'refs/tags/../gto/x=rf@v0.0.1',
    'refs/tags/../heads/x=rf@v0.0.1',
    'refs/tags/../../refs/gto/x=rf@v0.0.1'
  ])('reads no other ref for %s', async ref => {
    const runner = hiddenTag()
    const result = await runAction({
      command: 'check-ref',
      ref,
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(result.error).toBeUndefined()
    expect(result.outputs['is-gto-tag']).toBe('false')
    expect(result.outputs.commit ?? '').toBe('')
    expect(result.outputs.version ?? '').toBe('')
    // Nothing was fetched or created under refs/tags.
    expect(tagNames(runner)).toEqual(['rf@v0.0.1'])
  })

  it('reads no other ref when GITHUB_REF climbs out', async () => {
    const runner = hiddenTag()
    const result = await runAction(
      { command: 'check-ref', repository: runner },
      { GITHUB_REF: 'refs/tags/../gto/x=rf@v0.0.1', GITHUB_EVENT_NAME: 'push' }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['is-gto-tag']).toBe('false')
    expect(result.outputs.commit ?? '').toBe('')
    expect(tagNames(runner)).toEqual(['rf@v0.0.1'])
  })
})

describe('shell syntax is data', () => {
  const hostile = (m: string) => [
    `rf#prod$(touch ${m})`,
    `rf#prod\`touch ${m}\``,
    `rf#prod;touch ${m}`,
    `rf@v0.0.1|touch ${m}`,
    `rf@v0.0.1&&touch ${m}`
  ]

  it('takes check-ref refs with shell syntax for no GTO tag', async () => {
    const runner = registeredRunner()
    const m = marker()
    for (const tag of hostile(m)) {
      for (const ref of [tag, `refs/tags/${tag}`]) {
        const result = await runAction({
          command: 'check-ref',
          ref,
          repository: runner
        })
        expect(result.exitCode).toBe(0)
        expect(result.outputs['is-gto-tag']).toBe('false')
        expect(result.log).toContain(
          `Not a GTO tag (input 'ref'): ${JSON.stringify(ref)}`
        )
      }
    }
    expect(existsSync(m)).toBe(false)
    expect(tagNames(runner)).toEqual(['rf@v0.0.1'])
  })

  it('takes a GITHUB_REF with shell syntax for no GTO tag', async () => {
    const runner = registeredRunner()
    const m = marker()
    for (const tag of hostile(m)) {
      const result = await runAction(
        { command: 'check-ref', repository: runner },
        { GITHUB_REF: `refs/tags/${tag}`, GITHUB_EVENT_NAME: 'push' }
      )
      expect(result.exitCode).toBe(0)
      expect(result.outputs['is-gto-tag']).toBe('false')
      expect(result.log).toContain(
        `Not a GTO tag (GITHUB_REF): ${JSON.stringify(`refs/tags/${tag}`)}`
      )
    }
    expect(existsSync(m)).toBe(false)
  })

  it('fetches and reads remote tags named with shell syntax as data', async () => {
    box = sandbox()
    const m = marker()
    const first = head(box.work)
    gtoTag(
      box.work,
      'rf@v0.0.1',
      first,
      'Registering artifact rf version v0.0.1\n'
    )
    // Legal ref names (no spaces) that a shell would run.
    const names = [
      `rf#prod$(touch\${IFS}${m})`,
      `rf#prod\`touch\${IFS}${m}\``,
      `rf#prod;touch\${IFS}${m}`
    ]
    for (const name of names) {
      gtoTag(box.work, name, first, `$(touch ${m})\n`)
    }
    git(box.work, ['push', '-q', 'origin', '--tags'])
    const runner = box.runnerClone()
    const result = await runAction({ command: 'show', repository: runner })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.outputs.json)).toEqual({
      rf: { version: 'v0.0.1', stage: {}, registered: true, active: true }
    })
    // The hostile tags came over as they are.
    expect(tagNames(runner)).toEqual(['rf@v0.0.1', ...names].sort())
    expect(existsSync(m)).toBe(false)

    // And as a trigger each is no GTO tag.
    for (const name of names) {
      const check = await runAction({
        command: 'check-ref',
        ref: name,
        repository: runner
      })
      expect(check.exitCode).toBe(0)
      expect(check.outputs['is-gto-tag']).toBe('false')
    }
    expect(existsSync(m)).toBe(false)
  })

  it('stores a message with shell syntax verbatim and runs none of it', async () => {
    const runner = emptyRunner()
    const m = marker()
    const message =
      `Deploy $(touch ${m}) and \`touch ${m}\`; touch ${m} | tee ${m}\n` +
      `line two: $HOME \${PATH} 'quoted' "double" %0A %25 \\n`
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      message,
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.tag).toBe('rf#dev#1')
    expect(result.outputs.message).toBe(message)
    expect(existsSync(m)).toBe(false)

    // The annotated tag object holds the text byte for byte, here and on
    // origin.
    for (const repo of [runner, (box as Sandbox).origin]) {
      const object = git(repo, ['cat-file', 'tag', 'refs/tags/rf#dev#1'])
      const body = object.slice(object.indexOf('\n\n') + 2)
      expect(body).toBe(`${message}\n`)
    }
    expect(existsSync(m)).toBe(false)
  })

  it('keeps workflow commands in a message out of the log', async () => {
    const runner = emptyRunner()
    const message = 'fine\n::error::injected\n::add-mask::fine'
    const result = await runAction({
      command: 'register',
      name: 'rf',
      message,
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(result.error).toBeUndefined()
    expect(result.log).not.toMatch(/^::error::injected/m)
    expect(result.log).not.toMatch(/^::add-mask::fine/m)
    expect(tagsOf((box as Sandbox).origin).get('rf@v0.0.1')?.message).toBe(
      `${message}\n`
    )
  })

  it('keeps workflow commands in a tag message out of printed outputs', async () => {
    box = sandbox()
    const message = 'Registering\n::error::injected\n::add-mask::rf'
    gtoTag(box.work, 'rf@v0.0.1', head(box.work), `${message}\n`)
    git(box.work, ['push', '-q', 'origin', '--tags'])
    const runner = box.runnerClone()
    const result = await runAction({
      command: 'check-ref',
      ref: 'rf@v0.0.1',
      'print-outputs': 'true',
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['is-gto-tag']).toBe('true')
    expect(result.outputs.message).toBe(message)
    expect(result.error).toBeUndefined()
    expect(result.log).not.toMatch(/^::error::injected/m)
    expect(result.log).not.toMatch(/^::add-mask::rf$/m)
  })

  it('keeps workflow commands in a dispatched tag out of the log', async () => {
    const runner = registeredRunner()
    const eventFile = join((box as Sandbox).root, 'event.json')
    writeFileSync(
      eventFile,
      JSON.stringify({ inputs: { tag: 'nope\n::error::injected' } })
    )
    const result = await runAction(
      { command: 'check-ref', repository: runner },
      {
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_EVENT_PATH: eventFile,
        GITHUB_REF: 'refs/heads/main'
      }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs['is-gto-tag']).toBe('false')
    expect(result.error).toBeUndefined()
    expect(result.log).not.toMatch(/^::error::injected/m)
  })
})
