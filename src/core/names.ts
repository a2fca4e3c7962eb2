// GTO's naming rules for artifacts, stages and versions, as pure checks.

import semver from 'semver'

// A short name or a stage: ASCII letters and digits at both ends, `-`, `_`
// and `/` allowed inside.
export const NAME_PATTERN = '[a-zA-Z0-9](?:[a-zA-Z0-9/_-]*[a-zA-Z0-9])?'

// The `dir` of a `dir:name` artifact, declared in `dir/dvc.yaml`.
export const DIRNAME_PATTERN = '[a-zA-Z0-9._/-]+'

// A strict SemVer 2.0 version after a lower-case `v`.
const IDENT_NUM = '0|[1-9][0-9]*'
const IDENT_PRE = `(?:${IDENT_NUM}|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)`
export const VERSION_PATTERN =
  `v(?:${IDENT_NUM})\\.(?:${IDENT_NUM})\\.(?:${IDENT_NUM})` +
  `(?:-${IDENT_PRE}(?:\\.${IDENT_PRE})*)?` +
  '(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?'

const SHORT_NAME_RE = new RegExp(`^${NAME_PATTERN}$`)
const FULL_NAME_RE = new RegExp(`^(?:${DIRNAME_PATTERN}:)?${NAME_PATTERN}$`)
const VERSION_RE = new RegExp(`^${VERSION_PATTERN}$`)

/** Separator between `dir` and `name` in an artifact name and in a tag. */
export const NAME_SEPARATOR = ':'
export const TAG_SEPARATOR = '='

export function isValidShortName(value: string): boolean {
  return SHORT_NAME_RE.test(value)
}

export function isValidStage(value: string): boolean {
  return SHORT_NAME_RE.test(value)
}

export function isValidFullName(value: string): boolean {
  return FULL_NAME_RE.test(value)
}

/**
 * A version by GTO's grammar that npm `semver` can also order: at most 256
 * characters, each number at most 2^53 - 1. Larger ones pass SemVer, but no
 * registry needs them, and the limit keeps ordering exact.
 */
export function isValidVersion(value: string): boolean {
  return VERSION_RE.test(value) && versionWithinLimits(value)
}

/** For a version that matches the grammar: whether it is within the limits. */
export function versionWithinLimits(value: string): boolean {
  if (value.length > 257) return false
  // MAJOR.MINOR.PATCH are the numbers npm `semver` must hold exactly.
  const core = /^v(\d+)\.(\d+)\.(\d+)/.exec(value) as RegExpExecArray
  return core.slice(1, 4).every(n => Number(n) <= Number.MAX_SAFE_INTEGER)
}

/** `cv:seg` becomes `cv=seg`: the only change a name undergoes in a tag. */
export function nameToTag(name: string): string {
  return name.replace(NAME_SEPARATOR, TAG_SEPARATOR)
}

export function tagToName(value: string): string {
  return value.replace(TAG_SEPARATOR, NAME_SEPARATOR)
}

/** Splits `dir:name` into its folder (empty for the root) and short name. */
export function splitFullName(name: string): { dir: string; short: string } {
  const at = name.lastIndexOf(NAME_SEPARATOR)
  if (at < 0) return { dir: '', short: name }
  return { dir: name.slice(0, at), short: name.slice(at + 1) }
}

/** SemVer precedence of two valid versions; build metadata is ignored. */
export function compareVersions(a: string, b: string): number {
  return semver.compare(parsedVersion(a), parsedVersion(b))
}

// Parsing is most of a comparison's cost, and sorting compares each version
// many times: keep every parsed version.
const parsedVersions = new Map<string, semver.SemVer>()

function parsedVersion(version: string): semver.SemVer {
  let parsed = parsedVersions.get(version)
  if (!parsed) {
    parsed = new semver.SemVer(version.slice(1))
    parsedVersions.set(version, parsed)
  }
  return parsed
}

export type Bump = 'major' | 'minor' | 'patch'

/**
 * The version after `version`. Prerelease and build are dropped first, so
 * `v1.2.3-rc.1` bumps to `v1.2.4` as GTO does.
 */
export function bumpVersion(version: string, bump: Bump): string {
  const parsed = semver.parse(version.slice(1))
  if (!parsed) throw new Error(`Cannot bump '${version}': not a version`)
  const { major, minor, patch } = parsed
  if (bump === 'major') return `v${major + 1}.0.0`
  if (bump === 'minor') return `v${major}.${minor + 1}.0`
  return `v${major}.${minor}.${patch + 1}`
}

/** The version GTO gives the first registration of an artifact. */
export const FIRST_VERSION = 'v0.0.1'
