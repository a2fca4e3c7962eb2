// A checked-out repository as the commands see it: its git, its remote,
// its tags read into a registry, and its `.gto` and `dvc.yaml` files.

import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Annotation } from '../config/dvc-yaml.js'
import type { GtoConfig } from '../config/gto-config.js'
import type { TagRecord } from '../core/events.js'
import { nameToTag, splitFullName } from '../core/names.js'
import { buildRegistry, type Registry } from '../core/registry.js'
import { parseTag } from '../core/tags.js'
import { Git, type Lease } from '../git/git.js'
import type { Settings } from '../action/inputs.js'
import type { Outputs } from '../action/outputs.js'
import { authEnv } from '../git/auth.js'

export class UserError extends Error {
  /** Outputs that still hold, when the failure came after tags were pushed. */
  outputs?: Outputs
}

/**
 * Where the remote keeps, per artifact, the newest counter-form tag this
 * action pushed. Two runs that computed the same counter both expect the
 * same old value, so only the first push moves it; the other one retries.
 */
export const LOCK_PREFIX = 'refs/gto-action/counter/'

/**
 * for-each-ref patterns that match every tag of one artifact: `A@...` and
 * `A#...` (a `*` stops at `/`, so stages with a `/` need the third).
 */
export function artifactPatterns(name: string): string[] {
  const tag = nameToTag(name)
  return [`refs/tags/${tag}@*`, `refs/tags/${tag}#*`, `refs/tags/${tag}#*/**`]
}

function tagNameOfRef(ref: string): string {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ref
}

export function lockRef(name: string): string {
  // `a` and `a/b` are both artifacts, but refs cannot be a file and a
  // folder at once: keep each artifact's lock a single path component.
  const escaped = nameToTag(name).replace(/%/g, '%25').replace(/\//g, '%2F')
  return `${LOCK_PREFIX}${escaped}`
}

export interface Snapshot {
  records: TagRecord[]
  tagNames: ReadonlySet<string>
  registry: Registry
}

export class Repository {
  /** The remote's URL once asked; null when there is no such remote. */
  private url?: string | null
  private auth?: Record<string, string>
  private locks?: Map<string, string>
  private remoteTags?: Set<string>
  private warnedFetch = false
  private locksOff = false

  private constructor(
    readonly git: Git,
    readonly settings: Settings
  ) {}

  static async open(settings: Settings): Promise<Repository> {
    const git = new Git(settings.repository)
    if (!(await git.isRepository())) {
      throw new UserError(
        `Input 'repository' is not a git repository: '${settings.repository}'. ` +
          'Check the repository out first (actions/checkout), or point ' +
          "'repository' at a checkout."
      )
    }
    return new Repository(git, settings)
  }

  /** Whether the configured remote exists in this checkout. */
  async hasRemote(): Promise<boolean> {
    return (await this.remoteUrl()) !== undefined
  }

  /** The remote's URL, asked of git once; undefined without the remote. */
  private async remoteUrl(): Promise<string | undefined> {
    if (this.url === undefined) {
      this.url = (await this.git.remoteUrl(this.settings.remote)) ?? null
    }
    return this.url ?? undefined
  }

  /** Environment that authenticates git against the remote, if needed. */
  async remoteEnv(): Promise<Record<string, string>> {
    if (this.auth === undefined) {
      this.auth = authEnv((await this.remoteUrl()) ?? '', this.settings.token)
    }
    return this.auth
  }

  /**
   * Fetches the remote's tags when `fetch` is on (or the run pushes) and the
   * remote exists: the ones missing here or different. With a `scope`, only
   * that artifact's tags and counter lock (and the tag `ref` names, if any):
   * the remote filters them, so a large registry costs little. Notes what
   * the remote holds, for the push that may follow.
   */
  async syncTags(scope?: { name: string; ref?: string }) {
    const { remote } = this.settings
    if (!this.settings.fetch && !this.pushing()) return
    if (!(await this.hasRemote())) {
      core.info(`No remote '${remote}': reading local tags only`)
      return
    }
    core.startGroup(`Fetching tags from ${remote}`)
    try {
      const env = await this.remoteEnv()
      // Scoped patterns mean the same to ls-remote and for-each-ref; the
      // whole registry needs a glob for one and a prefix for the other.
      const scoped = scope
        ? [...artifactPatterns(scope.name), lockRef(scope.name)]
        : undefined
      if (scope?.ref) scoped?.push(`refs/tags/${tagNameOfRef(scope.ref)}`)
      const listed = await this.git.listRemote(
        remote,
        scoped ?? ['refs/tags/*', `${LOCK_PREFIX}*`],
        env
      )
      const local = await this.git.refIds(scoped ?? ['refs/tags', LOCK_PREFIX])
      const missing: string[] = []
      this.locks = new Map()
      this.remoteTags = new Set()
      for (const [ref, id] of listed) {
        if (ref.startsWith(LOCK_PREFIX)) {
          // Fetched too: see `snapshot` for why the lock's tag matters.
          this.locks.set(ref, id)
          if (local.get(ref) !== id) missing.push(ref)
        } else if (ref.startsWith('refs/tags/')) {
          this.remoteTags.add(ref.slice('refs/tags/'.length))
          if (local.get(ref) !== id) missing.push(ref)
        }
      }
      await this.git.fetchRefs(remote, missing, env)
      const tags = missing.filter(ref => !ref.startsWith(LOCK_PREFIX)).length
      core.info(tags ? `Fetched ${tags} tags` : 'Local tags are up to date')
    } finally {
      core.endGroup()
    }
  }

  /**
   * Whether this run pushes. A push always reads the remote's tags first,
   * whatever `fetch` says: counters and versions computed from local tags
   * alone would clash with the remote's.
   */
  private pushing(): boolean {
    const { push, dryRun, fetch, command } = this.settings
    const writes = !['check-ref', 'show', 'history'].includes(command)
    const pushing = writes && push && !dryRun
    if (pushing && !fetch && !this.warnedFetch) {
      this.warnedFetch = true
      core.warning(
        "'fetch: false' is ignored because this run pushes: the remote's " +
          'tags decide the next counter and version. Set push: false to ' +
          'work on local tags only.'
      )
    }
    return pushing
  }

  /**
   * Local tags of an artifact that the remote lacks, as of the last fetch
   * (an earlier `push: false` step, or tags deleted on the remote). A push
   * built on them would leave the remote inconsistent.
   */
  localOnly(records: TagRecord[], name: string): string[] {
    const remote = this.remoteTags
    if (!remote) return []
    return records
      .filter(r => !remote.has(r.tag) && parseTag(r.tag)?.name === name)
      .map(r => r.tag)
  }

  /**
   * Stops using counter locks, for a remote that refuses them; false when
   * they were off already.
   */
  disableLocks(): boolean {
    if (this.locksOff) return false
    this.locksOff = true
    return true
  }

  /**
   * The lease that serialises counters of an artifact on the remote: the
   * lock ref must still be where the last fetch saw it. Undefined when tags
   * were not fetched, so nothing is known of the remote.
   */
  lockLease(name: string, value: string): Lease | undefined {
    if (!this.locks || this.locksOff) return undefined
    const ref = lockRef(name)
    return { ref, expect: this.locks.get(ref) ?? '', value }
  }

  /**
   * The tags read into a registry: all of them, or only one artifact's when
   * `name` is given (enough for every rule about that artifact, and far
   * cheaper on a registry with thousands of tags).
   */
  async snapshot(name?: string): Promise<Snapshot> {
    let records: TagRecord[]
    let locks: string
    if (name === undefined) {
      records = await this.git.readTags()
      locks = LOCK_PREFIX
    } else {
      records = (await this.git.readTags(artifactPatterns(name))).filter(
        r => parseTag(r.tag)?.name === name
      )
      locks = lockRef(name)
    }
    core.debug(`Read ${records.length} tags`)
    // A listing taken while another run pushes can show its lock moved but
    // not yet its tag (git updates refs one by one). The lock's tag object
    // still names that tag, so its counter counts as taken.
    const locked = await this.git.lockedTagNames(locks)
    return {
      records,
      tagNames: new Set([...records.map(r => r.tag), ...locked]),
      registry: buildRegistry(records)
    }
  }

  /** `.gto` at the root of the checkout; empty when there is none. */
  async config(): Promise<GtoConfig> {
    const file = join(this.settings.repository, '.gto')
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      return {}
    }
    // Loaded when needed: YAML and schema code cost start-up time.
    const { parseGtoConfig } = await import('../config/gto-config.js')
    return parseGtoConfig(text, '.gto')
  }

  /** The artifact's `dvc.yaml` entry at a commit. */
  async annotation(
    commit: string,
    name: string
  ): Promise<Annotation | undefined> {
    const { dvcYamlPath, readAnnotation } =
      await import('../config/dvc-yaml.js')
    const { dir, short } = splitFullName(name)
    const path = dvcYamlPath(dir)
    const text = await this.git.fileAt(commit, path)
    if (text === undefined) return undefined
    const { annotation, problem } = readAnnotation(text, short)
    if (problem) {
      core.warning(
        `${path} at ${commit.slice(0, 7)} is ${problem.replace(/^its/, 'broken: its')}` +
          `; the outputs type, path and description of '${name}' stay empty.`
      )
    }
    return annotation
  }

  /** The commit a revision names, or a clear error about the input. */
  async commitOf(input: string, rev: string): Promise<string> {
    const commit = await this.git.resolveCommit(rev || 'HEAD')
    if (!commit && !rev) {
      throw new UserError(
        'The repository has no commit checked out (HEAD names none), and ' +
          `input '${input}' is empty. Commit first, check a commit out, or ` +
          `give '${input}'.`
      )
    }
    if (!commit) {
      throw new UserError(
        `Input '${input}' names no commit in this repository: '${rev}'. ` +
          'Give a branch, tag or SHA that exists here (a shallow checkout ' +
          'may need fetch-depth: 0).'
      )
    }
    return commit
  }
}
