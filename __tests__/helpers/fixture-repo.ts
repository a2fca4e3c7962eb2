// Rebuilds a real repository's tags from a fixture in __tests__/fixtures/real-repos
// (see that folder's format: commits, their files, every tag as stored).

import { execFileSync } from 'node:child_process'
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export const FIXTURES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures'
)
export const REAL_REPOS_DIR = join(FIXTURES_DIR, 'real-repos')

// ---------------------------------------------------------------------------
// The fixture (`NAME.json`)

export interface FixturePerson {
  name: string
  email: string
  /** ISO 8601 with the original offset. */
  date: string
  /** Git's own form: `1693814108 +0000`. */
  date_raw: string
}

export interface FixtureCommit {
  label: string
  /** The commit in the original repository, for reference only. */
  sha: string
  tag_target: boolean
  head: boolean
  author: FixturePerson
  committer: FixturePerson
  message: string
  /** Path to full text, as committed there. */
  files: Record<string, string>
}

export interface FixtureTag {
  name: string
  /** A commit label. */
  target: string
  object_type: 'tag' | 'commit'
  tagger: FixturePerson | null
  message: string | null
}

export interface FixtureSource {
  repository: string
  url: string
  branch: string
  commit: string
}

export interface Fixture {
  source: FixtureSource
  commits: FixtureCommit[]
  tags: FixtureTag[]
}

// ---------------------------------------------------------------------------
// The expected results (`NAME.expected.json`); commits are labels.

export interface CheckRefJson {
  artifact: string
  created_at: string
  author: string
  author_email: string
  message: string
  commit_hexsha: string
  tag: string
  version?: string
  stage?: string
  event: string
}

export interface ExpectedCheckRef {
  tag: string
  /** The `ref` input: `refs/tags/<tag>`. */
  ref: string
  /** Output name to value; `commit` is a label. */
  outputs: Record<string, string>
  /** The `json` output, or null when it must be empty. */
  json: CheckRefJson | null
  legacy_annotation: Record<string, unknown> | null
  gto_0_3_5: { exit_code: number; json?: unknown; [key: string]: unknown }
}

export interface ExpectedShowArtifact {
  version: string | null
  stage: Record<string, string | null>
  registered: boolean
  active: boolean
}

export interface ExpectedShowNameStage {
  stage: string
  is_active: boolean
  assignments: string[]
  unassignments: string[]
}

export interface ExpectedShowNameVersion {
  version: string
  /** A label. */
  commit: string
  is_active: boolean
  discovered: boolean
  registrations: string[]
  deregistrations: string[]
  stages: ExpectedShowNameStage[]
}

export interface ExpectedHistoryEvent {
  timestamp: string
  artifact: string
  event: string
  priority: number
  version: string | null
  stage: string | null
  /** A label. */
  commit: string
  author: string
  author_email: string
  message: string
  ref: string
  timestamp_gto_0_3_5?: string
}

export interface Expected {
  about: string
  fixture: string
  source: FixtureSource
  produced_with: Record<string, string>
  check_ref: ExpectedCheckRef[]
  show: Record<string, ExpectedShowArtifact>
  show_deprecated_too: Record<string, ExpectedShowArtifact>
  show_name: Record<string, ExpectedShowNameVersion[]>
  history: ExpectedHistoryEvent[]
  stages: string[]
}

export interface RealRepoCase {
  name: string
  fixture: Fixture
  expected: Expected
}

/** Reads `NAME.json` and `NAME.expected.json` from the real-repos fixtures. */
export function loadRealRepo(name: string): RealRepoCase {
  const fixture = readJson<Fixture>(join(REAL_REPOS_DIR, `${name}.json`))
  const expected = readJson<Expected>(
    join(REAL_REPOS_DIR, `${name}.expected.json`)
  )
  if (!Array.isArray(fixture.commits) || !Array.isArray(fixture.tags)) {
    throw new Error(`${name}.json: expected 'commits' and 'tags' arrays`)
  }
  if (!Array.isArray(expected.check_ref)) {
    throw new Error(`${name}.expected.json: expected a 'check_ref' array`)
  }
  return { name, fixture, expected }
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

// ---------------------------------------------------------------------------
// Rebuilding

export interface RebuiltRepo {
  dir: string
  /** Commit label to the rebuilt commit's SHA. */
  shaOf: Map<string, string>
  /** Rebuilt commit SHA to its label. */
  labelOf: Map<string, string>
}

/**
 * Rebuilds the fixture's commits and tags in `dir` (created if needed, and
 * expected to be empty), as the fixture README says: `git init -b main`, one
 * commit per fixture commit holding exactly its files, then every tag.
 */
export function rebuildRepo(fixture: Fixture, dir: string): RebuiltRepo {
  mkdirSync(dir, { recursive: true })
  const shaOf = new Map<string, string>()
  const labelOf = new Map<string, string>()
  // Messages go to a file outside the work tree, so `git add -A` never sees it.
  const scratch = mkdtempSync(join(tmpdir(), 'gto-fixture-msg-'))
  const messageFile = join(scratch, 'message')
  try {
    run(dir, ['init', '-q', '-b', 'main'])

    let previous: Record<string, string> = {}
    for (const commit of fixture.commits) {
      for (const path of Object.keys(previous)) {
        if (!(path in commit.files)) rmSync(inside(dir, path), { force: true })
      }
      for (const [path, text] of Object.entries(commit.files)) {
        const full = inside(dir, path)
        mkdirSync(dirname(full), { recursive: true })
        writeFileSync(full, text)
      }
      previous = commit.files

      run(dir, ['add', '-A'])
      writeFileSync(messageFile, commit.message)
      run(
        dir,
        [
          'commit',
          '-q',
          '--allow-empty',
          '--cleanup=verbatim',
          '-F',
          messageFile
        ],
        {
          GIT_AUTHOR_NAME: commit.author.name,
          GIT_AUTHOR_EMAIL: commit.author.email,
          GIT_AUTHOR_DATE: commit.author.date_raw,
          GIT_COMMITTER_NAME: commit.committer.name,
          GIT_COMMITTER_EMAIL: commit.committer.email,
          GIT_COMMITTER_DATE: commit.committer.date_raw
        }
      )
      const sha = run(dir, ['rev-parse', 'HEAD']).trim()
      shaOf.set(commit.label, sha)
      labelOf.set(sha, commit.label)
    }

    for (const tag of fixture.tags) {
      const target = shaOf.get(tag.target)
      if (!target) {
        throw new Error(`Tag ${tag.name}: no commit labelled '${tag.target}'`)
      }
      if (tag.object_type === 'commit') {
        run(dir, ['tag', tag.name, target])
        continue
      }
      if (!tag.tagger || tag.message === null) {
        throw new Error(`Annotated tag ${tag.name} lacks a tagger or message`)
      }
      writeFileSync(messageFile, tag.message)
      run(
        dir,
        [
          'tag',
          '-a',
          '--cleanup=verbatim',
          '-F',
          messageFile,
          tag.name,
          target
        ],
        {
          GIT_COMMITTER_NAME: tag.tagger.name,
          GIT_COMMITTER_EMAIL: tag.tagger.email,
          GIT_COMMITTER_DATE: tag.tagger.date_raw
        }
      )
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  return { dir, shaOf, labelOf }
}

/** A fixture path inside the work tree; refuses paths that leave it. */
function inside(dir: string, path: string): string {
  const clean = normalize(path)
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`)) {
    throw new Error(`Fixture file path leaves the repository: '${path}'`)
  }
  return join(dir, clean)
}

/**
 * Runs git without the caller's GIT_* variables or system config, and with
 * signing and hooks off, so the user's setup cannot change what is written.
 */
function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_') && value !== undefined) base[key] = value
  }
  return execFileSync(
    'git',
    [
      '-c',
      'commit.gpgSign=false',
      '-c',
      'tag.gpgSign=false',
      '-c',
      'tag.forceSignAnnotated=false',
      '-c',
      'core.autocrlf=false',
      '-c',
      'core.hooksPath=/dev/null',
      ...args
    ],
    {
      cwd,
      env: { ...base, GIT_CONFIG_NOSYSTEM: '1', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
}
