// The only place that runs git. Every call passes an argument array to the
// git binary (never a shell), so no input is ever interpreted as code.

import * as exec from '@actions/exec'
import { existsSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import type { TagRecord } from '../core/events.js'

export interface Identity {
  name: string
  email: string
}

export interface GitResult {
  exitCode: number
  stdout: string
  stderr: string
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly result?: GitResult
  ) {
    super(message)
  }
}

// One record per tag; fields split by NUL, records ended by NUL + RS + NUL,
// which no field can hold (git stores no NUL in refs or tag messages).
const FIELDS = [
  '%(refname)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objecttype)',
  '%(*objectname)',
  '%(taggername)',
  '%(taggeremail)',
  '%(taggerdate:raw)',
  '%(contents)'
]
const REMOTE_ADVICE =
  "Check that the remote is reachable and that the 'token' input may read " +
  "the repository's contents."

const RECORD_END = '\0\x1e\0'
const TAG_FORMAT = FIELDS.join('%00') + '%00%1e%00'

export class Git {
  private readonly env: Record<string, string>

  constructor(
    readonly workdir: string,
    extraEnv: Record<string, string> = {}
  ) {
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined) env[key] = value
    }
    // Never wait for a password on a runner, never translate git's messages.
    this.env = { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extraEnv }
  }

  /** Runs git; a non-zero exit is returned, not thrown. */
  async run(
    args: string[],
    options: { env?: Record<string, string>; input?: string } = {}
  ): Promise<GitResult> {
    const result = await exec.getExecOutput('git', args, {
      cwd: this.workdir,
      env: { ...this.env, ...options.env },
      input:
        options.input === undefined ? undefined : Buffer.from(options.input),
      silent: true,
      ignoreReturnCode: true
    })
    return result
  }

  /** Runs git and throws with git's own words when it fails. */
  async ok(args: string[], what: string): Promise<string> {
    const result = await this.run(args)
    if (result.exitCode !== 0) {
      throw new GitError(`${what}: ${gitSays(result)}`, result)
    }
    return result.stdout
  }

  async isRepository(): Promise<boolean> {
    // @actions/exec refuses a missing folder with its own words.
    if (!existsSync(this.workdir)) return false
    const result = await this.run(['rev-parse', '--git-dir'])
    return result.exitCode === 0
  }

  async isShallow(): Promise<boolean> {
    const out = await this.ok(
      ['rev-parse', '--is-shallow-repository'],
      'Cannot tell whether the repository is shallow'
    )
    return out.trim() === 'true'
  }

  /** The full SHA of the commit a revision names, or undefined. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    const result = await this.run([
      'rev-parse',
      '--verify',
      '--quiet',
      '--end-of-options',
      `${rev}^{commit}`
    ])
    return result.exitCode === 0 ? result.stdout.trim() : undefined
  }

  /**
   * The tags matching for-each-ref patterns (every tag by default), in one
   * call, lightweight ones included. A pattern also matches the refs below
   * it (`refs/tags/NAME/...`): callers keep only the names they asked for.
   */
  async readTags(patterns: string[] = ['refs/tags']): Promise<TagRecord[]> {
    // Parsed as the output streams in: a registry of 100 000 tags is tens of
    // megabytes of text, never held whole.
    const records: TagRecord[] = []
    const decoder = new StringDecoder('utf8')
    let rest = ''
    let stderr = ''
    const take = (text: string) => {
      const chunks = (rest + text).split(RECORD_END)
      rest = chunks.pop() as string
      for (const chunk of chunks) {
        const record = parseTagRecord(chunk)
        if (record) records.push(record)
      }
    }
    const exitCode = await exec.exec(
      'git',
      ['for-each-ref', `--format=${TAG_FORMAT}`, '--', ...patterns],
      {
        cwd: this.workdir,
        env: this.env,
        silent: true,
        ignoreReturnCode: true,
        listeners: {
          stdout: (data: Buffer) => take(decoder.write(data)),
          stderr: (data: Buffer) => (stderr += data.toString())
        }
      }
    )
    take(decoder.end())
    if (exitCode !== 0) {
      throw new GitError(
        `Cannot list tags: ${gitSays({ exitCode, stdout: '', stderr })}`
      )
    }
    return records
  }

  /** The tag names that the tag objects under a ref prefix carry. */
  async lockedTagNames(prefix: string): Promise<string[]> {
    const out = await this.ok(
      ['for-each-ref', '--format=%(tag)', '--', prefix],
      'Cannot list refs'
    )
    return out.split('\n').filter(name => name !== '')
  }

  /** The text of a file at a commit; undefined when it is not there. */
  async fileAt(commit: string, path: string): Promise<string | undefined> {
    const result = await this.run(['cat-file', 'blob', `${commit}:${path}`])
    return result.exitCode === 0 ? result.stdout : undefined
  }

  async createTag(
    tag: string,
    commit: string,
    message: string,
    tagger: Identity
  ): Promise<void> {
    // The tagger is git's committer identity; `-F -` stores the message as
    // given, and verbatim cleanup keeps lines starting with `#`.
    const result = await this.run(
      [
        'tag',
        '--annotate',
        '--cleanup=verbatim',
        '--file=-',
        '--',
        tag,
        commit
      ],
      {
        env: {
          GIT_COMMITTER_NAME: tagger.name,
          GIT_COMMITTER_EMAIL: tagger.email
        },
        input: message.endsWith('\n') ? message : `${message}\n`
      }
    )
    if (result.exitCode !== 0) {
      throw new GitError(`Cannot create tag ${tag}: ${gitSays(result)}`, result)
    }
  }

  /** Whether git accepts `refs/tags/<tag>` as a ref name. */
  async isLegalTagName(tag: string): Promise<boolean> {
    const result = await this.run(['check-ref-format', `refs/tags/${tag}`])
    return result.exitCode === 0
  }

  async deleteLocalTags(tags: string[]): Promise<void> {
    if (tags.length === 0) return
    await this.ok(['tag', '--delete', '--', ...tags], 'Cannot delete tags')
  }

  async remoteUrl(remote: string): Promise<string | undefined> {
    const result = await this.run(['remote', 'get-url', '--', remote])
    return result.exitCode === 0 ? result.stdout.trim() : undefined
  }

  /** The refs of a remote matching the patterns, by name (peeled skipped). */
  async listRemote(
    remote: string,
    patterns: string[],
    env: Record<string, string> = {}
  ): Promise<Map<string, string>> {
    const listed = await this.run(['ls-remote', '--', remote, ...patterns], {
      env
    })
    if (listed.exitCode !== 0) {
      throw new GitError(
        `Cannot list the refs of '${remote}': ${gitSays(listed)}. ` +
          REMOTE_ADVICE,
        listed
      )
    }
    const refs = new Map<string, string>()
    for (const line of listed.stdout.split('\n')) {
      const [id, ref] = line.split('\t')
      if (ref && !ref.endsWith('^{}')) refs.set(ref, id)
    }
    return refs
  }

  /**
   * Fetches refs of a remote to the same names here, replacing what is
   * there. In a shallow clone each commit comes without its history, so the
   * fetch stays small.
   */
  async fetchRefs(
    remote: string,
    refs: string[],
    env: Record<string, string> = {}
  ): Promise<void> {
    if (refs.length === 0) return
    // Refspecs go through stdin: tens of thousands would overflow argv.
    const args = ['fetch', '--no-tags', '--quiet', '--stdin']
    if (await this.isShallow()) args.push('--depth=1')
    args.push('--', remote)
    const result = await this.run(args, {
      env,
      input: refs.map(ref => `+${ref}:${ref}`).join('\n') + '\n'
    })
    if (result.exitCode !== 0) {
      throw new GitError(
        `Cannot fetch tags from '${remote}': ${gitSays(result)}. ` +
          REMOTE_ADVICE,
        result
      )
    }
  }

  /** The object id of every local ref matching for-each-ref patterns. */
  async refIds(patterns: string[]): Promise<Map<string, string>> {
    const out = await this.ok(
      ['for-each-ref', '--format=%(objectname) %(refname)', '--', ...patterns],
      'Cannot list refs'
    )
    const ids = new Map<string, string>()
    for (const line of out.split('\n')) {
      const space = line.indexOf(' ')
      if (space > 0) ids.set(line.slice(space + 1), line.slice(0, space))
    }
    return ids
  }

  /**
   * Pushes tags, or deletes them on the remote, in one atomic push: either
   * every ref is updated or none is. Each lease moves a ref only if the
   * remote still holds the expected value (empty: the ref must not exist).
   */
  async pushTags(
    remote: string,
    tags: string[],
    options: {
      delete?: boolean
      env?: Record<string, string>
      leases?: Lease[]
    } = {}
  ): Promise<GitResult> {
    const refspecs = tags.map(t =>
      options.delete ? `:refs/tags/${t}` : `refs/tags/${t}:refs/tags/${t}`
    )
    const leaseArgs: string[] = []
    for (const lease of options.leases ?? []) {
      // No `+` on this refspec: a forced refspec would override the lease.
      leaseArgs.push(`--force-with-lease=${lease.ref}:${lease.expect}`)
      refspecs.push(`${lease.value}:${lease.ref}`)
    }
    return this.run(
      [
        'push',
        '--atomic',
        '--porcelain',
        ...leaseArgs,
        '--',
        remote,
        ...refspecs
      ],
      { env: options.env }
    )
  }

  /** The object a ref points to here, unpeeled. */
  async refId(ref: string): Promise<string> {
    const out = await this.ok(
      ['rev-parse', '--verify', '--end-of-options', ref],
      `Cannot read ${ref}`
    )
    return out.trim()
  }
}

export interface Lease {
  ref: string
  /** The value the remote must hold; empty when the ref must not exist. */
  expect: string
  /** The object the ref is set to. */
  value: string
}

/**
 * What git said, as a clause to quote inside a sentence: its lines joined,
 * without a final full stop.
 */
export function gitSays(result: GitResult): string {
  const text = result.stderr.trim() || result.stdout.trim()
  return text
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '')
    .join('; ')
    .replace(/[.\s]+$/, '')
}

/** One record of TAG_FORMAT; undefined for a tag of no commit. */
function parseTagRecord(chunk: string): TagRecord | undefined {
  const fields = chunk.replace(/^\n/, '').split('\0')
  if (fields.length < FIELDS.length) return undefined
  const [ref, type, id, peeledType, peeledId, name, email, date] = fields
  const message = fields.slice(8).join('\0')
  const annotated = type === 'tag'
  const commit = annotated ? peeledId : id
  if (annotated && peeledType !== 'commit') return undefined
  if (!annotated && type !== 'commit') return undefined

  const record: TagRecord = {
    tag: ref.slice('refs/tags/'.length),
    annotated,
    commit,
    message: annotated ? message : ''
  }
  const when = /^(\d+) ([+-]\d{4})$/.exec(date)
  if (annotated && when) {
    record.tagger = {
      name,
      email: email.replace(/^<(.*)>$/, '$1'),
      time: Number(when[1]),
      offset: when[2]
    }
  }
  return record
}
