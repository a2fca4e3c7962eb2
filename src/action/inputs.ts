// Reads the action's inputs once, checks them, and turns them into settings.
// Nothing reaches git before it has passed here.

import * as core from '@actions/core'
import {
  VERSION_PATTERN,
  isValidFullName,
  isValidStage,
  isValidVersion,
  type Bump
} from '../core/names.js'
import type { Identity } from '../git/git.js'

export const COMMANDS = [
  'check-ref',
  'assign',
  'unassign',
  'register',
  'deregister',
  'deprecate',
  'show',
  'history'
] as const
export type Command = (typeof COMMANDS)[number]

export interface Settings {
  command: Command
  name: string
  version: string
  ref: string
  stage: string
  bump?: Bump
  message: string
  /** Undefined for `auto`: GTO's default form for the command. */
  simple?: boolean
  force: boolean
  delete: boolean
  skipRegistration: boolean
  push: boolean
  fetch: boolean
  remote: string
  token: string
  tagger: Identity
  repository: string
  sort: 'timestamp' | 'semver'
  versionsPerStage: number
  dryRun: boolean
  retries: number
  dispatch: string
  /** iterative/gto-action's inputs, kept so a workflow can switch `uses:`. */
  compat: {
    show: boolean
    history: boolean
    printOutputs: boolean
    pull: boolean
  }
}

export class InputError extends Error {}

const VERSION_RE = new RegExp(`^${VERSION_PATTERN}$`)

// Long enough for any real name; short enough to keep logs and refs sane.
const MAX_LENGTH = 255
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

type Read = (name: string) => string

/** Reads and checks every input; `read` defaults to the runner's inputs. */
export function readSettings(read: Read = core.getInput): Settings {
  const raw = (name: string) => read(name).trim()
  const token = read('token').trim()
  if (token) core.setSecret(token)

  const settings: Settings = {
    command: oneOf('command', raw('command') || 'check-ref', COMMANDS),
    name: checked('name', raw('name'), isValidFullName, NAME_HELP),
    version: checked('version', raw('version'), isValidVersion, VERSION_HELP),
    ref: plain('ref', raw('ref')),
    stage: checked('stage', raw('stage'), isValidStage, STAGE_HELP),
    bump: raw('bump')
      ? oneOf('bump', raw('bump'), ['major', 'minor', 'patch'] as const)
      : undefined,
    message: message(read('message')),
    simple: simple(raw('simple')),
    force: bool('force', raw('force'), false),
    delete: bool('delete', raw('delete'), false),
    skipRegistration: bool(
      'skip-registration',
      raw('skip-registration'),
      false
    ),
    push: bool('push', raw('push'), true),
    fetch: bool('fetch', raw('fetch'), true),
    remote: plain('remote', raw('remote')) || 'origin',
    token,
    tagger: {
      name: plain('tagger-name', raw('tagger-name')) || 'github-actions[bot]',
      email:
        plain('tagger-email', raw('tagger-email')) ||
        '41898282+github-actions[bot]@users.noreply.github.com'
    },
    repository:
      plain('repository', raw('repository')) ||
      process.env.GITHUB_WORKSPACE ||
      '.',
    sort: oneOf('sort', raw('sort') || 'timestamp', [
      'timestamp',
      'semver'
    ] as const),
    versionsPerStage: integer(
      'versions-per-stage',
      raw('versions-per-stage'),
      1,
      -1
    ),
    dryRun: bool('dry-run', raw('dry-run'), false),
    retries: integer('retries', raw('retries'), 3, 0),
    dispatch: plain('dispatch', raw('dispatch')),
    compat: {
      show: bool('show', raw('show'), false),
      history: bool('history', raw('history'), false),
      printOutputs: bool('print-outputs', raw('print-outputs'), false),
      pull: bool('pull', raw('pull'), false)
    }
  }
  if (settings.bump && settings.version) {
    throw new InputError(
      "Inputs 'version' and 'bump' contradict each other: give a version, " +
        'or a bump to compute one, not both.'
    )
  }
  return settings
}

const NAME_HELP =
  "Use letters, digits, '-', '_' and '/', starting and ending with a " +
  "letter or digit, optionally after 'dir:' (for example " +
  "'cv:pool-segmentation')."
const STAGE_HELP =
  "Use letters, digits, '-', '_' and '/', starting and ending with a " +
  "letter or digit (for example 'prod')."
const VERSION_HELP =
  "Use 'v' and a SemVer version, for example 'v1.2.3' or 'v1.0.0-rc.1'."

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
}

/** Rejects what no input may hold: control characters, a leading `-`. */
function plain(input: string, value: string): string {
  if (value.length > MAX_LENGTH) {
    throw new InputError(
      `Input '${input}' is ${value.length} characters long; at most ` +
        `${MAX_LENGTH} are allowed.`
    )
  }
  if (CONTROL.test(value)) {
    throw new InputError(
      `Input '${input}' holds a control character or line break: ` +
        `${quote(value)}. Give it on one line.`
    )
  }
  if (value.startsWith('-')) {
    throw new InputError(
      `Input '${input}' must not start with '-': ${quote(value)}.`
    )
  }
  return value
}

function checked(
  input: string,
  value: string,
  valid: (value: string) => boolean,
  help: string
): string {
  // The rule comes first: its message says what a valid value looks like.
  if (input === 'version' && tooLarge(value)) {
    throw new InputError(
      `Input 'version' is valid SemVer but too large: ${quote(value)}. ` +
        'Versions may have at most 256 characters and numbers up to ' +
        '9007199254740991.'
    )
  }
  if (value && !valid(value)) {
    throw new InputError(
      `Input '${input}' is not valid: ${quote(value)}. ${help}`
    )
  }
  return plain(input, value)
}

/** Passes GTO's grammar, but not the limits that keep ordering exact. */
function tooLarge(version: string): boolean {
  return VERSION_RE.test(version) && !isValidVersion(version)
}

function oneOf<T extends string>(
  input: string,
  value: string,
  allowed: readonly T[]
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(
    `Input '${input}' must be one of ${allowed.join(', ')}; got ${quote(value)}.`
  )
}

function bool(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (/^true$/i.test(value)) return true
  if (/^false$/i.test(value)) return false
  throw new InputError(
    `Input '${input}' must be 'true' or 'false'; got ${quote(value)}.`
  )
}

function simple(value: string): boolean | undefined {
  if (value === '' || /^auto$/i.test(value)) return undefined
  return bool('simple', value, false)
}

function integer(
  input: string,
  value: string,
  fallback: number,
  min: number
): number {
  if (value === '') return fallback
  if (!/^-?\d{1,6}$/.test(value) || Number(value) < min) {
    throw new InputError(
      `Input '${input}' must be a whole number of at least ${min}; ` +
        `got ${quote(value)}.`
    )
  }
  return Number(value)
}

function message(value: string): string {
  // A message may span lines, but no NUL or other control character
  // besides line breaks and tabs.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    throw new InputError(
      "Input 'message' holds a control character; use plain text."
    )
  }
  if (value.length > 10000) {
    throw new InputError("Input 'message' is longer than 10000 characters.")
  }
  return value.trim()
}
