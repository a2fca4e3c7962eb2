// The tag grammar: names of the tags GTO writes for each action, parsing of
// every tag GTO or Studio may have written, and the `#N` counter.

import {
  DIRNAME_PATTERN,
  NAME_PATTERN,
  TAG_SEPARATOR,
  VERSION_PATTERN,
  versionWithinLimits,
  nameToTag,
  tagToName
} from './names.js'

export type Action =
  'register' | 'deregister' | 'assign' | 'unassign' | 'deprecate'

export interface TagSpec {
  action: Action
  /** Artifact name in `dir:name` form. */
  name: string
  version?: string
  stage?: string
  /** Present for the counter form `...#N`. */
  counter?: number
}

export interface ParsedTag {
  name: string
  /** Undefined for `name@created`, which matches the grammar but is no event. */
  action?: Action
  version?: string
  stage?: string
  counter?: number
}

const TAG_RE = new RegExp(
  `^(?<artifact>(?:${DIRNAME_PATTERN}${TAG_SEPARATOR})?${NAME_PATTERN})` +
    `(?:(?:#(?<stage>${NAME_PATTERN})|@(?<version>${VERSION_PATTERN}))` +
    `(?<cancel>!?)|@(?<special>deprecated|created))` +
    '(?:#(?<counter>[0-9]+))?$'
)

// Git allows much longer refs, but no GTO tag needs this much, and a bound
// keeps the regular expression's backtracking small on hostile input.
const MAX_TAG_LENGTH = 1024

/** Parses a tag name; undefined when it is not a GTO tag. */
export function parseTag(tag: string): ParsedTag | undefined {
  if (tag.length > MAX_TAG_LENGTH) return undefined
  const groups = TAG_RE.exec(tag)?.groups
  if (!groups) return undefined

  // Past these limits a counter or version cannot be computed with exactly;
  // such a tag is read as no GTO tag.
  if (groups.version && !versionWithinLimits(groups.version)) return undefined
  const counter =
    groups.counter === undefined ? undefined : Number(groups.counter)
  if (counter !== undefined && !Number.isSafeInteger(counter)) return undefined

  const parsed: ParsedTag = { name: tagToName(groups.artifact) }
  if (groups.version) {
    parsed.action = groups.cancel ? 'deregister' : 'register'
    parsed.version = groups.version
  } else if (groups.stage) {
    parsed.action = groups.cancel ? 'unassign' : 'assign'
    parsed.stage = groups.stage
  } else if (groups.special === 'deprecated') {
    parsed.action = 'deprecate'
  }
  if (counter !== undefined) parsed.counter = counter
  return parsed
}

/** The tag name GTO writes for an action. */
export function formatTag(spec: TagSpec): string {
  const artifact = nameToTag(spec.name)
  let tag: string
  switch (spec.action) {
    case 'register':
      tag = `${artifact}@${spec.version}`
      break
    case 'deregister':
      tag = `${artifact}@${spec.version}!`
      break
    case 'assign':
      tag = `${artifact}#${spec.stage}`
      break
    case 'unassign':
      tag = `${artifact}#${spec.stage}!`
      break
    case 'deprecate':
      tag = `${artifact}@deprecated`
      break
  }
  return spec.counter === undefined ? tag : `${tag}#${spec.counter}`
}

/**
 * The counter the next counter-form tag of `name` gets: one more than the
 * highest among its existing tags. GTO counts every tag of the artifact that
 * parses, lightweight ones and `@created` included.
 */
export function nextCounter(tags: Iterable<string>, name: string): number {
  let highest = 0
  for (const tag of tags) {
    const parsed = parseTag(tag)
    if (parsed?.name === name && parsed.counter !== undefined) {
      highest = Math.max(highest, parsed.counter)
    }
  }
  return highest + 1
}
