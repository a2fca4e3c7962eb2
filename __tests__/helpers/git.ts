// Real git repositories for tests: a work repository, a bare `origin`, and
// runner-like clones, all in a temporary folder.

import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test Author',
  GIT_AUTHOR_EMAIL: 'author@example.com',
  GIT_COMMITTER_NAME: 'Test Author',
  GIT_COMMITTER_EMAIL: 'author@example.com'
}

export function git(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  input?: string
): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...IDENTITY, ...env },
    input,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe']
  })
}

export function tempDir(prefix = 'gto-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Writes files (path to text) into a work tree and commits them. */
export function commit(
  repo: string,
  files: Record<string, string>,
  message = 'change',
  env: Record<string, string> = {}
): string {
  for (const [path, text] of Object.entries(files)) {
    const full = join(repo, path)
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, text)
  }
  git(repo, ['add', '-A'])
  git(repo, ['commit', '--allow-empty', '-q', '-m', message], env)
  return git(repo, ['rev-parse', 'HEAD']).trim()
}

export interface Sandbox {
  root: string
  /** The bare repository standing in for the server. */
  origin: string
  /** A full clone where the test prepares history and tags. */
  work: string
  /** A clone like actions/checkout's default: depth 1, no tags. */
  runnerClone(name?: string): string
  cleanup(): void
}

/** A work repository with one commit, pushed to a bare `origin`. */
export function sandbox(files: Record<string, string> = {}): Sandbox {
  const root = tempDir()
  const origin = join(root, 'origin.git')
  const work = join(root, 'work')
  git(root, ['init', '-q', '--bare', '-b', 'main', origin])
  git(root, ['init', '-q', '-b', 'main', work])
  commit(work, { 'README.md': 'sample\n', ...files }, 'initial')
  git(work, ['remote', 'add', 'origin', origin])
  git(work, ['push', '-q', 'origin', 'main'])
  let clones = 0
  return {
    root,
    origin,
    work,
    runnerClone(name = `runner-${++clones}`) {
      const dir = join(root, name)
      git(root, [
        'clone',
        '-q',
        '--depth=1',
        '--no-tags',
        `file://${origin}`,
        dir
      ])
      return dir
    },
    cleanup: () => removeDir(root)
  }
}

export interface TagInfo {
  name: string
  type: string
  commit: string
  tagger: string
  message: string
}

/** The tags a repository holds, by name, with what a GTO reader needs. */
export function tagsOf(repo: string): Map<string, TagInfo> {
  const out = git(repo, [
    'for-each-ref',
    '--format=%(refname:strip=2)%00%(objecttype)%00%(*objectname)%00' +
      '%(objectname)%00%(taggername) %(taggeremail)%00%(contents)%00%01',
    'refs/tags'
  ])
  const tags = new Map<string, TagInfo>()
  for (const chunk of out.split('\0\x01\n')) {
    if (!chunk) continue
    const [name, type, peeled, id, tagger, message] = chunk.split('\0')
    tags.set(name, {
      name,
      type,
      commit: type === 'tag' ? peeled : id,
      tagger,
      message
    })
  }
  return tags
}

export function tagNames(repo: string): string[] {
  return [...tagsOf(repo).keys()].sort()
}

/** Creates an annotated tag as GTO would, with a fixed tagger and time. */
export function gtoTag(
  repo: string,
  name: string,
  target: string,
  message: string,
  date = '1700000000 +0000'
): void {
  git(
    repo,
    ['tag', '-a', '--cleanup=verbatim', '-F', '-', name, target],
    {
      GIT_COMMITTER_NAME: 'GTO User',
      GIT_COMMITTER_EMAIL: 'gto@example.com',
      GIT_COMMITTER_DATE: date
    },
    message
  )
}
