// The `token` input against a real smart-HTTP git server on 127.0.0.1: it
// authenticates fetch and push, beats a persisted header, and never leaks.

import { afterEach, describe, expect, it } from '@jest/globals'
import { execFile, execFileSync, spawn } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { runAction } from './helpers/action.js'
import {
  git,
  removeDir,
  sandbox,
  tagNames,
  tagsOf,
  tempDir,
  type Sandbox
} from './helpers/git.js'

const TOKEN = 'ghs_TestToken0123456789abcdefXYZ'
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64')
const WRONG = Buffer.from('x-access-token:wrong').toString('base64')

const BACKEND = join(
  execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(),
  'git-http-backend'
)
const execFileAsync = promisify(execFile)

/** What the server saw of one request. */
interface Seen {
  method: string
  path: string
  /** Every Authorization header the request carried, in order. */
  authorization: string[]
}

interface GitServer {
  /** The URL of a repository under the served root. */
  url(repo: string): string
  base: string
  seen: Seen[]
  close(): Promise<void>
}

/**
 * Serves the bare repositories under `root` with `git http-backend` as a
 * CGI program, admitting only requests that carry exactly one
 * `Basic base64(x-access-token:TOKEN)` header.
 */
async function serve(root: string): Promise<GitServer> {
  const seen: Seen[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const authorization: string[] = []
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i].toLowerCase() === 'authorization') {
        authorization.push(req.rawHeaders[i + 1])
      }
    }
    seen.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization
    })
    const admitted =
      authorization.length === 1 &&
      /^basic /i.test(authorization[0]) &&
      authorization[0].slice('basic '.length).trim() === BASIC
    if (!admitted) {
      req.resume()
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="gto-test"',
        'Content-Type': 'text/plain'
      })
      res.end('Unauthorized\n')
      return
    }

    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: 'x-access-token',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1'
    }
    const length = req.headers['content-length']
    if (length) env.CONTENT_LENGTH = length
    const encoding = req.headers['content-encoding']
    if (encoding) env.HTTP_CONTENT_ENCODING = encoding
    const protocol = req.headers['git-protocol']
    if (typeof protocol === 'string') env.HTTP_GIT_PROTOCOL = protocol

    const child = spawn(BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    req.pipe(child.stdin)
    child.stdin.on('error', () => {})
    child.stderr.resume()

    // CGI: headers (with `Status:`), a blank line, then the body.
    let head = Buffer.alloc(0)
    let started = false
    child.stdout.on('data', (chunk: Buffer) => {
      if (started) {
        res.write(chunk)
        return
      }
      head = Buffer.concat([head, chunk])
      let end = head.indexOf('\r\n\r\n')
      let gap = 4
      if (end < 0) {
        end = head.indexOf('\n\n')
        gap = 2
      }
      if (end < 0) return
      let status = 200
      const headers: Record<string, string> = {}
      for (const line of head.subarray(0, end).toString().split(/\r?\n/)) {
        const colon = line.indexOf(':')
        if (colon < 0) continue
        const name = line.slice(0, colon).trim()
        const value = line.slice(colon + 1).trim()
        if (name.toLowerCase() === 'status') status = parseInt(value, 10)
        else headers[name] = value
      }
      res.writeHead(status, headers)
      res.write(head.subarray(end + gap))
      started = true
    })
    child.stdout.on('end', () => {
      if (!started) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const base = `http://127.0.0.1:${port}`
  return {
    base,
    url: repo => `${base}/${repo}`,
    seen,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/**
 * Git without blocking the event loop: the server answers in this process,
 * so a synchronous call to it would wait for itself.
 */
async function gitAsync(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }
  })
  return stdout
}

let box: Sandbox | undefined
let server: GitServer | undefined
const extraDirs: string[] = []
afterEach(async () => {
  await server?.close()
  server = undefined
  box?.cleanup()
  box = undefined
  for (const dir of extraDirs.splice(0)) removeDir(dir)
})

/**
 * A sandbox whose `origin` is served over HTTP, and a runner-like clone of
 * it (depth 1, no tags) made over HTTP with a header for the clone only, so
 * the clone's config keeps no credentials.
 */
async function httpRunner(): Promise<{ runner: string; url: string }> {
  box = sandbox()
  git(box.origin, ['config', 'http.receivepack', 'true'])
  server = await serve(box.root)
  const url = server.url('origin.git')
  const runner = join(box.root, 'runner')
  await gitAsync(box.root, [
    '-c',
    `http.extraheader=AUTHORIZATION: Basic ${BASIC}`,
    'clone',
    '-q',
    '--depth=1',
    '--no-tags',
    url,
    runner
  ])
  // The clone really went over HTTP, with the header.
  expect(server.seen.length).toBeGreaterThan(0)
  expect(server.seen.every(s => s.authorization.length === 1)).toBe(true)
  server.seen.splice(0)
  return { runner, url }
}

function head(repo: string): string {
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

/** The refs the bare origin holds, tags and the action's lock refs. */
function originRefs(): string[] {
  return git((box as Sandbox).origin, [
    'for-each-ref',
    '--format=%(refname)',
    'refs/tags',
    'refs/gto-action'
  ])
    .split('\n')
    .filter(Boolean)
    .sort()
}

describe('token over smart HTTP', () => {
  it('fetches and pushes with the token input', async () => {
    const { runner } = await httpRunner()
    const commit = head(runner)
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      token: TOKEN,
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.pushed).toBe('true')
    expect(result.outputs.tags).toBe('["rf@v0.0.1","rf#dev#1"]')

    const origin = tagsOf((box as Sandbox).origin)
    expect([...origin.keys()].sort()).toEqual(['rf#dev#1', 'rf@v0.0.1'])
    expect(origin.get('rf#dev#1')?.commit).toBe(commit)
    expect(origin.get('rf@v0.0.1')?.message).toBe(
      'Registering artifact rf version v0.0.1\n'
    )
    expect(tagNames(runner)).toEqual(['rf#dev#1', 'rf@v0.0.1'])

    // Every request of the run (listing, fetch, push) carried the token.
    const seen = (server as GitServer).seen
    expect(seen.some(s => s.path.includes('git-receive-pack'))).toBe(true)
    expect(
      seen.some(
        s => s.method === 'POST' && s.path === '/origin.git/git-receive-pack'
      )
    ).toBe(true)
    for (const s of seen) {
      expect(s.authorization).toEqual([`basic ${BASIC}`])
    }
  })

  it('beats a wrong header persisted the way actions/checkout does', async () => {
    const { runner } = await httpRunner()
    const base = (server as GitServer).base
    const key = `http.${base}/.extraheader`
    git(runner, ['config', '--local', key, `AUTHORIZATION: basic ${WRONG}`])
    // Without the token input the persisted header is used, and refused.
    const refused = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      repository: runner
    })
    expect(refused.exitCode).toBe(1)
    expect(
      (server as GitServer).seen.some(s =>
        s.authorization.includes(`basic ${WRONG}`)
      )
    ).toBe(true)
    expect(originRefs()).toEqual([])
    expect(tagNames(runner)).toEqual([])
    ;(server as GitServer).seen.splice(0)

    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      token: TOKEN,
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(result.outputs.pushed).toBe('true')
    expect(tagNames((box as Sandbox).origin)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
    const seen = (server as GitServer).seen
    expect(seen.some(s => s.path.includes('git-receive-pack'))).toBe(true)
    // Only the token's header went out: the persisted one was cleared, not
    // sent alongside.
    for (const s of seen) expect(s.authorization).toEqual([`basic ${BASIC}`])
    // The checkout's config is left as it was.
    expect(git(runner, ['config', '--local', '--get-all', key]).trim()).toBe(
      `AUTHORIZATION: basic ${WRONG}`
    )
  })

  it('fails clearly without a token, leaving no tag anywhere', async () => {
    const { runner } = await httpRunner()
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/'origin'/)
    // git's reason: it could not authenticate.
    expect(result.error).toMatch(/Username|Authentication|401/i)
    // And what to do about it.
    expect(result.error).toMatch(/token/)
    expect(result.outputs.tag ?? '').toBe('')
    expect(tagNames(runner)).toEqual([])
    expect(originRefs()).toEqual([])
    // The server refused every request: none carried credentials.
    const seen = (server as GitServer).seen
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every(s => s.authorization.length === 0)).toBe(true)
  })

  it('fails before creating anything without a token, fetch off', async () => {
    const { runner } = await httpRunner()
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      fetch: 'false',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    // A push reads the remote's tags first, whatever `fetch` says: the
    // listing is refused, before any tag exists.
    expect(result.error).toMatch(/^Cannot list the refs of 'origin'/)
    expect(result.error).toMatch(/token/)
    expect(result.error).toMatch(/Username|Authentication|401/i)
    expect(result.log).not.toContain('Creating tag')
    expect(tagNames(runner)).toEqual([])
    expect(originRefs()).toEqual([])
    const seen = (server as GitServer).seen
    expect(seen.some(s => s.path.includes('git-upload-pack'))).toBe(true)
    expect(seen.every(s => s.authorization.length === 0)).toBe(true)
  })

  it('fails clearly with a wrong token, leaving no tag anywhere', async () => {
    const { runner } = await httpRunner()
    const result = await runAction({
      command: 'register',
      name: 'rf',
      token: 'not-the-token',
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/'origin'/)
    expect(result.error).not.toContain('not-the-token')
    expect(tagNames(runner)).toEqual([])
    expect(originRefs()).toEqual([])
  })
})

describe('the token never leaks', () => {
  /**
   * A `git` first on PATH that records its arguments, one per line, then
   * runs the real git: every git the action starts is seen.
   */
  function argvSpy(): { env: Record<string, string>; read(): string } {
    const dir = tempDir('gto-argv-')
    extraDirs.push(dir)
    const real = execFileSync('sh', ['-c', 'command -v git'], {
      encoding: 'utf8'
    }).trim()
    const logFile = join(dir, 'argv.log')
    writeFileSync(logFile, '')
    writeFileSync(
      join(dir, 'git'),
      '#!/bin/sh\n' +
        'for a in "$@"; do printf \'%s\\n\' "$a" >> "$GTO_ARGV_LOG"; done\n' +
        'echo "--- end of call" >> "$GTO_ARGV_LOG"\n' +
        `exec '${real}' "$@"\n`
    )
    chmodSync(join(dir, 'git'), 0o755)
    return {
      env: {
        PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
        GTO_ARGV_LOG: logFile
      },
      read: () => readFileSync(logFile, 'utf8')
    }
  }

  it('keeps it out of argv, the log, outputs, summary and config', async () => {
    const { runner, url } = await httpRunner()
    const spy = argvSpy()
    const result = await runAction(
      {
        command: 'assign',
        name: 'rf',
        stage: 'dev',
        token: TOKEN,
        repository: runner
      },
      spy.env
    )
    expect(result.exitCode).toBe(0)
    expect(tagNames((box as Sandbox).origin)).toEqual(['rf#dev#1', 'rf@v0.0.1'])

    // The spy saw the action's git calls, fetch and push included.
    const argv = spy.read()
    expect(argv).toContain('ls-remote')
    expect(argv).toContain('push')
    expect(argv).toContain('--atomic')
    expect(argv).not.toContain(TOKEN)
    expect(argv).not.toContain(BASIC)

    // Both forms are masked for the runner...
    const masks = result.log
      .split('\n')
      .filter(line => line.startsWith('::add-mask::'))
    expect(masks).toContain(`::add-mask::${TOKEN}`)
    expect(masks).toContain(`::add-mask::${BASIC}`)
    // ...and appear nowhere else.
    const rest = result.log
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    expect(rest).toContain('Pushing to origin')
    for (const secret of [TOKEN, BASIC]) {
      expect(rest).not.toContain(secret)
      expect(result.summary).not.toContain(secret)
      expect(JSON.stringify(result.outputs)).not.toContain(secret)
    }
    expect(result.summary).toContain('rf#dev#1')

    // Nothing was written to the checkout: URL and config as before.
    expect(git(runner, ['remote', 'get-url', 'origin']).trim()).toBe(url)
    const config = readFileSync(join(runner, '.git', 'config'), 'utf8')
    expect(config).not.toContain(TOKEN)
    expect(config).not.toContain(BASIC)
    expect(config).not.toMatch(/extraheader/i)
  })

  it('keeps it out of the error of a failed push', async () => {
    const { runner } = await httpRunner()
    git(runner, ['remote', 'set-url', 'origin', `${server?.base}/missing.git`])
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      token: TOKEN,
      repository: runner
    })
    expect(result.exitCode).toBe(1)
    expect(result.error).toMatch(/'origin'/)
    expect(result.error).toMatch(/missing\.git/)
    for (const secret of [TOKEN, BASIC]) {
      expect(result.error).not.toContain(secret)
      expect(
        result.log
          .split('\n')
          .filter(line => !line.startsWith('::add-mask::'))
          .join('\n')
      ).not.toContain(secret)
    }
    expect(tagNames(runner)).toEqual([])
  })
})

describe('remotes that are not HTTP', () => {
  it('pushes to a file:// remote with the token set', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    expect(git(runner, ['remote', 'get-url', 'origin']).trim()).toBe(
      `file://${box.origin}`
    )
    const result = await runAction({
      command: 'assign',
      name: 'rf',
      stage: 'dev',
      token: TOKEN,
      repository: runner
    })
    expect(result.error).toBeUndefined()
    expect(result.exitCode).toBe(0)
    expect(tagNames(box.origin)).toEqual(['rf#dev#1', 'rf@v0.0.1'])
  })

  it('pushes to a plain path remote with the token set', async () => {
    box = sandbox()
    const runner = box.runnerClone()
    git(runner, ['remote', 'set-url', 'origin', box.origin])
    const result = await runAction({
      command: 'register',
      name: 'rf',
      token: TOKEN,
      repository: runner
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.tag).toBe('rf@v0.0.1')
    expect(tagNames(box.origin)).toEqual(['rf@v0.0.1'])
  })
})
