// The default tag annotations (gto-tags.md §4), which must match GTO's text
// byte for byte; the git layer adds the final newline.

import { describe, expect, it } from '@jest/globals'
import { defaultMessage, type MessageSubject } from '../../src/core/messages.js'
import type { Action } from '../../src/core/tags.js'

describe('defaultMessage', () => {
  it.each([
    [
      'register',
      { name: 'rf', version: 'v1.2.3' },
      'Registering artifact rf version v1.2.3'
    ],
    [
      'deregister',
      { name: 'rf', version: 'v1.2.3' },
      'Deregistering artifact rf version v1.2.3'
    ],
    [
      'assign',
      { name: 'rf', version: 'v1.2.3', stage: 'prod' },
      'Assigning stage prod to artifact rf version v1.2.3'
    ],
    [
      'unassign',
      { name: 'rf', version: 'v1.2.3', stage: 'prod' },
      "Unassigning stage 'prod' to artifact 'rf' version 'v1.2.3'"
    ],
    ['deprecate', { name: 'rf' }, "Deprecating artifact 'rf'"]
  ] as [Action, MessageSubject, string][])(
    '%s: %j',
    (action, subject, expected) => {
      expect(defaultMessage(action, subject)).toBe(expected)
    }
  )

  it.each([
    [
      'register',
      { name: 'cv:pool-segmentation', version: 'v0.0.1' },
      'Registering artifact cv:pool-segmentation version v0.0.1'
    ],
    [
      'assign',
      { name: 'Some/folder/A:Model', version: 'v2.0.0', stage: 'Prod' },
      'Assigning stage Prod to artifact Some/folder/A:Model version v2.0.0'
    ],
    [
      'unassign',
      { name: 'cv:seg', version: 'v1.0.0', stage: 'st/age' },
      "Unassigning stage 'st/age' to artifact 'cv:seg' version 'v1.0.0'"
    ],
    ['deprecate', { name: 'cv:seg' }, "Deprecating artifact 'cv:seg'"]
  ] as [Action, MessageSubject, string][])(
    'names the artifact in dir:name form: %s',
    (action, subject, expected) => {
      expect(defaultMessage(action, subject)).toBe(expected)
    }
  )

  it('names an unregistered commit by its SHA as the version', () => {
    const sha = '0123456789abcdef0123456789abcdef01234567'
    expect(
      defaultMessage('assign', { name: 'rf', version: sha, stage: 'dev' })
    ).toBe(`Assigning stage dev to artifact rf version ${sha}`)
  })

  it('has no trailing newline', () => {
    const actions: Action[] = [
      'register',
      'deregister',
      'assign',
      'unassign',
      'deprecate'
    ]
    for (const action of actions) {
      const text = defaultMessage(action, {
        name: 'rf',
        version: 'v1.0.0',
        stage: 'dev'
      })
      expect(text).toBe(text.trim())
    }
  })
})
